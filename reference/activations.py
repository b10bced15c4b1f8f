"""Reference: activations, each a forward/backward pair with autograd derivatives."""
import torch
import torch.nn.functional as F

from ._graph import gradients, record


def sigmoid_forward(x):
    """1 / (1 + exp(-x)); torch.sigmoid is finite and quiet at |x| = 1000."""
    return record(torch.sigmoid, x)


def sigmoid_backward(dout, cache):
    return gradients(dout, cache)


def tanh_forward(x):
    return record(torch.tanh, x)


def tanh_backward(dout, cache):
    return gradients(dout, cache)


def relu_forward(x):
    return record(F.relu, x)


def relu_backward(dout, cache):
    """At x = 0 autograd gives 0, the left derivative."""
    return gradients(dout, cache)


def leaky_relu_forward(x, alpha=0.01):
    return record(F.leaky_relu, x, negative_slope=alpha)


def leaky_relu_backward(dout, cache):
    """At x = 0 autograd gives alpha, the left derivative."""
    return gradients(dout, cache)


def elu_forward(x, alpha=1.0):
    """x for x >= 0, alpha * (exp(x) - 1) below."""
    return record(F.elu, x, alpha=alpha)


def elu_backward(dout, cache):
    """At x = 0 autograd gives alpha, the left derivative."""
    return gradients(dout, cache)
