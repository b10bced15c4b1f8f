"""Planted bugs in param_count.py."""
from . import KNOWN, SCALAR_MISMATCH, bug

# solutions/ counts VGG16 with conv2d_params and dense_params.
USED_BY_VGG = ("param_count.vgg16_params",)

BUGS = [
    bug("param_count.dense_params", "forgets the biases", KNOWN, """
        def dense_params(layer_sizes):
            return sum(a * b for a, b in zip(layer_sizes, layer_sizes[1:]))
        """, message=("22 instead of 25",), also=USED_BY_VGG),
    bug("param_count.dense_params", "a bias for the input units too", KNOWN, """
        def dense_params(layer_sizes):
            return sum(a * b for a, b in zip(layer_sizes, layer_sizes[1:])) + sum(layer_sizes)
        """, also=USED_BY_VGG),
    bug("param_count.conv2d_params", "forgets the biases", KNOWN, """
        def conv2d_params(in_channels, out_channels, kernel_size):
            kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
            return out_channels * in_channels * kh * kw
        """, also=USED_BY_VGG),
    bug("param_count.conv2d_params", "squares kernel_size[0] for a (kh, kw) kernel", KNOWN, """
        def conv2d_params(in_channels, out_channels, kernel_size):
            k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
            return out_channels * (in_channels * k * k + 1)
        """, also=USED_BY_VGG),
    bug("param_count.conv2d_params", "one bias per input channel", KNOWN, """
        def conv2d_params(in_channels, out_channels, kernel_size):
            kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
            return out_channels * in_channels * kh * kw + in_channels
        """, also=USED_BY_VGG),
    bug("param_count.rnn_params", "forgets the recurrent weights Wh", KNOWN, """
        def rnn_params(input_size, hidden_size, output_size):
            return input_size * hidden_size + hidden_size + hidden_size * output_size + output_size
        """),
    bug("param_count.rnn_params", "forgets both biases", KNOWN, """
        def rnn_params(input_size, hidden_size, output_size):
            return input_size * hidden_size + hidden_size ** 2 + hidden_size * output_size
        """),
    bug("param_count.vgg16_params", "forgets every bias", KNOWN, """
        def vgg16_params(num_classes=1000):
            cfg = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]
            total, c = 0, 3
            for f in cfg:
                total += c * f * 9
                c = f
            return total + 512 * 7 * 7 * 4096 + 4096 * 4096 + 4096 * num_classes
        """),
    bug("param_count.vgg16_params", "flattens to 512 features, not 7 * 7 * 512", (SCALAR_MISMATCH, KNOWN), """
        def vgg16_params(num_classes=1000):
            cfg = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]
            total, c = 0, 3
            for f in cfg:
                total += c * f * 9 + f
                c = f
            return total + (512 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * num_classes + num_classes)
        """),
    bug("param_count.vgg16_params", "ignores num_classes", SCALAR_MISMATCH, """
        def vgg16_params(num_classes=1000):
            return 138_357_544
        """),
]
