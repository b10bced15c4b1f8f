"""Modules that are not ordinary source files: a FIFO (reading it would block forever), a 2 MB
sparse file, a file with null bytes, a file nobody may read (chmod 000; root reads it anyway, and
then it is simply graded). The run finishes; each is that module's problem."""
import os

STUDENTS = ["odd"]


def plant(root, kit):
    kit.solutions(root / "odd")
    os.remove(root / "odd" / "layers.py")
    os.mkfifo(root / "odd" / "layers.py")
    with open(root / "odd" / "optim.py", "wb") as f:
        f.truncate(2_000_000)
    (root / "odd" / "rnn.py").write_bytes(b"def rnn_step_forward(\x00):\n    pass\n")
    os.chmod(root / "odd" / "cnn.py", 0)


def verify(run):
    for module in ("layers", "optim", "rnn"):
        assert run.module_score("odd", module) == 0, module
    text = run.feedback("odd")
    assert "not a regular file" in text and "MB" in text
    assert run.module_score("odd", "perceptron") == run.module_points("perceptron")
    if os.geteuid() != 0:
        assert run.module_score("odd", "cnn") == 0 and "cannot be read" in text
