"""tutor/engine/threads.py: a grading process keeps its own BLAS and OpenMP maths on one thread."""
import subprocess
import sys
import textwrap

import pytest

threadpoolctl = pytest.importorskip("threadpoolctl")


def run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_one_math_thread_limits_every_thread_pool_of_the_process_to_one():
    out = run("""
        import numpy as np
        from threadpoolctl import threadpool_info
        from tutor.engine.threads import one_math_thread
        one_math_thread()
        one_math_thread()   # twice is harmless
        print(sorted({pool["num_threads"] for pool in threadpool_info()}))
    """)
    assert out == "[1]"


def test_a_grader_that_starts_its_workers_limits_the_threads():
    out = run("""
        import numpy as np
        from threadpoolctl import threadpool_info
        import tutor.engine
        blas = lambda: {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}
        before = blas()
        from tutor import manifest
        grader = tutor.engine.Grader(exercises=[manifest.by_id("optim.sgd_step")], jobs=1)
        grader.start()
        grader.close()
        print(sorted(blas()))
    """)
    assert out == "[1]"     # NumPy's BLAS, which the judging uses
