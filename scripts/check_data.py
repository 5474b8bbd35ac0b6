"""Check the handbook's data without building the site or opening a browser.

Usage:  python3 scripts/dev.py check [--record]   (in .venv: python -m scripts.check_data)

Prints every problem with the same message as the build (file, line, place, what to
write) and exits 1 when there is one: check refuses what build refuses, including a step
of the published edition that has disappeared (macros/published.py). Warnings (data that
is read, but perhaps not as meant) are printed and do not fail.
--record writes the current steps (ids and words) to data/published-steps.yml for the
edition at the top of data/revisions.yml, listing removed, reworded and new steps; it
refuses when steps changed and revisions.yml has no new edition for them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from macros import accessibility, published
from macros.data import DataError, load_handbook

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str], data_dir: Path = ROOT / "data") -> int:
    notices: list[str] = []
    messages: list[str] = []
    try:
        handbook = load_handbook(data_dir, notices=notices)
    except DataError as exc:
        messages += exc.messages
    try:  # the 試験結果's data: build reads it too, so check refuses what build refuses
        accessibility.load_results(data_dir)
    except DataError as exc:
        messages += exc.messages
    if messages:
        for message in messages:
            print(message)
        for notice in notices:
            print(notice)
        print(f"data/ に {len(messages)} 件の誤りがあります。")
        return 1
    for notice in notices:
        print(notice)
    if "--record" in argv:
        try:
            lines = published.record(data_dir, handbook)
        except published.RecordRefused as exc:
            for line in exc.lines:
                print(line)
            return 1
        for line in lines:
            print(line)
    problems = published.problems(data_dir, handbook)
    for problem in problems:
        print(problem)
    if problems:
        print(f"data/ に {len(problems)} 件の誤りがあります。")
        return 1
    steps = sum(len(ids) for ids in handbook.step_ids().values())
    print(
        f"data/: 誤りはありません（タイプ {len(handbook.types)}、手順 {steps}、"
        f"注意 {len(notices)} 件）"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
