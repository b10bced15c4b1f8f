"""Reference: parameter counts read off real torch.nn modules.

Every module is built on the "meta" device: it has shapes but no storage, so even
VGG16's 138 million parameters cost nothing to count.
"""
from torch import nn

META = "meta"


def _count(*modules):
    return sum(p.numel() for m in modules for p in m.parameters())


def dense_params(layer_sizes):
    """Weights and biases of a fully connected net: [10, 2, 1] -> 25."""
    return _count(*(nn.Linear(a, b, device=META) for a, b in zip(layer_sizes, layer_sizes[1:])))


def conv2d_params(in_channels, out_channels, kernel_size):
    """A 2-D convolution with one bias per output channel; kernel_size an int or (kh, kw)."""
    return _count(nn.Conv2d(in_channels, out_channels, kernel_size, device=META))


def rnn_params(input_size, hidden_size, output_size):
    """Wx, Wh, b of the vanilla RNN plus the read-out Wy, by.

    nn.RNN keeps two hidden biases (b_ih and b_hh) that always appear summed, so
    they are one parameter vector in our RNN: count b_ih only.
    """
    rnn = nn.RNN(input_size, hidden_size, device=META)
    recurrent = rnn.weight_ih_l0.numel() + rnn.weight_hh_l0.numel() + rnn.bias_ih_l0.numel()
    return recurrent + _count(nn.Linear(hidden_size, output_size, device=META))


# Configuration D of Simonyan & Zisserman (2014): 3x3 convolutions, "M" a 2x2 max pool.
VGG16_CONFIG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
                512, 512, 512, "M", 512, 512, 512, "M"]


def vgg16_params(num_classes=1000):
    """VGG16 on 224×224 RGB input: 13 convolutions, then 3 dense layers; 138,357,544 for 1000."""
    layers, channels = [], 3
    for v in VGG16_CONFIG:
        if v != "M":
            layers.append(nn.Conv2d(channels, v, 3, padding=1, device=META))
            channels = v
    side = 224 // 2 ** VGG16_CONFIG.count("M")  # five poolings: 224 -> 7
    layers += [nn.Linear(channels * side * side, 4096, device=META),
               nn.Linear(4096, 4096, device=META),
               nn.Linear(4096, num_classes, device=META)]
    return _count(*layers)
