"""Several worker processes on one port, each with a listening socket of its own (SO_REUSEPORT),
so that the kernel spreads new connections evenly over them.

uvicorn's own --workers shares one listening socket: the first worker to wake takes every
connection waiting, and a keep-alive connection stays with the worker that took it. Of 50 clients
connecting at once, 43 were seen on one of two workers, whose queue then set everyone's p95. With
a socket per worker, Linux picks the socket by a hash of each connection's addresses (26/24,
31/19 in the same trial).

Each worker is `uvicorn kurultai.web.serving:app_from_env --factory --fd N` on its socket, its
settings in KURULTAI_* variables (serving.Settings.environ). This process only holds the sockets
and watches: a worker that dies is started again on the same socket (connections meanwhile wait in
its queue, none is refused); one that cannot start (uvicorn's status 3) stops everything, since
its replacement would fail alike; SIGINT or SIGTERM stops the workers and returns.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading

STARTUP_FAILURE = 3  # uvicorn's exit status for a worker that could not start
BACKLOG = 2048  # uvicorn's default


def balanced() -> bool:
    """Whether the kernel balances connections over SO_REUSEPORT sockets (Linux does)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listening(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` sockets listening on host:port together. OSError when the port is taken: checked
    first with a socket without SO_REUSEPORT, so that a second server is not let in beside a first."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
    out = []
    try:
        for _ in range(count):
            sock = socket.socket(family, kind, proto)
            out.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(address)
            sock.listen(BACKLOG)
            sock.set_inheritable(True)
    except OSError:
        for sock in out:
            sock.close()
        raise
    return out


def run(app: str, sockets: list[socket.socket], environ: dict[str, str], log_level: str = "info") -> int:
    """Serve `app` (an application factory's import path) with one worker per socket until
    SIGINT or SIGTERM; 0, or STARTUP_FAILURE when a worker could not start."""
    env = {**os.environ, **environ}

    def start(sock: socket.socket) -> subprocess.Popen:
        # proxy headers are the application's business (web/auth.py), never uvicorn's
        return subprocess.Popen([sys.executable, "-m", "uvicorn", app, "--factory", "--fd", str(sock.fileno()),
                                 "--no-proxy-headers", "--log-level", log_level],
                                pass_fds=[sock.fileno()], env=env)

    stopping = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers = [start(sock) for sock in sockets]
    status = 0
    try:
        while not stopping.wait(0.5):
            for i, worker in enumerate(workers):
                code = worker.poll()
                if code is None:
                    continue
                if code == STARTUP_FAILURE:
                    print(f"kurultai: worker process {worker.pid} could not start; stopping", file=sys.stderr, flush=True)
                    status = STARTUP_FAILURE
                    stopping.set()
                    break
                print(f"kurultai: worker process {worker.pid} ended (status {code}); starting another",
                      file=sys.stderr, flush=True)
                workers[i] = start(sockets[i])
    finally:
        _stop(workers)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sock in sockets:
            sock.close()
    return status


def _stop(workers: list[subprocess.Popen], seconds: float = 30) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()  # uvicorn finishes the requests under way, then exits
    for worker in workers:
        try:
            worker.wait(seconds)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
