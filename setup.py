"""Packages: tutor's own, plus the course folders at the repository root mapped inside it.

exercises/, solutions/ and reference/ sit at the top of the repository so that a
newcomer finds them at once and `import solutions.layers` works from a checkout; in
the installed wheel they become tutor.exercises, tutor.solutions and tutor.reference
rather than claiming generic top-level names in site-packages.
"""
from setuptools import find_packages, setup

COURSE = ("exercises", "solutions", "reference")

setup(
    packages=find_packages(include=["tutor", "tutor.*"]) + [f"tutor.{name}" for name in COURSE],
    package_dir={f"tutor.{name}": name for name in COURSE},
)
