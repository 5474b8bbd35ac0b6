"""Check the handbook's data without building the site or opening a browser.

Usage:  python scripts/dev.py check [--record]   (in .venv: python -m scripts.check_data)

Prints every problem with the same message as the build (file, place, what is expected)
and exits 1 when there is one. Warns when a step id of the published edition has
disappeared: people's saved progress and printed sheets refer to those ids.
--record writes the current step ids to data/published-steps.yml (do it when publishing).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from macros.data import DataError, load_handbook, read_yaml

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = "published-steps.yml"


def vanished_ids(data_dir: Path, handbook) -> list[str]:
    """Warnings for step ids recorded as published that the data no longer has."""
    path = data_dir / PUBLISHED
    if not path.exists():
        return []
    published = read_yaml(path) or {}
    current = handbook.step_ids()
    warnings = []
    for page, ids in published.items():
        file = "data/basics.yml" if page == "basics" else f"data/{page}.yml"
        for step_id in ids:
            if step_id not in current.get(page, []):
                warnings.append(
                    f"warning: {file}: step id '{step_id}' of the published edition is gone — "
                    f"saved progress and printed sheets refer to it; to change a step's wording "
                    f"keep its id and change only its text"
                )
    return warnings


def record(data_dir: Path, handbook) -> None:
    ids = handbook.step_ids()
    header = (
        "# Step ids of the published edition, written by `python scripts/dev.py check --record`.\n"
        "# `check` warns when one of these disappears from the data.\n"
    )
    body = yaml.safe_dump(ids, allow_unicode=True, sort_keys=False)
    (data_dir / PUBLISHED).write_text(header + body, encoding="utf-8")


def main(argv: list[str], data_dir: Path = ROOT / "data") -> int:
    try:
        handbook = load_handbook(data_dir)
    except DataError as exc:
        for message in exc.messages:
            print(message)
        print(f"{len(exc.messages)} problem(s) found in data/")
        return 1
    if "--record" in argv:
        record(data_dir, handbook)
        print(f"recorded the step ids in data/{PUBLISHED}")
    warnings = vanished_ids(data_dir, handbook)
    for warning in warnings:
        print(warning)
    steps = sum(len(ids) for ids in handbook.step_ids().values())
    print(f"data/: OK ({len(handbook.types)} types, {steps} steps, {len(warnings)} warning(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
