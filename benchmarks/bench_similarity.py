"""The similarity report on a class of N students (default 300): fingerprinting, then the pairs
through the index (one matrix product), against a baseline that compares every pair of the
same sets in Python, in the same run. Each student hands in tutor's solutions with every name renamed and,
for most, one function rewritten, so that both near-identical and distinct pairs occur.

    python benchmarks/bench_similarity.py [N]
"""
from __future__ import annotations

import random
import re
import sys
import time
from itertools import combinations
from pathlib import Path

from tutor.classroom.similarity import THRESHOLD, class_sets, fingerprint, index_pairs

ROOT = Path(__file__).resolve().parents[1]


def student_sources(seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    sources = {}
    for path in sorted((ROOT / "solutions").glob("*.py")):
        text = path.read_text()
        text = re.sub(r"\b(x|w|b|dout|cache|scores|y)\b", lambda m: f"{m.group(1)}_{seed}", text)
        if text.strip() and rng.random() < 0.8:   # rewrite one line's arithmetic, as a student's own version would differ
            lines = text.splitlines()
            i = rng.randrange(len(lines))
            lines[i] = lines[i].replace("+", "- -", 1).replace("*", "* 1.0 *", 1)
            text = "\n".join(lines)
        sources[path.stem] = text
    return sources


def _naive(sets) -> int:
    return sum(1 for a, b in combinations(sets, 2) if a | b and len(a & b) / len(a | b) >= THRESHOLD)


def _timed(fn, *args):
    t = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - t


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    prints, t_print = _timed(lambda: [fingerprint(f"s{i}", student_sources(i)) for i in range(n)])
    (filtered, _), t_filter = _timed(class_sets, prints)
    print(f"{n} students: fingerprints {t_print:.2f} s ({t_print / n * 1000:.1f} ms/student); "
          f"idiom filter {t_filter:.3f} s")
    # the class's sets after the idiom filter (what tutor grade compares), and the raw sets: the
    # cost when every submission is distinct code, where all-pairs set intersections grow
    for label, sets in (("after the idiom filter", filtered), ("raw, every fingerprint", [p.hashes for p in prints])):
        pairs, t_index = _timed(index_pairs, sets, THRESHOLD)
        naive, t_naive = _timed(_naive, sets)
        assert len(pairs) == naive, (len(pairs), naive)
        size = sum(map(len, sets)) / len(sets)
        print(f"  {label} ({size:.0f} fingerprints/student): index {t_index:.3f} s, naive all-pairs {t_naive:.3f} s "
              f"({naive} pairs >= {THRESHOLD:.0%}); ratio naive/index {t_naive / max(t_index, 1e-9):.1f}x")


if __name__ == "__main__":
    main()
