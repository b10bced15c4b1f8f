"""Planted bugs in initialization.py."""
from . import bug

BUGS = [
    bug("initialization.xavier_normal", "He's std sqrt(2 / n_in)", "property", """
        def xavier_normal(n_in, n_out, rng):
            return rng.normal(0.0, np.sqrt(2 / n_in), size=(n_in, n_out))
        """, message=("standard deviation", "std")),
    bug("initialization.xavier_normal", "the variance passed as the std", "property", """
        def xavier_normal(n_in, n_out, rng):
            return rng.normal(0.0, 2 / (n_in + n_out), size=(n_in, n_out))
        """, message=("standard deviation", "std")),
    bug("initialization.xavier_normal", "uniform samples with the right std", "property", """
        def xavier_normal(n_in, n_out, rng):
            limit = np.sqrt(6 / (n_in + n_out))
            return rng.uniform(-limit, limit, size=(n_in, n_out))
        """, message=("normal", "uniform")),
    bug("initialization.xavier_normal", "shape (n_out, n_in)", ("property", "shape", "transposed"), """
        def xavier_normal(n_in, n_out, rng):
            return rng.normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_out, n_in))
        """, message=("shape",)),
]
