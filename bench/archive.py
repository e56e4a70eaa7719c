"""Loading a zip archive's members: time grows with the members, not with their square.

    python -m bench.archive [--members 2000] [--repeat 3]

Builds archives of N and 2N small reports (about 1 KB each, stored deflated) and times
`kurultai.ingest.discover` over each with every member loaded, as ingest loads them; the best of
`--repeat` runs. Reopening the archive for each member (as kurultai did before) read its central
directory once per member, so doubling the members quadrupled the time (534 s for 10,000
reports, against 36 s loose); one open per archive keeps the ratio near 2. The result goes into
bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import tempfile
import time
import zipfile
from pathlib import Path

from bench.results import replace_section
from kurultai.ingest import discover

ROOT = Path(__file__).resolve().parent
REPORT = ("Круглый стол «Водные ресурсы Центральной Азии» состоялся {n} мая 2024 года в Ташкенте. "
          "Эксперты ИСМИ, КИСИ и ИМЭП обсудили сотрудничество в энергетике и транспорте. ") * 4


def build(path: Path, members: int) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n in range(members):
            archive.writestr(f"reports/{n // 500:03d}/report-{n:05d}.txt", REPORT.format(n=n))


def load_all(path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    loaded = sum(len(source.load()) > 0 for source in discover([path]))
    return loaded, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for members in (args.members, 2 * args.members):
            path = Path(folder) / f"{members}.zip"
            build(path, members)
            runs = [load_all(path) for _ in range(args.repeat)]
            assert all(loaded == members for loaded, _ in runs), runs
            rows.append((members, min(seconds for _, seconds in runs)))
    (small, t_small), (large, t_large) = rows
    ratio = t_large / t_small
    text = (f"## Archive loading: {small:,} vs {large:,} members\n\n"
            f"`python -m bench.archive --members {small}`: every member of one zip loaded through "
            f"`kurultai.ingest.discover`, best of {args.repeat}.\n\n"
            f"| members | seconds | members/s |\n|---|---|---|\n"
            + "".join(f"| {m:,} | {t:.3f} | {m / t:,.0f} |\n" for m, t in rows)
            + f"\nTime ratio for twice the members: {ratio:.2f} (linear: 2; quadratic: 4). Before each zip was "
              "opened once per batch, the same run took 53.7 s and 259.9 s (ratio 4.8; measured once, 2 shared "
              "cores).\n")
    print(text)
    replace_section(ROOT / "RESULTS.md", "## Archive loading:", text)


if __name__ == "__main__":
    main()
