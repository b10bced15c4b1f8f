"""Shared test setup: every test that takes `device` runs on each device torch can use.

"cpu" always, plus "cuda" when a GPU is present. torch is imported only when a
collected test asks for `device`, so tests that never touch torch do not pay for it.
"""


def _devices():
    import torch

    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def pytest_generate_tests(metafunc):
    if "device" in metafunc.fixturenames:
        metafunc.parametrize("device", _devices())
