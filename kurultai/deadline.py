"""A time limit on one document's reading and extraction, in whatever thread does the work.

Some inputs cost far more than their size suggests (a dense list of institutions, a page of
markup), so a check between stages would not stop a slow stage. Instead a watchdog thread raises
`TimeLimit` inside the working thread (CPython's PyThreadState_SetAsyncExc), and Python delivers
it at the thread's next bytecode: a pure-Python loop stops at once, a long C call (a regex, a
numpy product) when it returns. Unlike signal.alarm it works in any thread: the CLI's, the web
server's worker threads, Dask's workers.

    try:
        with time_limit(60):
            record = extractor.extract(read_bytes(data, name))
    except TimeLimit:
        ...  # report the document as too slow; the batch goes on

Python swallows an exception raised while it runs a finalizer (a weakref callback, a generator
closed by the garbage collector: "Exception ignored in ..."); `sys.unraisablehook` sees it, and
the watchdog fires again `REFIRE` seconds later. It never fires once the block is left: leaving
takes the watchdog's lock, and a firing not yet delivered is taken back under it.
"""
from __future__ import annotations

import ctypes
import sys
import threading

REFIRE = 0.5
"""Seconds before firing again when a firing was swallowed."""

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_active: dict[int, "time_limit"] = {}  # thread ident -> the limit on its block
_hook_lock = threading.Lock()


class TimeLimit(BaseException):
    """Raised in a thread whose work ran past its time limit. A BaseException, like
    KeyboardInterrupt, so that a library's `except Exception:` cannot swallow it."""


class time_limit:
    """Context manager: raise TimeLimit in this thread if the block runs longer than `seconds`
    (None or 0: no limit). Not to be nested in one thread."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._watcher: threading.Thread | None = None
        self._fired = False

    def __enter__(self) -> "time_limit":
        if self.seconds and self.seconds > 0:
            _watch_swallowed()
            self._thread = threading.get_ident()
            self._lock = threading.Lock()
            self._left = False
            self._swallowed = False
            self._done = threading.Event()
            _active[self._thread] = self
            self._watcher = threading.Thread(target=self._watch, name="kurultai-time-limit", daemon=True)
            self._watcher.start()
        return self

    def _watch(self) -> None:
        wait = self.seconds
        while not self._done.wait(wait):
            with self._lock:
                if self._left or (self._fired and not self._swallowed):
                    return  # left, or the firing is on its way (a long C call delays it)
                self._fired, self._swallowed = True, False
                _set_async_exc(ctypes.c_ulong(self._thread), ctypes.py_object(TimeLimit))
            wait = REFIRE

    def __exit__(self, *exc) -> bool:
        if self._watcher is not None:
            while True:
                try:
                    with self._lock:
                        self._left = True
                        if self._fired:  # raised and not yet delivered: take it back
                            _set_async_exc(ctypes.c_ulong(self._thread), None)
                    break
                except TimeLimit:  # delivered while leaving: leave all the same
                    continue
            self._done.set()
            if _active.get(self._thread) is self:
                del _active[self._thread]
        return False

    @property
    def fired(self) -> bool:
        """Whether the limit was reached (the block was interrupted, or finished just then)."""
        return self._fired


def _watch_swallowed() -> None:
    """Chain a `sys.unraisablehook` that notes a TimeLimit swallowed by a finalizer, so that the
    limit fires again (and says nothing of it: the document fails as too slow all the same)."""
    with _hook_lock:
        if getattr(sys.unraisablehook, "_kurultai_time_limit", False):
            return
        previous = sys.unraisablehook

        def hook(info) -> None:
            if info.exc_type is not None and issubclass(info.exc_type, TimeLimit):
                limit = _active.get(threading.get_ident())
                if limit is not None:
                    limit._swallowed = True
                    return
            previous(info)

        hook._kurultai_time_limit = True
        sys.unraisablehook = hook
