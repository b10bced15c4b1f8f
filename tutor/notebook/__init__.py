"""Jupyter support: `check()` in a kernel, the notebooks tutor writes, and reading them back.

    check.py      check(fn) in a notebook: the cells the kernel ran are replayed in the sandbox
    program.py    a notebook's code cells as a program the sandboxed child runs as a kernel
                  would (in order, each exercise at its test cell, failing cells reported)
    render.py     one diagnosis as text (terminal) or HTML (Jupyter)
    sources.py    stubs and solutions of each exercise, from exercises/ and solutions/
    cells.py      grade ids of tutor's cells (and the definitions-only reading of answer cells)
    build.py      the cells every notebook is made of, and the self-study notebooks (one per
                  lesson, with plots)
    kernel.py     a "python3" kernelspec for this interpreter (tests, benchmarks, teachers)

The course's settings and hidden-test secret: tutor/course.py. A class under nbgrader (the
course export, reading submitted/, the hidden tests, the gradebook sync) is tutor/nbgrader/.
Nothing here imports torch or nbgrader at import time.
"""
