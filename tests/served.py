"""`kurultai serve` in a process of its own on a free loopback port, for tests that need the real
server (uvicorn, its worker processes, what it does with proxy headers)."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(db: str, *options: str, seconds: float = 120):
    """The base URL of `kurultai serve --db DB OPTIONS...` once it answers; stopped on the way out."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "kurultai", "serve", "--db", db, "--port", str(port), *options],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + seconds
        while True:
            try:
                if httpx.get(base + "/api/me", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise AssertionError(f"kurultai serve did not answer: {proc.stdout.read()}")
            time.sleep(0.2)
        yield base
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
