# target: param_count.conv2d_params | expect: mismatch | needs: namespaces
"""Raise its own hard limits (memory, CPU, processes, files): it must not be allowed to."""
import resource


def _attack():
    raised = 0
    for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK"):
        which = getattr(resource, name)
        soft, hard = resource.getrlimit(which)
        if hard == resource.RLIM_INFINITY:
            continue
        try:
            resource.setrlimit(which, (hard * 4 + 1, hard * 4 + 1))
            raised += 1
        except (ValueError, OSError):
            pass
    return bool(raised)


_real = conv2d_params


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def conv2d_params(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
