"""How well the grader's diagnoses hold up: planted bugs and correct alternatives.

    python benchmarks/bench_diagnoses.py [--module layers]

Grades every planted bug of tests/planted_bugs/ and every correct alternative of
tests/test_correct_alternatives.py with the real engine (one warm Grader per module) and prints

    planted bugs caught N/N        the broken exercise lost points
    alternatives with full marks M/M
    right diagnosis K/N            the diagnosis is one the bug names, and the message says the key fact

then every miss, one line each. Exit status 1 when anything is missed.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from planted_bugs import all_bugs, functions, patched_source  # noqa: E402
from test_correct_alternatives import ALTERNATIVES  # noqa: E402

from tutor.engine.grader import Grader  # noqa: E402
from tutor.manifest import select  # noqa: E402


class Graders:
    def __init__(self):
        self.by_module: dict[str, Grader] = {}

    def grade(self, module: str, source: str) -> dict:
        if module not in self.by_module:
            self.by_module[module] = Grader(exercises=select(module))
        return {r.exercise: r for r in self.by_module[module].grade({module: source})}

    def close(self):
        for grader in self.by_module.values():
            grader.close()


def judge_bug(graders: Graders, bug) -> tuple[bool, bool, str]:
    """(caught, rightly diagnosed, what was said)."""
    result = graders.grade(bug.module, patched_source(bug.module, bug.replace))[bug.exercise]
    caught = not result.passed and result.score < result.max_score
    said = result.message.lower()
    named = not bug.message or any(fragment.lower() in said for fragment in bug.message)
    return caught, caught and result.diagnosis in bug.diagnoses and named, f"[{result.diagnosis}] {result.message}"


def judge_alternative(graders: Graders, alternative) -> tuple[bool, str]:
    results = graders.grade(alternative.module, patched_source(alternative.module, functions(alternative.source)))
    wrong = [f"{r.exercise} [{r.diagnosis}] {r.message}" for r in results.values()
             if not (r.passed and r.score == r.max_score)]
    return not wrong, "; ".join(wrong)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", help="only this contract module")
    args = parser.parse_args()
    bugs = [b for b in all_bugs() if b.xfail is None and (args.module is None or b.module == args.module)]
    alternatives = [a for a in ALTERNATIVES if args.module is None or a.module == args.module]
    graders, misses = Graders(), []
    started = time.perf_counter()
    caught = right = 0
    try:
        for bug in bugs:
            was_caught, was_right, said = judge_bug(graders, bug)
            caught += was_caught
            right += was_right
            if not was_right:
                misses.append(f"bug {bug.slug}: expected {bug.diagnoses}, got {said[:200]}")
        full = 0
        for alternative in alternatives:
            ok, said = judge_alternative(graders, alternative)
            full += ok
            if not ok:
                misses.append(f"alternative {alternative.module}: {alternative.description}: {said[:200]}")
    finally:
        graders.close()
    seconds = time.perf_counter() - started
    print(f"planted bugs caught {caught}/{len(bugs)}")
    print(f"alternatives with full marks {full}/{len(alternatives)}")
    print(f"right diagnosis {right}/{len(bugs)}")
    print(f"({seconds:.1f} s for {len(bugs) + len(alternatives)} submissions)")
    for miss in misses:
        print("  miss:", miss)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
