"""Planted bugs in optim.py."""
from . import bug

BUGS = [
    bug("optim.sgd_step", "steps uphill: w + lr * dw", ("mismatch", "known_mistake"), """
        def sgd_step(w, dw, lr):
            return w + lr * dw
        """),
    bug("optim.sgd_step", "updates w in place", "modified_input", """
        def sgd_step(w, dw, lr):
            w -= lr * dw
            return w
        """, message=("input array w",)),
    bug("optim.sgd_step", "forgets the learning rate", "mismatch", """
        def sgd_step(w, dw, lr):
            return w - dw
        """),
    bug("optim.sgd_step", "still the exercise stub", "not_implemented", """
        def sgd_step(w, dw, lr):
            raise NotImplementedError("sgd_step")
        """),
    bug("optim.momentum_step", "returns only the new weights", "not_array", """
        def momentum_step(w, dw, v, lr, mu):
            v_new = mu * v - lr * dw
            return w + v_new
        """),
    bug("optim.momentum_step", "velocity pushes uphill: mu v + lr dw", "mismatch", """
        def momentum_step(w, dw, v, lr, mu):
            v_new = mu * v + lr * dw
            return w + v_new, v_new
        """),
    bug("optim.momentum_step", "moves w by the old velocity", "mismatch", """
        def momentum_step(w, dw, v, lr, mu):
            v_new = mu * v - lr * dw
            return w + v, v_new
        """),
    bug("optim.momentum_step", "updates the velocity in place", "modified_input", """
        def momentum_step(w, dw, v, lr, mu):
            v *= mu
            v -= lr * dw
            return w + v, v
        """, message=("input array v",)),
]

# --- schedules and mini-batches ---------------------------------------------------------------------

BUGS += [
    bug("optim.lr_step_decay", "drops one epoch too early: (epoch + 1) // every", "known_mistake", """
        def lr_step_decay(lr0, epoch, drop=0.5, every=10):
            return lr0 * drop ** ((epoch + 1) // every)
        """, message=("one epoch too early",)),
    bug("optim.lr_step_decay", "decays smoothly: epoch / every", "known_mistake", """
        def lr_step_decay(lr0, epoch, drop=0.5, every=10):
            return lr0 * drop ** (epoch / every)
        """, message=("integer division",)),
    bug("optim.lr_step_decay", "ignores the every argument", "mismatch", """
        def lr_step_decay(lr0, epoch, drop=0.5, every=10):
            return lr0 * drop ** (epoch // 10)
        """),
    bug("optim.lr_exponential_decay", "forgets the minus sign", "known_mistake", """
        def lr_exponential_decay(lr0, epoch, k):
            return lr0 * np.exp(k * epoch)
        """, message=("minus sign",)),
    bug("optim.lr_exponential_decay", "one epoch ahead: exp(-k (epoch + 1))", "known_mistake", """
        def lr_exponential_decay(lr0, epoch, k):
            return lr0 * np.exp(-k * (epoch + 1))
        """, message=("epoch 0 must give lr0",)),
    bug("optim.lr_exponential_decay", "(1 - k) ** epoch", "known_mistake", """
        def lr_exponential_decay(lr0, epoch, k):
            return lr0 * (1 - k) ** epoch
        """, message=("(1 − k) ** epoch",)),
    bug("optim.minibatches", "drops the last partial batch", "known_mistake", """
        def minibatches(n, batch_size, rng):
            order = rng.permutation(n)
            return [order[i:i + batch_size] for i in range(0, n - batch_size + 1, batch_size)]
        """, message=("last, shorter batch",)),
    bug("optim.minibatches", "never shuffles", "known_mistake", """
        def minibatches(n, batch_size, rng):
            order = np.arange(n)
            return [order[i:i + batch_size] for i in range(0, n, batch_size)]
        """, message=("rng.permutation(n)",)),
    bug("optim.minibatches", "reuses one fixed permutation instead of the rng it is given", "known_mistake", """
        def minibatches(n, batch_size, rng):
            order = np.random.default_rng(0).permutation(n)
            return [order[i:i + batch_size] for i in range(0, n, batch_size)]
        """, message=("from the rng you are given",)),
    bug("optim.minibatches", "np.array_split into n // batch_size pieces", "known_mistake", """
        def minibatches(n, batch_size, rng):
            return np.array_split(rng.permutation(n), max(n // batch_size, 1))
        """, message=("wrong sizes",)),
]
