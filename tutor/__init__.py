"""tutor: learn neural networks by implementing them, with a grader that explains mistakes."""
__version__ = "0.1.0"


def __getattr__(name):
    # `from tutor import check` in a notebook; loaded lazily so `import tutor` stays light.
    if name == "check":
        from tutor.notebook.check import check

        return check
    raise AttributeError(f"module 'tutor' has no attribute {name!r}")
