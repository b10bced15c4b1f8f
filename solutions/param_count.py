"""Counting the parameters of a network."""

# VGG16, configuration D: the conv channel counts, with "M" for a 2×2 max pooling.
_VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


def dense_params(layer_sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes, layer_sizes[1:]))


def conv2d_params(in_channels, out_channels, kernel_size):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels * in_channels * kh * kw + out_channels


def rnn_params(input_size, hidden_size, output_size):
    Wx, Wh, b = input_size * hidden_size, hidden_size * hidden_size, hidden_size
    Wy, by = hidden_size * output_size, output_size
    return Wx + Wh + b + Wy + by


def vgg16_params(num_classes=1000):
    total, channels = 0, 3
    for layer in _VGG16:
        if layer != "M":
            total += conv2d_params(channels, layer, 3)
            channels = layer
    # Five poolings take 224×224 down to 7×7 before the three fully connected layers.
    return total + dense_params([channels * 7 * 7, 4096, 4096, num_classes])
