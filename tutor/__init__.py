"""tutor: learn neural networks by implementing them, with a grader that explains mistakes."""
__version__ = "0.1.0"
