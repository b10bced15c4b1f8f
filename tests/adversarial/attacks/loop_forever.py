# target: layers.affine_forward | expect: timeout
"""affine_forward never returns: the grader must time it out and go on."""


def affine_forward(x, w, b):
    while True:
        pass
