"""Jupyter support: `check()` in a kernel, the notebooks tutor writes, and reading them back.

    check.py      check(fn) in a notebook: the cells the kernel ran are replayed in the sandbox
    program.py    a notebook's code cells as a program the sandboxed child runs as a kernel
                  would (in order, each exercise at its test cell, failing cells reported)
    render.py     one diagnosis as text (terminal) or HTML (Jupyter)
    sources.py    stubs and solutions of each exercise, from exercises/ and solutions/
    cells.py      grade ids of tutor's cells (and the definitions-only reading of answer cells)
    build.py      the nbgrader course (source/<assignment>/<notebook>.ipynb) and the
                  self-study notebooks (one per lesson, with plots)
    kernel.py     a "python3" kernelspec for this interpreter (tests, benchmarks, teachers)
    classkit.py   made-up students (correct, wrong, blank, half, tampered) for tests and benchmarks

The course's settings and hidden-test secret: tutor/course.py. The class side lives in
tutor/classroom/nbgrader_notebooks.py (reading submitted/) and
tutor/classroom/nbgrader_sync.py (writing nbgrader's gradebook). Nothing here imports torch
or nbgrader at import time.
"""
