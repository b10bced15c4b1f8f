"""Counting parameters: how big is a network, really?

Every weight and every bias is a parameter that training must fit and memory must
hold (8 bytes each in float64). Counting them explains why dense layers on images
explode and why convolutions, which share one small kernel across the whole image,
do not. All answers are Python ints.
"""
import numpy as np


def dense_params(layer_sizes):
    """Weights plus biases of a fully connected network.

    layer_sizes lists the width of every layer, input first: [n₀, n₁, …, n_L].
    A dense layer from a units to b units has a weight per pair and a bias per
    output unit.
    Check: [10, 2, 1] gives 25 and [10, 25, 25, 1] gives 951.
    Returns: int.
    """
    raise NotImplementedError


def conv2d_params(in_channels, out_channels, kernel_size):
    """Parameters of a 2-D convolution layer with one bias per output channel.

    Each output channel has its own kernel spanning all input channels:
    in_channels × kh × kw weights. kernel_size is an int k (a k × k kernel) or a
    pair (kh, kw). The image size does not matter at all: that is the point.
    Returns: int.
    """
    raise NotImplementedError


def rnn_params(input_size, hidden_size, output_size):
    """Parameters of the vanilla RNN of rnn.py plus a linear read-out:

        hₜ = tanh(xₜ Wx + hₜ₋₁ Wh + b)      Wx (D, H), Wh (H, H), b (H,)
        yₜ = hₜ Wy + by                      Wy (H, O), by (O,)

    with D = input_size, H = hidden_size, O = output_size. The same matrices are
    reused at every time step, so the sequence length does not appear.
    Returns: int.
    """
    raise NotImplementedError


def vgg16_params(num_classes=1000):
    """Parameters of VGG16 (configuration D) on 224 × 224 RGB images.

    Thirteen 3 × 3 convolutions (stride 1, padding 1, each with biases) in five
    blocks, each block ending in a 2 × 2 max pool (no parameters):

        64, 64 | 128, 128 | 256, 256, 256 | 512, 512, 512 | 512, 512, 512

    then dense layers of 4096, 4096 and num_classes units, the first one reading
    the flattened output of the last pool. Work out that output's size first.
    Check: 138,357,544 for 1000 classes.
    Returns: int.
    """
    raise NotImplementedError
