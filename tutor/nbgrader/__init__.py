"""tutor and nbgrader: a real nbgrader course, graded by tutor in its sandbox.

    export.py     `tutor nbgrader export COURSE`: one assignment per lesson, answer and test
                  cells with nbgrader's metadata, the course's course.toml and secret
    notebooks.py  reading a submitted/<student>/<assignment>/<notebook>.ipynb class folder
                  (a reader for tutor/classroom/submissions.py) and the HiddenTestsGrader
                  that runs each test cell's hidden tests next to its visible ones
    files.py      what a submission folder holds besides notebooks, copied as autograde copies it
    outputs.py    a graded test cell's outputs, as check() would have shown them in the kernel
    sync.py       `tutor grade --nbgrader-db`: nbgrader's gradebook and autograded/ filled as
                  `nbgrader autograde` fills them (formgrader, feedback and export work after)
    session.py    one nbgrader Gradebook session for the whole class
    process.py    the sync in a Python process of its own, while the class is graded
    imports.py    importing nbgrader at half the cost
    classkit.py   made-up students (correct, wrong, blank, half, tampered) for tests and benchmarks

The notebooks themselves (cells, check() in a kernel, a notebook as a program) are
tutor/notebook/; the class pipeline that calls these is tutor/classroom/pipeline.py.
Nothing here imports nbgrader at import time (the `classroom` extra installs it).
"""
