"""Fuzz target: the clean-up's offset map over arbitrary text.

    python fuzz/clean_target.py -runs=50000

Every cleaned character maps to a raw index inside the text, in increasing order, to the same
character (or to whitespace, for a " " or "\\n"); the map ends at len(raw); and every cleaned
span maps to a raw span holding the same visible characters.
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["kurultai"]):
    from kurultai.read.clean import _DROPPED, clean

import re

_GONE = re.compile(f"[\\s{_DROPPED}]")
PIECES = ["\n", "\r\n", "\n\n", "\f", "\u2029", " ", "\t", "\u00a0", "\u00ad", "\u200b", "\ufeff", "-", "- ", "1) ",
          "• ", "транспортно-", "Слово", "word.", ":", "«", "»"]


def text_of(data: bytes) -> str:
    """Arbitrary characters mixed with the layout pieces the clean-up reacts to."""
    provider = atheris.FuzzedDataProvider(data)
    parts = []
    while provider.remaining_bytes():
        if provider.ConsumeBool():
            parts.append(PIECES[provider.ConsumeIntInRange(0, len(PIECES) - 1)])
        else:
            parts.append(provider.ConsumeUnicode(provider.ConsumeIntInRange(1, 12)))
    return "".join(parts)


def visible(text: str) -> str:
    return _GONE.sub("", text)


def test_one_input(data: bytes) -> None:
    raw = text_of(data)
    cleaned = clean(raw)
    offsets = list(cleaned.offsets)
    if len(offsets) != len(cleaned.text) + 1 or offsets[-1] != len(raw):
        raise AssertionError(f"map of the wrong length for {raw!r}")
    if any(not 0 <= a < b <= len(raw) for a, b in zip(offsets, offsets[1:])):
        raise AssertionError(f"offsets not increasing inside raw for {raw!r}: {offsets}")
    for ch, at in zip(cleaned.text, offsets):
        if ch in " \n" and not raw[at].isspace() or ch not in " \n" and raw[at] != ch:
            raise AssertionError(f"{ch!r} maps to {raw[at]!r} at {at} in {raw!r}")
    n = len(cleaned.text)
    for start in range(0, n, max(1, n // 7)):
        for end in (start + 1, start + 5, n):
            end = min(end, n)
            s, e = cleaned.to_raw(start, end)
            if not 0 <= s <= e <= len(raw) or visible(raw[s:e]) != visible(cleaned.text[start:end]):
                raise AssertionError(f"span {start}-{end} maps to {s}-{e}: {raw[s:e]!r} in {raw!r}")
    if visible(cleaned.text) != visible(raw):
        raise AssertionError(f"visible characters lost or added: {raw!r} -> {cleaned.text!r}")


def main(argv: list[str]) -> None:
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
