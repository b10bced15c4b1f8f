# target: layers.* | expect: timeout
"""The module never finishes importing: every layers exercise fails, other modules do not."""
while True:
    pass
