#!/usr/bin/env python3
"""Writes the JSONL input of the `wm detect` 1 GB run (docs/benchmarks.md).

Each record is a run of 2-8 consecutive verses of the bundled KJV corpus with one random verse
spliced in, as {"id", "text"}; seeded, so the file is the same on every machine. The text repeats
across records, as harvested text does.

    python3 benchmarks/scripts/big_jsonl.py --bytes 1000000000 > big1g.jsonl
"""
import argparse
import gzip
import json
import random
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "examples/src/main/resources/dev/radiomark/examples/corpus/kjv-verses.txt.gz"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bytes", type=int, default=1_000_000_000, help="stop after the first record that reaches this size")
    ap.add_argument("--seed", type=int, default=20261202)
    args = ap.parse_args()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        verses = [line.rstrip("\n") for line in f]
    rng = random.Random(args.seed)
    out = sys.stdout
    written = 0
    i = 0
    while written < args.bytes:
        n = rng.randint(2, 8)
        start = rng.randrange(len(verses) - n)
        run = verses[start:start + n]
        run.insert(rng.randint(0, n), verses[rng.randrange(len(verses))])
        line = json.dumps({"id": "r%d" % i, "text": " ".join(run)}, ensure_ascii=False) + "\n"
        out.write(line)
        written += len(line.encode("utf-8"))
        i += 1


if __name__ == "__main__":
    main()
