"""The sign-in throttle: failed sign-ins remembered per client and name (web/auth.py asks it
before checking a password)."""
from __future__ import annotations

import math
import threading
import time
from collections import deque

from .. import auth


class Throttle:
    """Failed sign-ins remembered for a while, per client address and name and per address alone,
    so that guessing passwords stays slow however many requests arrive at once (argon2 alone
    allows a few guesses a second per core). The name is keyed as the store compares it
    (auth.name_key: a full-width or upper-case spelling is the same name); the address is the
    socket's peer, or what a trusted proxy forwarded (Settings.trusted_proxies). Kept in memory,
    per application (per worker process)."""

    def __init__(self, per_name: int = 5, per_address: int = 30, window_s: float = 900) -> None:
        self.per_name, self.per_address, self.window_s = per_name, per_address, window_s
        self._failures: dict[tuple, deque] = {}
        self._lock = threading.Lock()

    def _keys(self, address: str, name: str) -> list[tuple[tuple, int]]:
        return [(("name", address, auth.name_key(name)[:200]), self.per_name),
                (("address", address), self.per_address)]

    def wait(self, address: str, name: str, now: float | None = None) -> int:
        """Seconds before this address may try this name again; 0 when it may now."""
        now = time.monotonic() if now is None else now
        longest = 0.0
        with self._lock:
            for key, limit in self._keys(address, name):
                times = self._failures.get(key)
                while times and times[0] <= now - self.window_s:
                    times.popleft()
                if times and len(times) >= limit:
                    longest = max(longest, times[0] + self.window_s - now)
        return math.ceil(longest)

    def failed(self, address: str, name: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._failures) > 100_000:  # forget the stale ones rather than grow without end
                self._failures = {k: v for k, v in self._failures.items() if v and v[-1] > now - self.window_s}
            for key, limit in self._keys(address, name):
                self._failures.setdefault(key, deque(maxlen=limit)).append(now)

    def succeeded(self, address: str, name: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(address, name)[0][0], None)
