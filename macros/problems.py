"""Problems in data/, told in Japanese so that an editor who is not a programmer can fix
them: the file, the place (1-based, with the item's id or words), what is wrong and what
to write instead. One format for `check`, `build` and `serve`.

    data/types/malware.yml の 5番目の段階（抑制措置と復旧）の 2番目の手順（reinstall-os）:
    「text」がありません。手順の文言（原本の表現のまま、◆は書かない）。
"""

from __future__ import annotations

from dataclasses import dataclass

# YAML keys of lists -> what one item is called.
NOUNS = {
    "phases": "段階",
    "steps": "手順",
    "stages": "ステップ",
    "groups": "内訳",
    "questions": "質問",
    "items": "項目",
    "notes": "注記",
    "urgent": "まずやること",
    "first_actions": "ホームのまずやること",
    "cases": "事故事例",
    "triggers": "発覚のきっかけ",
    "keywords": "検索語",
    "yomi": "読み",
    "contacts": "連絡先",
    "phones": "電話番号",
    "origins": "起点",
    "reporting_chain": "報告ルートの矢印",
    "paragraphs": "段落",
    "choices": "選択肢",
    "changes": "変更点",
}
# YAML keys of single values -> their name in a message.
FIELDS = {
    "facts": "事実関係を整理する",
    "first_aid": "応急処置例",
    "secondary": "二次被害防止策例",
    "purpose": "目的",
}


@dataclass(frozen=True)
class Problem:
    file: str  # relative to data/, e.g. "types/malware.yml"
    text: str  # what is wrong and what to do, in Japanese
    path: tuple = ()  # keys and indexes inside the file
    line: int | None = None  # 1-based: where the mistake itself stands in the file
    column: int | None = None  # 1-based, in characters
    internal: bool = False  # a rule of the checker failed (not the data)
    syntax: bool = False  # found while reading the file: the root of what follows
    needle: str | None = None  # the words within the value the problem is about

    def sort_key(self):
        # Reading errors first (they hide the rest of their file), then by file and place.
        return (
            not self.internal,
            not self.syntax,
            self.file != "organization.yml",  # the words every other file uses
            self.file,
            self.line or 0,
            self.column or 0,
            [str(p).zfill(6) for p in self.path],
        )


def place(file: str, path: tuple, content=None, phase_titles: dict | None = None) -> str:
    """『data/types/malware.yml の 5番目の段階（抑制措置と復旧）の 2番目の手順（reinstall-os）』"""
    parts = [f"data/{file}"]
    node = content
    keys = list(path)
    i = 0
    while i < len(keys):
        key = keys[i]
        nxt = keys[i + 1] if i + 1 < len(keys) else None
        if isinstance(key, str) and isinstance(nxt, int):
            item = _get(_get(node, key), nxt)
            parts.append(f"{nxt + 1}番目の{NOUNS.get(key, key)}{_label(item, phase_titles)}")
            node = item
            i += 2
            continue
        if isinstance(key, int):  # a file that is a list (phases.yml, revisions.yml)
            item = _get(node, key)
            parts.append(f"{key + 1}番目の項目{_label(item, phase_titles)}")
            node = item
        else:
            parts.append(f"「{FIELDS[key]}」（{key}）" if key in FIELDS else f"「{key}」")
            node = _get(node, key)
        i += 1
    return " の ".join(parts)


def _get(node, key):
    try:
        return node[key]
    except (KeyError, IndexError, TypeError):
        return None


def _label(item, phase_titles) -> str:
    """What names a list item for a person: its phase's title, its id or its first words."""
    if not isinstance(item, dict):
        return f"（{_short(item)}）" if isinstance(item, str) else ""
    if isinstance(item.get("phase"), str):
        title = (phase_titles or {}).get(item["phase"])
        return f"（{title}）" if title else f"（{item['phase']}）"
    if isinstance(item.get("id"), str):
        return f"（{item['id']}）"  # ids whole: the editor searches the file for them
    for key in ("edition", "label", "text", "name"):
        if isinstance(item.get(key), str):
            return f"（{_short(item[key])}）"
    return ""


def _short(text: str, size: int = 20) -> str:
    return text if len(text) <= size else text[:size] + "…"


def position(problem: Problem) -> str:
    if problem.line is None:
        return ""
    column = f" {problem.column}文字目" if problem.column else ""
    return f"{problem.line}行目{column}"


def format_problem(problem: Problem, contents: dict, phase_titles: dict) -> str:
    if problem.internal:
        return f"data/{problem.file}: {problem.text}" if problem.file else problem.text
    at = position(problem)
    if not problem.path:
        return (
            f"data/{problem.file} の {at}: {problem.text}"
            if at
            else f"data/{problem.file}: {problem.text}"
        )
    where = place(problem.file, problem.path, contents.get(problem.file), phase_titles)
    return f"{where}: {problem.text}" + (f"（{at}）" if at else "")
