"""`tutor notebooks DIR [--force]`: self-study notebooks, one per lesson."""
from __future__ import annotations

import sys


INSTALL = 'pip install "nn-tutor[classroom]"'


def run(args) -> int:
    try:
        import nbformat  # noqa: F401  (the notebooks are written with it)
    except ModuleNotFoundError:
        print(f"tutor notebooks needs the Jupyter extra: {INSTALL}", file=sys.stderr)
        return 1
    from tutor.notebook.build import ExportRefused, write_selfstudy

    try:
        paths = write_selfstudy(args.directory, force=args.force)
    except ExportRefused as exc:
        print(f"tutor notebooks: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {len(paths)} notebooks to {args.directory}:")
    for path in paths:
        print(f"  {path.name}")
    print(f"\nOpen them with `jupyter lab {args.directory}`; each check(...) cell grades the function "
          f"above it in tutor's sandbox.")
    return 0
