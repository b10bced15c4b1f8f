"""Learner-controlled text (messages, exception text, printed text, student and file names) made safe
for every place tutor writes it: a terminal, a CSV cell, Markdown, HTML.

printable() is the one function that makes learner text safe: the engine calls it where every
result is built, the classroom where it reads names and writes reports; the other functions
here escape for one context (a line, a CSV cell, Markdown, HTML) on top of it. Standard library
only, so the engine imports it freely.

    printable(text)      no control characters (but newline and tab), no bidirectional overrides or
                         line separators, no lone surrogates (an undecodable file name): each is
                         shown as a visible escape such as \\x1b or \\udcff
    one_line(text)       printable, and newlines and tabs shown as \\n and \\t (a name, a table cell)
    csv_cell(value)      a grades.csv cell a spreadsheet never runs (OWASP's CSV-injection rule: a
                         text cell starting with = + - @ tab or CR gets a leading single quote);
                         numbers stay numbers
    markdown_inline(text)  one line of text that Markdown renders literally: every ASCII punctuation
                         character backslash-escaped (no link, image, emphasis, HTML tag or entity)
    html_text(text)      printable, then HTML-escaped (quotes too): text inside an element or attribute
    markdown_block(text) text in a fenced code block whose fence is longer than any backtick run
                         in it, so nothing inside is a heading, a table, a link or HTML

Every function here is total: it accepts any str (or object, via str()) and never raises.
"""
from __future__ import annotations

import html
import re

# C0 controls but tab and newline, DEL, C1 controls, the Unicode line/paragraph separators,
# bidirectional marks, overrides and isolates, and lone surrogates (a file name that was not UTF-8).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")   # every ASCII punctuation character


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text) -> str:
    text = text if isinstance(text, str) else str(text)
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text.replace("\r\n", "\n"))


def one_line(text) -> str:
    return printable(text).replace("\n", "\\n").replace("\t", "\\t")


def csv_cell(value) -> str:
    """A cell for grades.csv. A number (int, float, or a string that is exactly a number) is
    written as it is; any other text starting with a character a spreadsheet treats as the start
    of a formula is prefixed with a single quote, so it is shown, never evaluated."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = printable(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def markdown_inline(text) -> str:
    return _MD_PUNCTUATION.sub(r"\\\1", one_line(text))


def markdown_block(text, info: str = "text") -> str:
    text = printable(text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def html_text(text) -> str:
    return html.escape(printable(text), quote=True)
