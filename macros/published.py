"""The steps of the published edition (data/published-steps.yml): people's saved ticks
and printed sheets refer to their ids, so a step that disappears is told to the editor
by `check`, `build` and `serve` alike, with its old words, until it is confirmed with
`python3 scripts/dev.py check --record`."""

from __future__ import annotations

from pathlib import Path

import yaml

from .model import Handbook

FILE = "published-steps.yml"
HEADER = (
    "# 公開した版の手順（id と文言）。`python3 scripts/dev.py check --record` が書きます。\n"
    "# ここにある手順がデータからなくなると、check・build・serve が知らせます。\n"
)


def read(data_dir: Path) -> dict[str, dict[str, str]]:
    """page id -> {step id: text}; the older format (ids only) reads with empty texts."""
    path = data_dir / FILE
    if not path.exists():
        return {}
    value = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        page: dict(steps) if isinstance(steps, dict) else dict.fromkeys(steps, "")
        for page, steps in value.items()
    }


def current(handbook: Handbook) -> dict[str, dict[str, str]]:
    pages = {"basics": {s.id: s.text for s in handbook.basics.steps().values()}}
    for incident in handbook.types.values():
        pages[incident.page_id] = {s.id: s.text for s in incident.steps().values()}
    return pages


def vanished(data_dir: Path, handbook: Handbook) -> list[tuple[str, str, str]]:
    """(page id, step id, old text) of each published step the data no longer has."""
    now = current(handbook)
    return [
        (page, step_id, text)
        for page, steps in read(data_dir).items()
        for step_id, text in steps.items()
        if step_id not in now.get(page, {})
    ]


def warnings(data_dir: Path, handbook: Handbook) -> list[str]:
    return [
        f"注意: data/{'basics' if page == 'basics' else page}.yml: 公開した版の手順「{step_id}」"
        f"（{text or '文言は記録されていません'}）がなくなっています。"
        "保存されたチェックや印刷物はこの id を使っています。文言だけを直すときは id を変えずに "
        "text だけを直してください。削除でよければ python3 scripts/dev.py check --record で確定します。"
        for page, step_id, text in vanished(data_dir, handbook)
    ]


def record(data_dir: Path, handbook: Handbook) -> list[str]:
    """Write the current steps as the published ones; the lines that say what changed."""
    before = read(data_dir)
    now = current(handbook)
    (data_dir / FILE).write_text(
        HEADER + yaml.safe_dump(now, allow_unicode=True, sort_keys=False, width=1000),
        encoding="utf-8",
    )
    lines = [f"記録しました: {page} の手順 {len(steps)} 件" for page, steps in now.items()]
    for page, steps in before.items():
        for step_id, text in steps.items():
            if step_id not in now.get(page, {}):
                lines.append(f"  削除を確定: {page} の「{step_id}」（{text or '文言なし'}）")
    for page, steps in now.items():
        for step_id in steps:
            if step_id not in before.get(page, {}):
                lines.append(f"  新しく記録: {page} の「{step_id}」")
    return lines
