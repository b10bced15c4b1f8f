"""The lectures' worked examples, as numbers: one place for lessons, tests and hints.

Sources (see shared/seeds/README.md):

- 002 (ICS-FORTH), backprop on f(x, y, z) = (x + y)·z at x = -2, y = 5, z = -4:
  f = -12 and (∂f/∂x, ∂f/∂y, ∂f/∂z) = (-4, -4, 3).
- 001 (IMIM 2020), the parameter-counting exercise: 10-2-1 and 10-25-25-1 dense nets;
  003 (Dauphin): a 100×100×3 image into 1000 hidden units and 10 outputs.
- 000 (ESA/ESOC): VGG16 has 138,357,544 parameters (1000 classes).
- 001, the vanilla RNN at t = 1 with 3 hidden units and a 4-symbol vocabulary.
  The slides print x₁ = (1, 0, 0), a slip: W_X has four columns, so x₁ is the
  one-hot (1, 0, 0, 0). Then a₁ = W_H h₀ + W_X x₁ = (0.6, 0.2, 0.9),
  h₁ = tanh(a₁) ≈ (0.54, 0.20, 0.72), y₁ = softmax(W_Y h₁) ≈ (0.32, 0.21, 0.24, 0.22).

The RNN matrices are stored as the slides print them, for column vectors (a = W x).
The exercises use row vectors (x @ Wx), so pass the transposes:
``rnn_step_forward(RNN_X1[None], RNN_H0[None], RNN_WX.T, RNN_WH.T, np.zeros(3))``
and ``softmax(h1 @ RNN_WY.T)``.
"""
import numpy as np

# Backprop on f = (x + y)·z (lecture 002).
XYZ = (-2.0, 5.0, -4.0)
XYZ_F = -12.0
XYZ_GRADS = (-4.0, -4.0, 3.0)

# Parameter counts: layer sizes -> weights and biases (lectures 001 and 003).
DENSE_PARAMS = {
    (10, 2, 1): 25,
    (10, 25, 25, 1): 951,
    (100 * 100 * 3, 1000, 10): 30_011_010,
}
VGG16_PARAMS = 138_357_544  # configuration D, 224×224 RGB, 1000 classes (lecture 000)

# The vanilla RNN at t = 1 (lecture 001), column-vector convention.
RNN_WH = np.array([[0.1, 0.5, 0.1],
                   [0.5, 0.9, 0.3],
                   [0.3, 0.2, 0.1]])            # (3, 3): hidden -> hidden
RNN_WX = np.array([[0.6, 0.8, 0.4, 0.8],
                   [0.2, 0.2, 0.8, 0.7],
                   [0.9, 0.8, 0.1, 0.2]])       # (3, 4): input -> hidden
RNN_WY = np.array([[0.9, 0.8, 0.3],
                   [0.2, 0.3, 0.4],
                   [0.6, 0.9, 0.1],
                   [0.5, 0.0, 0.3]])            # (4, 3): hidden -> output
RNN_X1 = np.array([1.0, 0.0, 0.0, 0.0])         # one-hot; the slides' (1, 0, 0) is a slip
RNN_H0 = np.zeros(3)
RNN_A1 = np.array([0.6, 0.2, 0.9])              # exact
RNN_H1 = np.array([0.54, 0.20, 0.72])           # to 2 decimals, as on the slide
RNN_Y1 = np.array([0.32, 0.21, 0.24, 0.22])     # to 2 decimals, as on the slide
