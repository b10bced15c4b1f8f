"""Planted bugs in train.py: predict, and the capstone judged on held-out digits."""
from . import bug

BUGS = [
    bug("train.predict", "no ReLU in the hidden layer", "known_mistake", """
        def predict(X, W1, b1, W2, b2):
            return ((X @ W1 + b1) @ W2 + b2).argmax(axis=1)
        """, message=("relu",)),
    bug("train.predict", "returns the scores, not the classes", "shape", """
        def predict(X, W1, b1, W2, b2):
            return np.maximum(X @ W1 + b1, 0) @ W2 + b2
        """),
    bug("train.predict", "argmax over the batch axis", "shape", """
        def predict(X, W1, b1, W2, b2):
            return (np.maximum(X @ W1 + b1, 0) @ W2 + b2).argmax(axis=0)
        """),
    bug("train.train_classifier", "never keeps its updates", "property", """
        def train_classifier(X, y, hidden_size, num_classes, epochs, lr, batch_size, rng):
            params = [_xavier(X.shape[1], hidden_size, rng), np.zeros(hidden_size),
                      _xavier(hidden_size, num_classes, rng), np.zeros(num_classes)]
            for epoch in range(epochs):
                order = rng.permutation(len(X))
                for start in range(0, len(X), batch_size):
                    batch = order[start:start + batch_size]
                    _, grads = _loss_and_gradients(X[batch], y[batch], *params)
                    [p - lr * g for p, g in zip(params, grads)]
            return tuple(params)
        """, message=("updated at all",)),
    bug("train.train_classifier", "steps uphill", "property", """
        def train_classifier(X, y, hidden_size, num_classes, epochs, lr, batch_size, rng):
            params = [_xavier(X.shape[1], hidden_size, rng), np.zeros(hidden_size),
                      _xavier(hidden_size, num_classes, rng), np.zeros(num_classes)]
            for epoch in range(epochs):
                order = rng.permutation(len(X))
                for start in range(0, len(X), batch_size):
                    batch = order[start:start + batch_size]
                    _, grads = _loss_and_gradients(X[batch], y[batch], *params)
                    params = [p + lr * g for p, g in zip(params, grads)]
            return tuple(params)
        """, message=("held-out digits",)),
    bug("train.train_classifier", "trains on the first batch only", "property", """
        def train_classifier(X, y, hidden_size, num_classes, epochs, lr, batch_size, rng):
            params = [_xavier(X.shape[1], hidden_size, rng), np.zeros(hidden_size),
                      _xavier(hidden_size, num_classes, rng), np.zeros(num_classes)]
            for epoch in range(epochs):
                batch = np.arange(batch_size)
                _, grads = _loss_and_gradients(X[batch], y[batch], *params)
                params = [p - lr * g for p, g in zip(params, grads)]
            return tuple(params)
        """, message=("held-out digits",)),
    bug("train.train_classifier", "returns the weights in the wrong order", "property", """
        def train_classifier(X, y, hidden_size, num_classes, epochs, lr, batch_size, rng):
            params = [_xavier(X.shape[1], hidden_size, rng), np.zeros(hidden_size),
                      _xavier(hidden_size, num_classes, rng), np.zeros(num_classes)]
            return params[0], params[2], params[1], params[3]
        """, message=("in that order",)),
]
