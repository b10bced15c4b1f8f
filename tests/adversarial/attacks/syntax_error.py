# target: layers.* | expect: exception missing_function
"""The file does not even parse: every layers exercise fails with the SyntaxError shown."""


def affine_forward(x, w, b)
    return x @ w + b
