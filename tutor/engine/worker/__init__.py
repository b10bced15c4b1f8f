"""The child side of grading: runs as a script (zygote.py), never imported as part of tutor.

Only protocol.py is also imported by the parent (the wire format both sides share).
Everything here is standard library + NumPy: no tutor, no torch, no expected values.
"""
