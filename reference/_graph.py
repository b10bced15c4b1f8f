"""The one trick every reference layer uses: let autograd do the calculus.

A forward runs on *leaf copies* of its array arguments with autograd switched on and
keeps the graph in its cache; the matching backward asks autograd for the gradients
of that graph. No derivative in reference/ is written by hand, so the reference is as
trustworthy as PyTorch itself.
"""
import torch


def record(fn, *arrays, **options):
    """Run `fn(*leaves, **options)` on leaf copies of `arrays`; return (out, cache).

    The leaves are detached copies, so the caller's tensors are never touched and
    never pick up a `.grad`. The cache is (graph output, leaves).
    """
    leaves = tuple(a.detach().requires_grad_(True) for a in arrays)
    with torch.enable_grad():  # grading may run under torch.no_grad()
        out = fn(*leaves, **options)
    return out.detach(), (out, leaves)


def gradients(dout, cache):
    """The gradients of the recorded graph for upstream `dout`, in the leaves' order.

    One tensor when the forward had one array argument, else a tuple. The graph is
    retained so the same cache can be asked twice (e.g. by a grader comparing runs).
    """
    out, leaves = cache
    dout = torch.as_tensor(dout, dtype=out.dtype, device=out.device)  # allows df=1
    grads = torch.autograd.grad(out, leaves, dout, retain_graph=True)
    return grads[0] if len(grads) == 1 else grads


def value_and_gradient(fn, w, *args):
    """(fn(w, *args), d fn / d w) for a scalar-valued `fn`: losses and penalties.

    Only `w` is differentiated; `args` (targets, labels, alpha) pass through as they are.
    """
    leaf = w.detach().requires_grad_(True)
    with torch.enable_grad():
        value = fn(leaf, *args)
    (grad,) = torch.autograd.grad(value, leaf)
    return value.detach(), grad
