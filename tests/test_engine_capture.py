"""worker/capture.py: learner prints, kept in memory and capped."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

WORKER = Path(__file__).resolve().parents[1] / "tutor" / "engine" / "worker"
sys.path.insert(0, str(WORKER))
import capture  # noqa: E402


def test_captured_output_is_capped():
    stream = capture.CappedText()
    stream.write("a" * (capture.MAX_TEXT + 50))
    text = stream.take()
    assert text.startswith("a" * capture.MAX_TEXT) and "50 more characters" in text
    assert stream.take() == ""


def test_captured_output_has_a_capped_byte_side():
    stream = capture.CappedText()
    assert stream.buffer.write(b"caf\xc3\xa9 \xff") == 7
    assert stream.buffer.write(bytearray(b"!")) == 1
    assert stream.encoding == "utf-8" and not stream.isatty() and not stream.buffer.isatty()
    for each in (stream, stream.buffer):
        with pytest.raises(io.UnsupportedOperation):
            each.fileno()
    with pytest.raises(TypeError):
        stream.buffer.write("text")
    assert stream.take() == "café \ufffd!"
    assert stream.buffer.write(b"b" * (2 * capture.MAX_TEXT)) == 2 * capture.MAX_TEXT
    stream.buffer.write(b"more")
    text = stream.take()
    assert text.startswith("b" * capture.MAX_TEXT) and f"{capture.MAX_TEXT + 4} more characters" in text
