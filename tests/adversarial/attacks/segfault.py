# target: layers.affine_forward | expect: crash
"""Dereference NULL through ctypes: the process dies of SIGSEGV."""
import ctypes


def affine_forward(x, w, b):
    ctypes.string_at(0)
