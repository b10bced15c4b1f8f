"""How fast does the terminal tutor show its first frame?

    python benchmarks/bench_startup.py [--runs 5]

Measures, each in a fresh interpreter, best of N runs:
  baseline        python -c "import textual.app"   (what any Textual app pays)
  tutor --version the `tutor` entry point, parsing arguments only
  first frame     from process spawn to the main screen's first refresh, running the
                  real TutorApp headless (App.run_test) on a fresh workspace (created
                  from the pristine exercises, as on a first run); torch and the grader
                  load afterwards in a background worker
and prints the first frame's ratio to the baseline. Target: first frame < 0.5 s.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import os, time
SPAWNED = float(os.environ["BENCH_SPAWNED"])
T0 = time.perf_counter()
import asyncio, sys
from tutor.app.app import TutorApp
from tutor.app.screens.main import MainScreen

FRAME = []
mount = MainScreen.on_mount

def on_mount(self):
    mount(self)
    # called once the screen has been refreshed: the first frame is on the terminal
    self.call_after_refresh(lambda: FRAME.append((time.time(), "torch" in sys.modules)))

MainScreen.on_mount = on_mount

async def main():
    app = TutorApp(workspace=sys.argv[1])
    async with app.run_test(size=(100, 30)) as pilot:
        while not FRAME:
            await pilot.pause(0.01)
        at, torch_loaded = FRAME[0]
        print(f"FRAME {at - SPAWNED:.4f}")
        print(f"INNER {time.perf_counter() - T0 - (time.time() - at):.4f}")
        print(f"TORCH {int(torch_loaded)}")
        while not app.engine_ready:          # set when the background warm-up is done
            await pilot.pause(0.02)
        print(f"READY {time.time() - SPAWNED:.4f}")

asyncio.run(main())
"""


def wall(argv: list[str], env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    return time.perf_counter() - start, done.stdout


def best(values: list[float]) -> float:
    return min(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    python = sys.executable
    tutor = str(Path(python).with_name("tutor"))

    baseline, version, frames, inner, ready = [], [], [], [], []
    torch_at_frame: list[bool] = []
    for _ in range(args.runs):
        baseline.append(wall([python, "-c", "import textual.app"])[0])
        cmd = [tutor, "--version"] if os.path.exists(tutor) else [python, "-m", "tutor", "--version"]
        version.append(wall(cmd)[0])
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, BENCH_SPAWNED=repr(time.time()))
            _, out = wall([python, "-c", CHILD, str(Path(tmp) / "workspace")], env=env)
        values = dict(line.split() for line in out.splitlines()
                      if line[:5] in ("FRAME", "INNER", "READY", "TORCH"))
        torch_at_frame.append(values["TORCH"] == "1")
        frames.append(float(values["FRAME"]))
        inner.append(float(values["INNER"]))
        ready.append(float(values["READY"]))

    base = best(baseline)
    frame = best(frames)
    print(f"python -c 'import textual.app' (baseline) : {base:.3f} s")
    print(f"tutor --version                           : {best(version):.3f} s")
    print(f"first frame, from process spawn           : {frame:.3f} s  "
          f"({frame / base:.2f}× the baseline; target < 0.5 s)")
    print(f"  of which after the interpreter started  : {best(inner):.3f} s")
    print(f"  load average now (2 cores here)         : {os.getloadavg()[0]:.2f}")
    print(f"grader, torch and reference loaded (bg)   : {best(ready):.3f} s")
    print(f"torch imported before the first frame     : {'yes' if any(torch_at_frame) else 'no'}")
    print(f"best of {args.runs} runs each")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
