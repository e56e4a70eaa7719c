"""`kurultai serve --workers N` (web/workers.py): a listening socket per worker, so that the kernel
spreads keep-alive clients over the workers (with one shared socket, 43 of 50 were seen on one of
two); a worker that dies is replaced and nothing is refused meanwhile; SIGTERM stops them all."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from kurultai.store import Store

from .served import free_port

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT balancing is Linux's")


def children(pid: int) -> list[int]:
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
            out += [int(c) for c in f.read().split()]
    return out


def sockets(pid: int, port: int, state: str) -> set[str]:
    """Inodes of the sockets on `port` in `state` (0A listening, 01 established) that `pid` holds."""
    wanted = set()
    with open("/proc/net/tcp", encoding="ascii") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[3] == state and int(fields[1].rsplit(":", 1)[1], 16) == port:
                wanted.add(fields[9])
    held = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:[") and link[8:-1] in wanted:
            held.add(link[8:-1])
    return held


async def keep_alive_clients(base: str, clients: int, while_open) -> list[int]:
    import aiohttp
    async with aiohttp.ClientSession(base, connector=aiohttp.TCPConnector(limit=clients)) as session:
        async def one() -> list[int]:
            statuses = []
            for _ in range(3):
                async with session.get("/api/me") as r:
                    statuses.append(r.status)
                    await r.read()
            return statuses
        done = await asyncio.gather(*(one() for _ in range(clients)))
        while_open()
        return [s for each in done for s in each]


def wait_for(check, seconds: float = 120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_each_worker_listens_on_a_socket_of_its_own_and_clients_are_spread(tmp_path):
    db = str(tmp_path / "k.db")
    Store.open(db).close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "kurultai", "serve", "--db", db, "--port", str(port),
                               "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def answering() -> list[int]:
            """The server's processes that listen on the port: its workers."""
            return [w for w in children(server.pid) if sockets(w, port, "0A")]

        def up() -> list[int]:
            try:
                ok = httpx.get(base + "/api/me", timeout=2).status_code == 200
            except httpx.HTTPError:
                ok = False
            workers = answering()
            return workers if ok and len(workers) == 2 else []
        workers = wait_for(up)
        listening = [sockets(w, port, "0A") for w in workers]
        assert all(len(s) == 1 for s in listening) and listening[0] != listening[1]  # one each, not one shared

        # 50 keep-alive clients at once, the connections each worker holds counted while they are open
        counts: list[int] = []
        statuses = asyncio.run(keep_alive_clients(
            base, 50, lambda: counts.extend(len(sockets(w, port, "01")) for w in workers)))
        assert statuses == [200] * 150
        assert sum(counts) == 50 and min(counts) >= 10, counts  # a hash's spread, never 43/7

        # a worker killed is replaced; requests meanwhile wait in its socket's queue, none refused
        os.kill(workers[0], signal.SIGKILL)
        answers = [httpx.get(base + "/api/me", timeout=60).status_code for _ in range(20)]
        assert answers == [200] * 20
        again = wait_for(lambda: [w for w in answering() if w != workers[0] and sockets(w, port, "0A") == listening[0]])
        assert len(again) == 1 and len(answering()) == 2
    finally:
        left = children(server.pid) if server.poll() is None else []
        server.terminate()
        server.wait(60)
    assert server.returncode == 0
    assert not [p for p in left if os.path.exists(f"/proc/{p}") and open(f"/proc/{p}/stat").read().split()[2] != "Z"]


def test_workers_refuse_a_port_another_server_holds(tmp_path):
    """SO_REUSEPORT would let a second server share the port with the first, each taking some of
    its clients: the port is checked first without it."""
    import socket
    db = str(tmp_path / "k.db")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "kurultai", "serve", "--db", db, "--port", str(port),
                              "--workers", "2"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and f"cannot listen on 127.0.0.1:{port} (Address already in use)" in run.stderr
