"""Fuzz target: the readers over arbitrary bytes, under each suffix.

    python fuzz/read_target.py -runs=20000 [-max_len=4096] [CORPUS_DIR ...]

The first byte picks the suffix (.txt, .pdf, .html, .docx, .rtf or none), the rest is the file. A
reader may refuse the file, with a ReadError naming it on one line; any other exception, a crash
or a hang is a bug. What it returns must be a Text with visible characters within the limits.
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["kurultai"]):
    from kurultai.read import ReadError, Text, read_bytes
    from kurultai.read.dispatch import SUFFIXES

SUFFIX_LIST = sorted(set(SUFFIXES))
LIMITS = dict(max_bytes=1 << 20, max_pages=50, max_unpacked=4 << 20, max_markup=1 << 20, max_chars=200_000)


def test_one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIX_LIST[data[0] % len(SUFFIX_LIST)]
    source = f"fuzz{suffix}"
    try:
        text = read_bytes(data[1:], source, **LIMITS)
    except ReadError as error:
        if not str(error).startswith(source + ": ") or "\n" in str(error):
            raise AssertionError(f"not one line naming the file: {str(error)!r}") from None
        return
    if not isinstance(text, Text) or not text.raw.strip() or len(text.raw) > LIMITS["max_chars"]:
        raise AssertionError(f"a Text that breaks its contract: {text!r:.200}")
    if text.source != source or text.meta.get("bytes") != len(data) - 1:
        raise AssertionError(f"wrong source or size: {text.source!r} {text.meta!r}")


def main(argv: list[str]) -> None:
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
