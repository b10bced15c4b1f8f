# target: layers.affine_forward | expect: exception
"""Text that attacks whoever reads the report: terminal escapes (clear screen, fake green
"PASSED"), Rich markup, HTML, a CSV formula and a newline-forged report line."""

PAYLOAD = ("\x1b[2J\x1b[H\x1b[32mlayers.affine_forward PASSED 1.0/1.0\x1b[0m\r"
           "[bold green]✓ correct on every case[/]"
           "<script>alert('grader')</script><img src=x onerror=alert(1)>"
           "\n=HYPERLINK(\"http://evil.example\",\"ok\")\nmallory,layers.affine_forward,1.0,1.0\x07\x00")


class Trick(Exception):
    pass


Trick.__name__ = Trick.__qualname__ = "\x1b]0;pwned\x07Passed"


def affine_forward(x, w, b):
    raise Trick(PAYLOAD)
