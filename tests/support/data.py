"""The project's data folder, and the data with one mistake of tests/fixtures/mistakes/."""

import shutil
from pathlib import Path

from support import ROOT

DATA = ROOT / "data"


MISTAKES = ROOT / "tests" / "fixtures" / "mistakes"


def with_mistake(case: dict, target: Path) -> Path:
    shutil.copytree(MISTAKES / "base", target)
    shutil.copytree(DATA / "schema", target / "schema")
    path = target / case["file"]
    text = path.read_text(encoding="utf-8")
    for old, new in [*case.get("also_replace", []), [case.get("find"), case.get("replace")]]:
        if old is not None:
            assert old in text, f"fixture out of date: {old!r} not in base/{case['file']}"
            text = text.replace(old, new, 1)
    text = text.replace("\n", case.get("newline", "\n"))
    path.write_bytes(text.encode(case.get("encoding", "utf-8")))
    return target
