# target: layers.affine_forward | expect: not_array
"""Return an object that equals everything and pretends to be an array."""


class Anything:
    shape = property(lambda self: self._shape)
    dtype = "float64"

    def __init__(self, shape):
        self._shape = shape

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__

    def __abs__(self):
        return 0.0

    def __float__(self):
        return 0.0

    def __len__(self):
        return self._shape[0]

    def __bool__(self):
        return True


def affine_forward(x, w, b):
    return Anything((x.shape[0], w.shape[1])), None
