"""Hostile submissions: every attack in tests/adversarial/attacks/ against the real grader.

Each attack file is what a student appends to a correct module (solutions/<module>.py), so
the attacker's module is realistic: the attacked function is replaced, the rest is right,
and the attacker's other modules are correct too. Its first line says what must fail:

    # target: layers.affine_forward | expect: timeout crash
    # target: layers.* | expect: ...          (an attack at import: the whole module fails)

The safe outcome, asserted for every attack, both through the engine's Grader API and
through `tutor grade` (one class run mixing all attackers with honest students):
  - the attacked exercise scores 0, with a message, and a diagnosis from `expect`;
  - the attacker's other modules keep full marks, an honest student graded in the same run
    gets exactly the marks it gets alone;
  - the run finishes; nothing on disk changes (solutions/, reference/, exercises/, every
    student's files, the output folder), nothing reaches a listener on loopback, no
    process is left behind.
Every attack is bounded (fork bomb by a counter, the 10 GB allocation touches at most
512 MB, the 2 GB write goes to the sandbox's tmp, the timeout is 2 s) so that a failed
defence cannot take the machine down with it.
"""
from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tutor.engine import sandbox
from tutor.manifest import EXERCISES

REPO = Path(__file__).resolve().parent.parent
ATTACKS_DIR = Path(__file__).resolve().parent / "adversarial" / "attacks"
SOLUTIONS = REPO / "solutions"
MODULES = list(dict.fromkeys(e.module for e in EXERCISES))
TIMEOUT = 2.0
MARK = f"advesc{os.getpid() % 100000}"      # the name setsid_escapee gives its daemon (comm, 15 chars)
# Diagnoses that are a safe "this is wrong" (the attack-specific `expect` narrows them).
ERRORISH = {"timeout", "crash", "exception"}

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Attack:
    name: str
    module: str
    function: str | None          # None: the whole module is attacked (import time)
    expect: frozenset
    code: str
    taints_process: bool = False  # changes process-wide state (builtins, the worker's own code)
    needs: str = "none"           # the weakest sandbox tier that stops it: none | namespaces | bwrap

    def targets(self) -> list[str]:
        return [e.id for e in EXERCISES if e.module == self.module and (self.function is None or e.function == self.function)]


def load_attacks() -> list[Attack]:
    attacks = []
    for path in sorted(ATTACKS_DIR.glob("*.py")):
        text = path.read_text()
        match = re.match(r"# target: (\w+)\.(\w+|\*) \| expect: ([\w ]+?)( \| taints: process)?"
                         r"(?: \| needs: (bwrap|namespaces))?\n", text)
        assert match, f"{path.name}: first line must be '# target: MODULE.FUNCTION | expect: ...'"
        module, function, expect, taints, needs = match.groups()
        attacks.append(Attack(path.stem, module, None if function == "*" else function, frozenset(expect.split()),
                              text, bool(taints), needs or "none"))
    return attacks


ALL_ATTACKS = load_attacks()
TIER = sandbox.plan().tier
_STRENGTH = {"none": 0, "namespaces": 1, "bwrap": 2}
# Attacks that only a stronger sandbox than this machine's can stop are not run here (they
# would succeed, and some would really damage the class folder): they show as skipped, with
# the isolation level, which says the same thing in words.
ATTACKS = [a for a in ALL_ATTACKS if _STRENGTH[a.needs] <= _STRENGTH[TIER]]

# The engine runs all of one submission's modules in one forked child, so an attack that
# rewrites process-wide state at import (builtins, the worker's own functions) also breaks
# the attacker's later modules. It only hurts the attacker (honest students and the other
# attackers are unaffected: the other tests assert it); reported to the engine: one child
# per module would close it.
TAINTED = pytest.mark.xfail(reason="one child per submission, not per module (engine)", strict=False)


def attack_params(taint_marks: bool = False):
    params = []
    for a in ALL_ATTACKS:
        marks = [TAINTED] if taint_marks and a.taints_process else []
        if a not in ATTACKS:
            marks.append(pytest.mark.skip(reason=f"needs the {a.needs} sandbox; here: {sandbox.plan().level}"))
        params.append(pytest.param(a, id=a.name, marks=marks))
    return params


def student_module(attack: Attack, context: dict) -> str:
    code = attack.code
    for key, value in context.items():
        code = code.replace(key, str(value))
    solution = (SOLUTIONS / f"{attack.module}.py").read_text()
    return solution + "\n\n# ---- my own version ----\n" + code


HONEST_NOTE = "\n# HONEST-STUDENT-PRIVATE-NOTE: my own work, not to be read by anyone else\n"


def honest_sources(note: bool = True) -> dict[str, str]:
    """A correct submission; an honest student's layers.py carries a note memory_scan hunts for."""
    sources = {m: (SOLUTIONS / f"{m}.py").read_text() for m in MODULES}
    if note:
        sources["layers"] += HONEST_NOTE
    return sources


def snapshot(*roots: Path) -> dict[str, str]:
    """Every file under the roots: path -> sha256 (and the folders, so a deletion shows)."""
    state = {}
    for root in roots:
        if not root.exists():
            state[str(root)] = "missing"
            continue
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts:
                continue
            state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return state


def host_processes_named(name: str) -> list[int]:
    """Every process whose name, command line or environment carries `name`."""
    found = []
    marker = name.encode()
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if pid.isdigit() and int(pid) != os.getpid():
            for part in ("comm", "cmdline", "environ"):
                try:
                    if marker in Path(f"/proc/{pid}/{part}").read_bytes():
                        found.append(int(pid))
                        break
                except OSError:
                    pass
    return found


class Listener:
    """TCP and UDP on one loopback port; records anything that arrives."""

    def __init__(self):
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(16)
        self.tcp.settimeout(0.2)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.udp.settimeout(0.2)
        self.received: list[bytes] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._tcp, daemon=True), threading.Thread(target=self._udp, daemon=True)]
        for thread in self.threads:
            thread.start()

    def _tcp(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.tcp.accept()
                conn.settimeout(1)
                self.received.append(b"tcp:" + conn.recv(1024))
                conn.close()
            except OSError:
                pass

    def _udp(self):
        while not self.stop.is_set():
            try:
                self.received.append(b"udp:" + self.udp.recv(1024))
            except OSError:
                pass

    def close(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()
        self.tcp.close()
        self.udp.close()


def make_class(base: Path, listener: Listener) -> tuple[Path, Path, dict]:
    """The class folder (honest students + one folder per attacker) and an output folder."""
    klass, out = base / "class", base / "out"
    repo = REPO
    if sandbox.plan().tier == "none":
        # Nothing would stop an attack from writing to the checkout: aim it at a decoy copy.
        repo = base / "decoy_repo"
        for folder in ("solutions", "reference"):
            shutil.copytree(REPO / folder, repo / folder)
    context = {"__REPO__": repo, "__CLASS__": klass, "__OUT__": out, "__PORT__": listener.port, "__MARK__": MARK}
    for student in ("honest", "honest2"):
        (klass / student).mkdir(parents=True)
        for module, text in honest_sources().items():
            (klass / student / f"{module}.py").write_text(text)
    for attack in ATTACKS:
        folder = klass / f"x_{attack.name}"
        folder.mkdir(parents=True)
        for module, text in honest_sources(note=False).items():
            (folder / f"{module}.py").write_text(text)
        (folder / f"{attack.module}.py").write_text(student_module(attack, context))
    out.mkdir()
    (out / "canary.txt").write_text("the output folder before the run\n")
    return klass, out, context


def guarded_roots(klass: Path) -> list[Path]:
    return [REPO / "solutions", REPO / "reference", REPO / "exercises", klass]


def pwned_files(*roots: Path) -> list[str]:
    return [str(p) for root in roots if root.exists() for p in root.rglob("PWNED*")]


# -- through the Grader API ------------------------------------------------------------------

@pytest.fixture(scope="module")
def api_run(tmp_path_factory):
    from tutor.engine import Grader

    base = tmp_path_factory.mktemp("adversarial_api")
    listener = Listener()
    try:
        klass, out, _ = make_class(base, listener)
        before = snapshot(*guarded_roots(klass), out)
        started = time.monotonic()
        with Grader(timeout=TIMEOUT, jobs=2) as grader:
            isolation = grader.isolation
            alone = grader.grade(honest_sources())

            def grade_attacker(attack: Attack):
                folder = klass / f"x_{attack.name}"
                return attack.name, grader.grade({m: (folder / f"{m}.py").read_text() for m in MODULES})

            with ThreadPoolExecutor(max_workers=2) as pool:
                futures = [pool.submit(grade_attacker, a) for a in ATTACKS]
                honest_during = pool.submit(grader.grade, honest_sources())
                attacked = dict(f.result() for f in futures)
                during = honest_during.result()
            after = grader.grade(honest_sources())
        seconds = time.monotonic() - started
        time.sleep(0.5)
        return {"isolation": isolation, "alone": alone, "during": during, "after": after, "attacked": attacked,
                "before": before, "after_disk": snapshot(*guarded_roots(klass), out), "seconds": seconds,
                "received": list(listener.received), "leftover": host_processes_named(MARK),
                "pwned": pwned_files(klass, out, REPO)}
    finally:
        listener.close()


def by_id(results) -> dict:
    return {r.exercise: r for r in results}


def test_there_are_enough_attacks():
    assert len(ALL_ATTACKS) >= 53      # 38 before issue 10, and 15 engine attacks of it at least
    for attack in ALL_ATTACKS:
        assert attack.targets(), f"{attack.name}: no such exercise"


@pytest.mark.parametrize("attack", attack_params())
def test_attack_fails_safely_api(api_run, attack):
    results = by_id(api_run["attacked"][attack.name])
    honest = by_id(api_run["alone"])
    targets = attack.targets()
    for exercise_id in targets:
        r = results[exercise_id]
        assert r.score == 0 and not r.passed, f"{attack.name} scored {r.score} on {exercise_id}: {r.message}"
        assert r.message.strip(), f"{attack.name}: no message for {exercise_id}"
    main = results[targets[0]]
    assert main.diagnosis in attack.expect, f"{attack.name}: {main.diagnosis} ({main.message})"


@pytest.mark.parametrize("attack", attack_params(taint_marks=True))
def test_attackers_other_modules_keep_full_marks_api(api_run, attack):
    results = by_id(api_run["attacked"][attack.name])
    honest = by_id(api_run["alone"])
    for exercise_id, r in results.items():
        if exercise_id.split(".")[0] != attack.module:
            assert (r.score, r.passed) == (honest[exercise_id].score, honest[exercise_id].passed), \
                f"{attack.name} broke {exercise_id}: {r.message}"


def test_honest_student_unaffected_api(api_run):
    alone = [(r.exercise, r.score, r.passed) for r in api_run["alone"]]
    assert all(passed for _, _, passed in alone), [a for a in alone if not a[2]]
    assert [(r.exercise, r.score, r.passed) for r in api_run["during"]] == alone
    assert [(r.exercise, r.score, r.passed) for r in api_run["after"]] == alone


def test_nothing_changed_on_disk_api(api_run):
    before, after = api_run["before"], api_run["after_disk"]
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert changed == []
    assert api_run["pwned"] == []


def test_nothing_left_behind_api(api_run):
    assert api_run["received"] == [], "a submission reached the loopback listener"
    assert api_run["leftover"] == [], "a submission left a process running"


def test_isolation_is_reported(api_run):
    assert api_run["isolation"].startswith(("full:", "reduced:"))


# -- through `tutor grade`: one class run, honest and hostile students mixed --------------------

@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("adversarial_cli")
    listener = Listener()
    try:
        klass, out, _ = make_class(base, listener)
        before = snapshot(*guarded_roots(klass))
        canary = (out / "canary.txt").read_text()
        env = dict(os.environ, COLUMNS="200", PYTHONIOENCODING="utf-8")
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "tutor", "grade", str(klass), "--out", str(out),
                               "--timeout", str(TIMEOUT), "--jobs", "2"],
                              capture_output=True, text=True, timeout=600, env=env, cwd=REPO)
        seconds = time.monotonic() - started
        time.sleep(0.5)
        rows = []
        if (out / "grades.csv").exists():
            with open(out / "grades.csv", newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
        return {"done": done, "rows": rows, "before": before, "after": snapshot(*guarded_roots(klass)),
                "canary": canary, "canary_after": (out / "canary.txt").read_text() if (out / "canary.txt").exists() else None,
                "received": list(listener.received), "leftover": host_processes_named(MARK),
                "pwned": pwned_files(klass, out, REPO), "seconds": seconds, "out": out}
    finally:
        listener.close()


def scores(rows, student) -> dict[str, float]:
    header = rows[0]
    s, e, sc = header.index("student"), header.index("exercise"), header.index("score")
    return {r[e]: float(r[sc]) for r in rows[1:] if r[s] == student}


def test_class_run_finishes(cli_run):
    done = cli_run["done"]
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "Traceback" not in done.stdout + done.stderr
    assert cli_run["rows"], "no grades.csv"
    # The run says how it was confined (the gradebook keeps the same words).
    assert "Isolation: " + sandbox.plan().level.split(":")[0] in " ".join(done.stdout.split())


def test_honest_students_get_their_marks_in_a_hostile_class(cli_run, api_run):
    alone = {r.exercise: r.score for r in api_run["alone"]}
    for student in ("honest", "honest2"):
        assert scores(cli_run["rows"], student) == pytest.approx(alone), student


@pytest.mark.parametrize("attack", attack_params())
def test_attack_fails_safely_cli(cli_run, attack):
    got = scores(cli_run["rows"], f"x_{attack.name}")
    assert got, f"x_{attack.name} is missing from grades.csv"
    for exercise_id in attack.targets():
        assert got[exercise_id] == 0, f"{attack.name} scored {got[exercise_id]} on {exercise_id}"


@pytest.mark.parametrize("attack", attack_params(taint_marks=True))
def test_attackers_other_modules_keep_full_marks_cli(cli_run, api_run, attack):
    got = scores(cli_run["rows"], f"x_{attack.name}")
    alone = {r.exercise: r.score for r in api_run["alone"]}
    for exercise_id, score in got.items():
        if exercise_id.split(".")[0] != attack.module:
            assert score == pytest.approx(alone[exercise_id]), f"{attack.name} broke {exercise_id}"


def test_nothing_changed_on_disk_cli(cli_run):
    before, after = cli_run["before"], cli_run["after"]
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert changed == []
    assert cli_run["canary_after"] == cli_run["canary"]
    assert cli_run["pwned"] == []


def test_nothing_left_behind_cli(cli_run):
    assert cli_run["received"] == []
    assert cli_run["leftover"] == []


def test_feedback_is_not_flooded(cli_run):
    feedback = cli_run["out"] / "feedback"
    if feedback.exists():
        for path in feedback.rglob("*"):
            if path.is_file():
                assert path.stat().st_size < 2 << 20, f"{path.name} is {path.stat().st_size} bytes"


def test_no_terminal_escapes_reach_the_instructor(cli_run):
    """hostile_text's escapes never reach the terminal or the feedback files as bytes."""
    done = cli_run["done"]
    for text in (done.stdout, done.stderr):
        assert "\x1b" not in text and "\x07" not in text and "\x00" not in text
    for path in (cli_run["out"] / "feedback").rglob("*"):
        if path.is_file():
            data = path.read_text(encoding="utf-8", errors="replace")
            assert "\x1b" not in data and "\x07" not in data and "\x00" not in data, path.name
