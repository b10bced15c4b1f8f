"""README.md: its tour of the folders matches the tree, and its quick start stays two commands."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def tour() -> str:
    start = README.index("## A tour of the folders")
    return README[start:README.index("\n## ", start + 1)]


def named_paths() -> set[str]:
    return set(re.findall(r"`((?:tutor/|docs/|tests/|benchmarks/|exercises/|solutions/|reference/)[\w./]*)`", tour()))


def test_every_path_the_tour_names_exists():
    missing = [p for p in named_paths() if not (ROOT / p).exists()]
    assert not missing, missing


def test_every_package_of_tutor_and_every_top_level_folder_is_in_the_tour():
    text = tour()
    packages = [p.name for p in (ROOT / "tutor").iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    assert packages
    for name in packages:
        assert f"`tutor/{name}/`" in text, name
    for folder in ("exercises", "solutions", "reference", "tests", "benchmarks", "docs"):
        assert f"`{folder}/`" in text, folder


def test_every_engine_module_the_tour_names_is_an_engine_module():
    row = next(line for line in tour().splitlines() if line.startswith("| `tutor/engine/` |"))
    for name in re.findall(r"`(\w+\.py)`", row):
        assert (ROOT / "tutor" / "engine" / name).is_file(), name


def test_the_quick_start_is_two_commands():
    start = README.index("## Quick start")
    block = README[start:README.index("\n## ", start + 1)]
    fenced = block[block.index("```bash"):block.index("```", block.index("```bash") + 3)]
    commands = [line for line in fenced.splitlines()[1:] if line.strip() and not line.startswith("#")]
    assert len(commands) == 2, commands
