"""Extraction throughput and peak memory on one core, next to natasha alone on the same texts.

    python -m bench.extract [--repeat N] [--out bench/RESULTS.md]

The baseline is what the issue names: natasha's segmenter, morphological tagger and NER over
each text. Each side runs in its own process (one thread), so peak resident memory is its own;
models load before the clock starts. Texts: NEREL dev (when ../shared is there), our fixtures,
and the seed and real reports.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.results import replace_section

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ONE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")}


def corpus() -> list[Path]:
    files = sorted((ROOT / "tests" / "fixtures" / "extract" / "docs").glob("*.txt"))
    if SHARED.exists():
        files += sorted((SHARED / "eval" / "nerel" / "dev").glob("*.txt"))
        files += sorted((SHARED / "corpus" / "real").glob("*.txt")) + sorted((SHARED / "corpus" / "seed").glob("*.txt"))
        files += sorted((SHARED / "corpus" / "uzkk").glob("*.txt"))
    return files


def worker(side: str, repeat: int) -> dict:
    texts = [p.read_text(encoding="utf-8") for p in corpus()]
    if side == "natasha":
        from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
        emb = NewsEmbedding()
        seg, morph, ner = Segmenter(), NewsMorphTagger(emb), NewsNERTagger(emb)

        def run(text):
            d = Doc(text)
            d.segment(seg)
            d.tag_morph(morph)
            d.tag_ner(ner)
    else:
        from kurultai.pipeline import Extractor
        from kurultai.read import Text
        ex = Extractor()

        def run(text):
            ex.extract(Text(text, "bench.txt", {"format": "txt"}))
    for text in texts[:5]:  # warm caches and lazily built indices
        run(text)
    t0 = time.process_time()
    for _ in range(repeat):
        for text in texts:
            run(text)
    cpu = time.process_time() - t0
    chars = sum(len(t) for t in texts) * repeat
    kbytes = sum(len(t.encode("utf-8")) for t in texts) * repeat / 1000
    return {"side": side, "docs": len(texts) * repeat, "cpu_s": cpu, "chars": chars, "kb": kbytes,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ap.add_argument("--worker", choices=["natasha", "kurultai"], help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if ns.worker:
        print(json.dumps(worker(ns.worker, ns.repeat)))
        return 0
    rows = {}
    for side in ("natasha", "kurultai"):
        res = subprocess.run([sys.executable, "-m", "bench.extract", "--worker", side, "--repeat", str(ns.repeat)],
                             capture_output=True, text=True, cwd=ROOT, env={**os.environ, **ONE_THREAD})
        if res.returncode:
            print(res.stderr, file=sys.stderr)
            return 1
        rows[side] = json.loads(res.stdout.strip().splitlines()[-1])
    n, k = rows["natasha"], rows["kurultai"]
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {machine()}. One process per side, one thread, models loaded before timing (CPU time).",
        "",
        "## Extraction: full record vs natasha alone (segment + morph + NER), same texts, same run",
        "",
        f"Texts: {n['docs'] // ns.repeat} documents x {ns.repeat} passes, {n['chars'] / ns.repeat / 1000:.0f} Kchars per pass.",
        "",
        "| | documents/s | KB/s | Kchars/s | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, r in (("natasha alone", n), ("kurultai extract", k)):
        lines.append(f"| {label} | {r['docs'] / r['cpu_s']:.1f} | {r['kb'] / r['cpu_s']:.0f} | "
                     f"{r['chars'] / r['cpu_s'] / 1000:.0f} | {r['peak_rss_mb']:.0f} |")
    ratio = k["cpu_s"] / n["cpu_s"]
    lines += ["", f"Cost of the full extraction: **{ratio:.2f}x** natasha alone (target: at most 1.5x).", ""]
    head, section = "\n".join(lines[:4]), "\n".join(lines[4:])
    replace_section(Path(ns.out), "## Extraction:", section, head=head)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
