"""A time limit on one document's reading and extraction, in whatever thread does the work.

Some inputs cost far more than their size suggests (a dense list of institutions, a page of
markup), so a check between stages would not stop a slow stage. Instead a watchdog timer raises
`TimeLimit` inside the working thread (CPython's PyThreadState_SetAsyncExc), and Python delivers
it at the thread's next bytecode: a pure-Python loop stops at once, a long C call (a regex, a
numpy product) when it returns. Unlike signal.alarm it works in any thread: the CLI's, the web
server's worker threads, Dask's workers.

    try:
        with time_limit(60):
            record = extractor.extract(read_bytes(data, name))
    except TimeLimit:
        ...  # report the document as too slow; the batch goes on

The watchdog fires once at most and never after the block has left: a late firing is cleared
before `__exit__` returns, so the exception is raised inside the block or by its exit, never in
the code after it.
"""
from __future__ import annotations

import ctypes
import threading

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


class TimeLimit(BaseException):
    """Raised in a thread whose work ran past its time limit. A BaseException, like
    KeyboardInterrupt, so that a library's `except Exception:` cannot swallow it."""


class time_limit:
    """Context manager: raise TimeLimit in this thread if the block runs longer than `seconds`
    (None or 0: no limit). Not to be nested in one thread."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._timer: threading.Timer | None = None

    def __enter__(self) -> "time_limit":
        if self.seconds and self.seconds > 0:
            self._thread = threading.get_ident()
            self._lock = threading.Lock()
            self._left = False
            self._fired = False
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _fire(self) -> None:
        with self._lock:
            if not self._left:
                self._fired = True
                _set_async_exc(ctypes.c_ulong(self._thread), ctypes.py_object(TimeLimit))

    def __exit__(self, *exc) -> bool:
        if self._timer is not None:
            with self._lock:
                self._left = True
                if self._fired:  # raised and not yet delivered: take it back
                    _set_async_exc(ctypes.c_ulong(self._thread), None)
            self._timer.cancel()
        return False

    @property
    def fired(self) -> bool:
        """Whether the limit was reached (the block was interrupted, or finished just then)."""
        return bool(self._timer is not None and self._fired)
