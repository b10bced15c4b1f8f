"""The real `tutor` in a real terminal (tmux): start, read the screen, navigate, play,
check with the real grader, fix a file while watch mode is on, quit.

Skipped only when tmux is missing (CI installs it).
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_app_support import broken_backprop, fixed_backprop, fresh_workspace

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


class Tmux:
    def __init__(self, name: str):
        self.socket = f"tutor-test-{os.getpid()}-{name}"
        self.session = name

    def run(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              timeout=30)
        return done.stdout

    def start(self, command: str, width: int = 100, height: int = 30, env: dict | None = None):
        env_args = [arg for key, value in (env or {}).items() for arg in ("-e", f"{key}={value}")]
        self.run("new-session", "-d", "-x", str(width), "-y", str(height), "-s", self.session,
                 *env_args, command)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.15)

    def wait_for(self, needle: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if needle in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")

    def kill(self) -> None:
        socket_path = self.run("display-message", "-p", "#{socket_path}").strip()
        self.run("kill-server")
        if socket_path:
            Path(socket_path).unlink(missing_ok=True)


@pytest.fixture
def tmux():
    session = Tmux("tutor")
    yield session
    session.kill()


def tutor_command(workspace: Path) -> str:
    script = Path(sys.executable).with_name("tutor")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "tutor"]
    argv += ["--workspace", str(workspace)]
    # keep the pane open after the app exits, to read its exit status
    return f"{shlex.join(argv)}; echo TUTOR-EXITED-$?; sleep 60"


def test_the_real_tutor_in_tmux(tmux, tmp_path):
    workspace = fresh_workspace(tmp_path)
    broken_backprop(workspace)
    root = Path(__file__).resolve().parent.parent
    tmux.start(tutor_command(workspace), env={"PYTHONPATH": str(root), "TERM": "xterm-256color"})

    screen = tmux.wait_for("Lessons")
    assert "1. The perceptron" in screen and "Lesson" in screen and "Exercises" in screen

    # the next lesson, its playground, one backward step
    tmux.keys("]")
    tmux.wait_for("2. Backpropagation on a graph")
    tmux.keys("2")
    tmux.wait_for("f = -12")
    tmux.keys("s")
    tmux.wait_for("∂f/∂f = 1")

    # the exercises, checked by the real grader
    tmux.keys("3", "c")
    screen = tmux.wait_for("1/2 passed", timeout=60)
    assert "✓" in screen and "✗" in screen

    # watch mode: a fix saved from outside turns green without a restart
    tmux.keys("w")
    tmux.wait_for("Watching")
    fixed_backprop(workspace)
    tmux.wait_for("2/2 passed", timeout=60)

    # help, then quit
    tmux.keys("?")
    tmux.wait_for("Everywhere")
    tmux.keys("Escape")
    time.sleep(0.5)
    tmux.keys("C-q")
    tmux.wait_for("TUTOR-EXITED-0")
