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
    "# ここにある手順がデータからなくなると、check と build は止まり、serve は知らせます。\n"
    "# edition は記録したときの版（data/revisions.yml の先頭）です。\n"
)


EDITION = "edition"  # the top-level key naming the edition the steps were recorded for


def _value(data_dir: Path) -> dict:
    path = data_dir / FILE
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def read(data_dir: Path) -> dict[str, dict[str, str]]:
    """page id -> {step id: text}; the older format (ids only) reads with empty texts."""
    return {
        page: dict(steps) if isinstance(steps, dict) else dict.fromkeys(steps, "")
        for page, steps in _value(data_dir).items()
        if page != EDITION
    }


def recorded_edition(data_dir: Path, handbook: Handbook) -> str:
    """The edition the published steps belong to (a file written before editions were
    recorded belongs to the first edition)."""
    value = _value(data_dir).get(EDITION)
    return value if isinstance(value, str) else handbook.revisions[-1].edition


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


def reworded(data_dir: Path, handbook: Handbook) -> list[tuple[str, str, str, str]]:
    """(page id, step id, old text, new text) of each published step whose words changed."""
    now = current(handbook)
    return [
        (page, step_id, text, now[page][step_id])
        for page, steps in read(data_dir).items()
        for step_id, text in steps.items()
        if text and step_id in now.get(page, {}) and now[page][step_id] != text
    ]


def added(data_dir: Path, handbook: Handbook) -> list[tuple[str, str]]:
    before = read(data_dir)
    return [
        (page, step_id)
        for page, steps in current(handbook).items()
        for step_id in steps
        if step_id not in before.get(page, {})
    ]


def _file(page: str) -> str:
    return f"data/{page}.yml"


def problems(data_dir: Path, handbook: Handbook) -> list[str]:
    """A published step gone: refused by check and by the (strict) build alike."""
    return [
        f"{_file(page)}: 公開した版の手順「{step_id}」"
        f"（{text or '文言は記録されていません'}）がなくなっています。"
        "保存されたチェックや印刷物はこの id を使っています。文言だけを直すときは id を変えずに "
        "text だけを直してください。削除でよければ、data/revisions.yml の先頭に新しい版を書いてから "
        "python3 scripts/dev.py check --record で確定します。"
        for page, step_id, text in vanished(data_dir, handbook)
    ]


def warnings(data_dir: Path, handbook: Handbook) -> list[str]:
    """The same as problems(), worded for the build's log (a warning fails --strict)."""
    return [f"注意: {message}" for message in problems(data_dir, handbook)]


class RecordRefused(Exception):
    """--record without a new edition in revisions.yml: the lines that say why."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def changes(data_dir: Path, handbook: Handbook) -> list[str]:
    """What differs from the published edition: removed, reworded and new steps."""
    listed = set(handbook.edition.steps)
    lines = [
        f"  削除: {page} の「{step_id}」（{text or '文言なし'}）"
        for page, step_id, text in vanished(data_dir, handbook)
    ]
    for page, step_id, old, new in reworded(data_dir, handbook):
        mark = (
            ""
            if f"{page}/{step_id}" in listed
            else (f"（revisions.yml の steps に {page}/{step_id} と書くと「改訂」と表示されます）")
        )
        lines.append(f"  文言の変更: {page} の「{step_id}」: 「{old}」→「{new}」{mark}")
    lines += [
        f"  新しい手順: {page} の「{step_id}」" for page, step_id in added(data_dir, handbook)
    ]
    return lines


def record(data_dir: Path, handbook: Handbook) -> list[str]:
    """Write the current steps as the published ones of the current edition; the lines
    that say what changed. RecordRefused when steps changed but revisions.yml has no
    new edition for them."""
    changed = changes(data_dir, handbook)
    before = recorded_edition(data_dir, handbook)
    edition = handbook.edition.edition
    # Nothing recorded yet (a new handbook): the first record needs no new edition.
    if changed and edition == before and (data_dir / FILE).exists():
        raise RecordRefused(
            [
                f"公開した版（{before}）から手順が変わっています:",
                *changed,
                f"記録しませんでした。data/revisions.yml の先頭に新しい版（今の先頭は「{edition}」で、"
                "記録済みの版と同じです）を書いてください。例:",
                "  - edition: 第2版",
                '    date: "2027-04-01"',
                "    summary: （この版の要約）",
                "    steps: []",
                "書いたら、もう一度 python3 scripts/dev.py check --record を実行してください。",
            ]
        )
    now = current(handbook)
    (data_dir / FILE).write_text(
        HEADER
        + yaml.safe_dump(
            {EDITION: edition, **now}, allow_unicode=True, sort_keys=False, width=1000
        ),
        encoding="utf-8",
    )
    lines = [f"{edition} として記録しました:"]
    lines += [f"  {page} の手順 {len(steps)} 件" for page, steps in now.items()]
    if changed:
        lines.append(f"{before} からの変更:")
        lines += changed
    return lines
