"""exercises/, solutions/ and reference/ define every function of shared/EXERCISES.md."""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHECKER = ROOT.parent / "shared" / "tools" / "contract_check.py"


@pytest.mark.skipif(not CHECKER.exists(), reason="shared/tools/contract_check.py is not beside the checkout")
def test_every_folder_meets_the_contract():
    result = subprocess.run([sys.executable, str(CHECKER)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
