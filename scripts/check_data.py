"""Check the handbook's data without building the site or opening a browser.

Usage:  python scripts/dev.py check [--record]   (in .venv: python -m scripts.check_data)

Prints every problem with the same message as the build (file, place, what to write)
and exits 1 when there is one. Tells when a step of the published edition has
disappeared (macros/published.py), as build and serve do.
--record writes the current steps (ids and words) to data/published-steps.yml and lists
what it recorded (do it when publishing).
"""

from __future__ import annotations

import sys
from pathlib import Path

from macros import published
from macros.data import DataError, load_handbook

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str], data_dir: Path = ROOT / "data") -> int:
    try:
        handbook = load_handbook(data_dir)
    except DataError as exc:
        for message in exc.messages:
            print(message)
        print(f"data/ に {len(exc.messages)} 件の誤りがあります。")
        return 1
    if "--record" in argv:
        for line in published.record(data_dir, handbook):
            print(line)
    warnings = published.warnings(data_dir, handbook)
    for warning in warnings:
        print(warning)
    steps = sum(len(ids) for ids in handbook.step_ids().values())
    print(
        f"data/: 誤りはありません（タイプ {len(handbook.types)}、手順 {steps}、注意 {len(warnings)} 件）"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
