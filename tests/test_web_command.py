"""`tutor --web`: the same app in a browser, through textual-serve.

Tested twice, for real: over the websocket the browser would use (a lesson title arrives;
pressing c produces a result line), and in a real headless Chromium (Debian's package,
driven by Playwright with its executable path) that loads the page, presses keys and
takes a screenshot compared with tests/web/exercises-tab.png.

To renew the reference image after a deliberate change of the screen, run this module with
TUTOR_UPDATE_WEB_REFERENCE=1, then look at the new picture before committing it.
"""
from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tutor.cli import main

aiohttp = pytest.importorskip("aiohttp", reason="the web extra is part of dev: pip install -e '.[dev]'")

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).parent / "web" / "exercises-tab.png"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSI = re.compile(r"\x1b\[[0-9;?$]*[A-Za-z]|\x1b\][^\x07]*\x07")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebTutor:
    """`tutor --web` on 127.0.0.1, in its own process group (it starts one app per tab)."""

    def __init__(self, workspace: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # an $EDITOR that a browser could never show: the app must not use it there
        env = dict(os.environ, TUTOR_CACHE_DIR=str(workspace.parent / "cache"), EDITOR="vi")
        env.pop("VISUAL", None)
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tutor", "--web", "--host", "127.0.0.1", "--port", str(self.port),
             "--workspace", str(workspace)],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "tutor --web exited"
            try:
                with urllib.request.urlopen(self.url, timeout=2) as page:
                    if page.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"tutor --web did not answer on {self.url}")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def web_tutor(tmp_path):
    from tutor.workspace import ensure_workspace

    workspace, _ = ensure_workspace(tmp_path / "ws")
    server = WebTutor(workspace, tmp_path / "server.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def test_without_textual_serve_one_line_names_the_install_command(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["--web", "--port", str(free_port())]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        'tutor --web needs the web extra: pip install "nn-tutor[web]"']


class Screen:
    """What the app sent over the websocket, as plain text (escape codes removed)."""

    def __init__(self, websocket):
        self.websocket = websocket
        self.text = ""

    async def wait_for(self, pattern: str, timeout: float = 60.0) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (found := re.search(pattern, self.text)) is None:
            left = deadline - loop.time()
            assert left > 0, f"{pattern!r} never arrived; the last screen text was:\n{self.text[-2000:]}"
            try:
                message = await self.websocket.receive(timeout=min(left, 1.0))
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += ANSI.sub("", message.data.decode("utf-8", "replace"))
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.text += ANSI.sub("", message.data)
            else:
                raise AssertionError(f"the websocket closed: {message.type}")
        return found.group(0)


def test_over_the_websocket_a_lesson_arrives_and_c_checks(web_tutor):
    async def session() -> None:
        async with aiohttp.ClientSession() as client:
            async with client.ws_connect(f"{web_tutor.url}/ws?width=100&height=30") as websocket:
                screen = Screen(websocket)
                await screen.wait_for(r"The perceptron and the")
                await screen.wait_for(r"Lessons")
                screen.text = ""
                await websocket.send_json(["stdin", "c"])
                result = await screen.wait_for(r"\d+/\d+ passed")
                assert result.endswith("passed")
                # a browser has no $EDITOR: e opens the code editor in the app, on the file
                await websocket.send_json(["stdin", "3"])
                await websocket.send_json(["stdin", "e"])
                await screen.wait_for(r"perceptron\.py")
                await screen.wait_for(r"def \w+\(")
                await screen.wait_for(r"\^s Save")

    asyncio.run(session())


def images_differ(actual: bytes, reference: Path) -> float:
    """The fraction of pixels that differ visibly (any channel by more than 48 of 255), in
    the part of the page right of the lesson list (the list grows with every new lesson;
    the tabs, the exercises and the footer are what this test is about)."""
    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(actual)) as a, Image.open(reference) as b:
        a, b = a.convert("RGB"), b.convert("RGB")
        if a.size != b.size:
            return 1.0
        right = (int(a.size[0] * 0.31), 0, a.size[0], a.size[1])
        a, b = a.crop(right), b.crop(right)
        difference = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 48 else 0)
        return sum(difference.histogram()[255:]) / (a.size[0] * a.size[1])


def settled_screenshot(page, least: float = 6.0, timeout: float = 60.0) -> bytes:
    """A screenshot once the screen stops changing (the grader loads, toasts go), taken no
    sooner than `least` seconds from now."""
    time.sleep(least)
    last = page.screenshot()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(1.5)
        shot = page.screenshot()
        if shot == last:
            return shot
        last = shot
    raise AssertionError("the page never stopped changing")


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
def test_in_a_real_headless_chromium(web_tutor, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is part of dev")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1000, "height": 620})
        try:
            page = browser.new_page()
            page.goto(web_tutor.url)
            page.wait_for_selector("canvas", timeout=30000)
            settled_screenshot(page)            # the app is up
            page.locator(".xterm-helper-textarea").focus()   # where xterm.js takes keys
            page.keyboard.press("]")            # lesson 2, backprop
            page.keyboard.press("3")            # its exercises
            page.keyboard.press("ArrowDown")    # the second one
            shot = settled_screenshot(page)
        finally:
            browser.close()
    (tmp_path / "actual.png").write_bytes(shot)
    if os.environ.get("TUTOR_UPDATE_WEB_REFERENCE"):
        REFERENCE.write_bytes(shot)
    assert REFERENCE.exists(), "no reference image: run with TUTOR_UPDATE_WEB_REFERENCE=1, then look at it"
    differ = images_differ(shot, REFERENCE)
    assert differ < 0.02, f"{differ:.1%} of the pixels differ from {REFERENCE}; see {tmp_path / 'actual.png'}"
