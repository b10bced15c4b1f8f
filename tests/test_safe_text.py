"""tutor/safe_text.py: the one place learner text is made safe, for any input (hypothesis)."""
from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tutor.safe_text import csv_cell, markdown_block, markdown_inline, one_line, printable

ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200)
HOSTILE = st.text(alphabet=st.sampled_from(list("`~#*_[]()!<>&\\|-=+@\t\r\n x/:\"'") + ["\x1b", "\u202e", "\udcff"]),
                  max_size=80)
TEXTS = st.one_of(ANY_TEXT, HOSTILE)
MD = MarkdownIt("commonmark").enable("table")


def test_control_characters_become_visible_escapes():
    assert printable("a\x1b[31mb\x00c\u202ed\udcffe\r\nf\tg") == "a\\x1b[31mb\\x00c\\u202ed\\udcffe\nf\tg"
    assert one_line("a\nb\tc") == "a\\nb\\tc"


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_printable_is_total_and_safe(text):
    out = printable(text)
    out.encode("utf-8")                                     # no lone surrogates
    assert all(ord(c) >= 32 or c in "\n\t" for c in out)
    assert not any(c in out for c in "\x7f\u202e\u2066\u2028")
    assert "\n" not in one_line(text) and "\t" not in one_line(text)


def unsafe(c: str) -> bool:
    """What must never reach a reader, spelled out here apart from the module's own pattern."""
    code = ord(c)
    return ((code < 32 and c not in "\n\t") or 0x7f <= code <= 0x9f or c in "\u200e\u200f\u2028\u2029"
            or 0x202a <= code <= 0x202e or 0x2066 <= code <= 0x2069 or 0xd800 <= code <= 0xdfff)


SAFE_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()).filter(lambda c: not unsafe(c)),
                    max_size=200)


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_printable_never_lets_an_unsafe_code_point_through(text):
    out = printable(text)
    assert not any(unsafe(c) for c in out)
    assert printable(out) == out                            # safe once, safe for good


@given(SAFE_TEXT)
@settings(max_examples=300, deadline=None)
def test_safe_text_is_unchanged(text):
    assert printable(text) == text


@given(SAFE_TEXT, st.integers(0xd800, 0xdfff), SAFE_TEXT)
@settings(max_examples=200, deadline=None)
def test_a_lone_surrogate_becomes_its_escape(before, code, after):
    assert printable(before + chr(code) + after) == f"{before}\\u{code:04x}{after}"


def test_crlf_becomes_a_newline_and_other_objects_become_text():
    assert printable("a\r\nb\rc") == "a\nb\\x0dc"
    assert printable(3.5) == "3.5" and printable(b"\x1b") == "b'\\x1b'"


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_csv_cells_never_start_a_formula(text):
    cell = csv_cell(text)
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell, 1.5])
    back = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert back[0] == cell and back[1] == "1.5"
    if not cell.lstrip("+-").replace(".", "", 1).replace("e", "", 1).isdigit():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_csv_numbers_stay_numbers():
    assert csv_cell(3) == "3" and csv_cell(-2.5) == "-2.5" and csv_cell("-2.5") == "-2.5"
    assert csv_cell("=1+2") == "'=1+2" and csv_cell("-2+3") == "'-2+3" and csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("ada") == "ada" and csv_cell(None) == ""


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_markdown_inline_renders_as_its_own_text(text):
    html = MD.render("# Title " + markdown_inline(text))
    assert html.count("<h1>") == 1 and "<a " not in html and "<img" not in html and "<em>" not in html
    assert "<script" not in html and "<code>" not in html and "<strong>" not in html


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_markdown_block_holds_everything(text):
    html = MD.render("before\n\n" + markdown_block(text) + "\n\nafter")
    assert html.count("<pre>") == 1 and html.rstrip().endswith("<p>after</p>")
    assert "<h1>" not in html and "<a " not in html and "<img" not in html and "<script" not in html.replace("&lt;script", "")


def test_a_fence_longer_than_any_backtick_run():
    block = markdown_block("``` ```` x")
    assert block.startswith("`````text\n") and block.endswith("\n`````")
