"""Grading a whole class: `tutor grade SUBMISSIONS --out OUT`.

    submissions.py  the class folder -> {student: {module: source}}, with a clear message for
                    every file it cannot use (the seam the nbgrader reader plugs into)
    gradebook.py    the SQLite gradebook in OUT: schema, the single writer thread, resume
    reports.py      grades.csv and feedback/<student>.md, written atomically from the gradebook
    runner.py       grading the students that need it, several at once, through tutor.engine
    pipeline.py     the use case as a library: grade_class(GradeOptions) yields progress events;
                    the Executor seam (LocalExecutor: runner.py's worker pool on this machine)
    cluster.py      DaskExecutor: `tutor grade --cluster` (the coordinator's side)
    cluster_worker.py  the Dask worker's side: plugin, refusal checks, the batch task

None of these import torch; the engine does, when a check runs.
"""
