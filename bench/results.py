"""bench/RESULTS.md, written a section at a time: each benchmark replaces its own section (in its
place, or at the end the first time) and leaves the others, so that `make bench` keeps what
`make bench-large` measured, and the other way round."""
from __future__ import annotations

from pathlib import Path

HEAD = "# Benchmarks\n"


def replace_section(path: Path, title: str, text: str, head: str | None = None) -> None:
    """Replace the section whose heading starts with `title` ("## Scale-out:") by `text` (which
    starts with its own heading); `head`, when given, replaces what comes before the first section."""
    prev = path.read_text(encoding="utf-8") if path.exists() else HEAD
    parts = prev.split("\n## ")
    first = head if head is not None else parts[0]
    sections = ["## " + p for p in parts[1:]]
    text = text.strip("\n")
    at = next((i for i, s in enumerate(sections) if s.startswith(title)), None)
    if at is None:
        sections.append(text)
    else:
        sections[at] = text
    path.write_text("\n\n".join([first.strip("\n"), *(s.strip("\n") for s in sections)]) + "\n", encoding="utf-8")
