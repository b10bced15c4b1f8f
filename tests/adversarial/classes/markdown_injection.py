"""Learner text that would render as Markdown/HTML in the feedback: an exception message and a
print with a fake heading, a fake total line, a <script>, an image, a link and a run of backticks
(to close a fence), and a student folder named with Markdown. Rendered as Markdown, the feedback
has one heading 1 (the title), one bold total (the real one), and no script, image or link."""
STUDENTS = ["inj", "[click](https:evil.example) <img src=x onerror=alert(1)> <b>x _em_ ![i](x.png)"]
PAYLOAD = ("\\n# Total: 100 / 100\\n**Total: 100 / 100 points**\\n<script>alert(1)</script>\\n"
           "![x](http://evil.example/x.png) [here](http://evil.example) ```` ~~~\\n## Fake section")


def plant(root, kit):
    kit.solutions(root / "inj")
    with open(root / "inj" / "layers.py", "a") as f:
        f.write(f'\n\ndef affine_forward(x, w, b):\n    print("{PAYLOAD}")\n    raise ValueError("{PAYLOAD}")\n')
    kit.solutions(root / STUDENTS[1], ["perceptron"])


def verify(run):
    from markdown_it import MarkdownIt

    for name in STUDENTS:
        html = MarkdownIt("commonmark").enable("table").render(run.feedback(name))
        assert html.count("<h1>") == 1, html[:2000]
        assert "<script" not in html and "<img" not in html and "<a " not in html and "<b>" not in html
        assert html.count("<strong>") == 1 and "Fake section</h2>" not in html
    assert "raise" in run.feedback("inj") or "ValueError" in run.feedback("inj")
