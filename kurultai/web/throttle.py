"""The sign-in throttle: tries remembered per client and name, in the store (web/auth.py asks it
before checking a password)."""
from __future__ import annotations

import math
import time

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import InternalError, OperationalError

from .. import auth
from ..store.db import StoreError, cause
from ..store.schema import sign_in_tries as tries


class Throttle:
    """Sign-in tries remembered for a while, per client address and name and per address alone,
    so that guessing passwords stays slow however many requests arrive at once (argon2 alone
    allows a few guesses a second per core). The name is keyed as the store compares it
    (auth.name_key: a full-width or upper-case spelling is the same name); the address is the
    socket's peer, or what a trusted proxy forwarded (Settings.trusted_proxies).

    The tries are rows of the store (sign_in_tries), not memory: every worker process of
    `kurultai serve --workers N`, and every server on one store, counts the same ones, so N
    processes allow no more guesses than one. A try is counted before its password is checked,
    under the store's write lock (Store.begin), so that tries arriving at once in several
    processes cannot all pass the count; a right password takes its own try back."""

    def __init__(self, store, per_name: int = 5, per_address: int = 30, window_s: float = 900) -> None:
        self.store = store
        self.per_name, self.per_address, self.window_s = per_name, per_address, window_s

    def _keys(self, address: str, name: str) -> list[tuple[str, int]]:
        address = address[:100]
        return [(f"name {address} {auth.name_key(name)[:200]}", self.per_name), (f"address {address}", self.per_address)]

    def _wait(self, conn, address: str, name: str, now: float) -> int:
        longest = 0.0
        for key, limit in self._keys(address, name):
            last = (select(tries.c.at).where(tries.c.key == key, tries.c.at > now - self.window_s)
                    .order_by(tries.c.at.desc()).limit(limit).subquery())
            count, oldest = conn.execute(select(func.count(), func.min(last.c.at))).one()
            if count >= limit:
                longest = max(longest, oldest + self.window_s - now)
        return math.ceil(longest)

    def wait(self, address: str, name: str, now: float | None = None) -> int:
        """Seconds before this address may try this name again; 0 when it may now."""
        with self.store.connect() as conn:
            return self._wait(conn, address, name, time.time() if now is None else now)

    def take(self, address: str, name: str, now: float | None = None) -> tuple[int, list[int]]:
        """(seconds to wait, []) while this address has tried too often; else (0, the ids of the
        try just counted), which `succeeded` takes back when the password was right."""
        now = time.time() if now is None else now
        try:
            with self.store.begin() as conn:
                conn.execute(delete(tries).where(tries.c.at <= now - self.window_s))  # forget the stale ones
                wait = self._wait(conn, address, name, now)
                if wait:
                    return wait, []
                ids = [conn.execute(insert(tries).values(key=key, at=now)).inserted_primary_key[0]
                       for key, _ in self._keys(address, name)]
        except (OperationalError, InternalError) as exc:  # a read-only or full store: no sign-in (a 503)
            raise StoreError(f"{self.store.url}: cannot count a sign-in try ({cause(exc)})") from exc
        return 0, ids

    def succeeded(self, address: str, name: str, taken: list[int]) -> None:
        """A right password: its try is no failure, and the name's earlier failures from this
        address are forgiven (the address's count of other names' failures stays)."""
        with self.store.begin() as conn:
            conn.execute(delete(tries).where(tries.c.id.in_(taken) | (tries.c.key == self._keys(address, name)[0][0])))
