"""The slips editors make in YAML, found line by line before the YAML parser runs.

The parser stops at the first error, often names the line after the mistake, and speaks
English. This pre-scan reads every line of a file and reports each common slip at its own
line and column (1-based), in Japanese, with the text as typed: a full-width space or a tab
used for indentation, 「：」 typed for ":", a missing ":" or space after a key, a text that
starts with "- ", "*", "#"..., an unclosed quote, ": " inside a text. A " #" inside a plain
text is a warning: YAML cuts the rest of the line as a comment.

Keys are recognised only when they are keys of the schemas (data/schema/*.json), so a line
of Japanese text is never mistaken for a key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FULLWIDTH_SPACE = "\u3000"
BLOCK = ("|", ">", "|-", ">-", "|+", ">+")  # a block of text follows: its lines are not YAML


@dataclass(frozen=True)
class Slip:
    line: int  # 1-based
    column: int  # 1-based, in characters
    text: str  # what is wrong and how to fix it, in Japanese
    warning: bool = False


@cache
def schema_keys(schema_dir: str) -> frozenset[str]:
    """Every property name of the data schemas (the keys an editor may write)."""
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(Path(schema_dir).glob("*.schema.json")):
        if path.name != "record.schema.json":
            walk(json.loads(path.read_text(encoding="utf-8")))
    return frozenset(names)


# indentation, list markers, then the first word of the line
_LINE = re.compile(r"^(?P<indent>[ \t\u3000]*)(?P<dashes>(?:-[ \u3000]+)*)(?P<rest>.*)$")
_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*)(?P<after>.*)$")


def _keyish(after: str) -> bool:
    """What follows a word that could be a key: ":", a space or a Japanese word may follow a
    key that lost its colon; "/" or "." (tests/x.py::y, a path, a file name) never does."""
    return not after or after[0] in " \t\u3000:：" or ord(after[0]) > 127


def _show(text: str) -> str:
    return text if len(text) <= 30 else text[:30] + "…"


def scan(text: str, keys: frozenset[str]) -> list[Slip]:
    """Every slip of a file's text, in line order."""
    slips: list[Slip] = []
    anchors = set(re.findall(r"(?:^|[\s\[,])&([^\s,\[\]{}]+)", text))
    previous = ("", "")  # indentation and "- " of the line above (comments skipped)
    block_indent = None  # inside a | or > block: its lines are text, not YAML
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        match = _LINE.match(line)
        indent, dashes, rest = match["indent"], match["dashes"], match["rest"]
        if block_indent is not None:
            if not line.strip() or len(indent) > block_indent:
                continue
            block_indent = None
        if not rest.strip() or rest.startswith("#"):
            if not dashes and not rest.strip():
                continue
        slips += _indentation(number, indent)
        if FULLWIDTH_SPACE in dashes:
            column = len(indent) + dashes.index(FULLWIDTH_SPACE) + 1
            slips.append(
                Slip(
                    number,
                    column,
                    "「-」の後に全角スペース（　）があります。半角スペースにしてください。",
                )
            )
        start = len(indent) + len(dashes) + 1  # column of rest
        slips += _list_item(number, indent, dashes, rest, previous)
        if not rest.startswith("#"):
            previous = (indent, dashes)
        key = _KEY.match(rest)
        if (
            key
            and _keyish(key["after"])
            and (key["key"] in keys or _loose_key(key["key"], key["after"]))
        ):
            slips += _after_key(number, start, key["key"], key["after"])
            value_at = rest.find(":")
            if value_at >= 0 and key["after"].startswith(":"):
                value = rest[value_at + 1 :]
                lead = len(value) - len(value.lstrip(" "))
                if value.strip() in BLOCK:
                    block_indent = len(indent)
                    continue
                slips += _value(number, start + value_at + 1 + lead, value.strip(" "), anchors)
        elif dashes and rest.strip() in BLOCK:
            block_indent = len(indent)
        elif dashes and rest and not rest.startswith("#"):
            slips += _value(number, start, rest, anchors)
    return slips


def _list_item(number: int, indent: str, dashes: str, rest: str, previous) -> list[Slip]:
    """A line among list items ("- ...") at their indentation that is not one."""
    above_indent, above_dashes = previous
    if dashes or not above_dashes or indent != above_indent or rest.startswith("#"):
        return []
    if re.match(r"-[^\s-]", rest):
        return [
            Slip(
                number,
                len(indent) + 2,
                "リストの行の「-」の後に半角スペースがありません。「- 」のように書いてください。",
            )
        ]
    if ": " not in rest and not rest.rstrip().endswith(":"):
        return [
            Slip(
                number,
                len(indent) + 1,
                f"この行（{_show(rest)}）の先頭に、上の行と同じリストの印「- 」がありません。"
                f"「- {_show(rest)}」のように書いてください。",
            )
        ]
    return []


def _loose_key(key: str, after: str) -> bool:
    """A key the schemas do not name (a term of organization.yml) followed by 「：」 or by a
    space and Japanese text: no text of the handbook starts like that."""
    return key.islower() and bool(re.match(r"[ \u3000]*：|[ \u3000]+[^\x00-\x7f]", after))


def repair(text: str, keys: frozenset[str], deeper: int = 0) -> str:
    """The text with each slip's line mended the obvious way (half-width indentation and
    ": ", a quoted stand-in for a broken value), so that the parser can look for the
    mistakes the pre-scan cannot see (yes/no, 0123, a repeated key) in the same pass."""
    lines = text.split("\n")
    for number in sorted({s.line for s in scan(text, keys) if not s.warning}):
        line = lines[number - 1].rstrip("\r")
        match = _LINE.match(line)
        indent = match["indent"]
        if FULLWIDTH_SPACE in indent or "\t" in indent:
            # As deep as the line above's words (a sibling, or a child of "- "), or deeper.
            above = next((x for x in reversed(lines[: number - 1]) if x.strip()), "")
            shape = _LINE.match(above.replace(FULLWIDTH_SPACE, "  ").replace("\t", "  "))
            width = len(shape["indent"]) + len(shape["dashes"])
            if shape["rest"].rstrip().endswith(":"):
                width += 2
            indent = " " * (width + deeper)
        dashes = match["dashes"].replace(FULLWIDTH_SPACE, " ")
        rest = match["rest"]
        key = _KEY.match(rest)
        if (
            key
            and _keyish(key["after"])
            and (key["key"] in keys or _loose_key(key["key"], key["after"]))
        ):
            value = key["after"].lstrip(" \u3000")
            value = value[1:] if value[:1] in (":", "：") else value
            value = value.strip(" \u3000")
            if value and any(not s.warning for s in _value(number, 1, value)):
                value = '"?"'
            rest = f"{key['key']}: {value}" if value else f"{key['key']}:"
        elif dashes and any(not s.warning for s in _value(number, 1, rest)):
            rest = '"?"'
        lines[number - 1] = indent + dashes + rest
    return "\n".join(lines)


def _indentation(number: int, indent: str) -> list[Slip]:
    if FULLWIDTH_SPACE in indent:
        return [
            Slip(
                number,
                indent.index(FULLWIDTH_SPACE) + 1,
                "行頭の字下げに全角スペース（　）が使われています。"
                "字下げは半角スペースで書いてください（全角スペースは YAML では空白になりません）。",
            )
        ]
    if "\t" in indent:
        return [
            Slip(
                number,
                indent.index("\t") + 1,
                "行頭の字下げにタブ文字が使われています。字下げは半角スペースで書いてください。",
            )
        ]
    return []


def _after_key(number: int, column: int, key: str, after: str) -> list[Slip]:
    """What follows a schema key: ": " (or ":" at the end of the line) is right."""
    at = column + len(key)  # the column just after the key
    stripped = after.lstrip(" \u3000")
    gap = len(after) - len(stripped)
    if stripped.startswith("："):
        return [
            Slip(
                number,
                at + gap,
                f"「{key}」の後の「：」が全角です。半角の「:」にしてください（例: {key}: …）。",
            )
        ]
    if after.startswith(":"):
        following = after[1:2]
        if following == FULLWIDTH_SPACE:
            return [
                Slip(
                    number,
                    at + 1,
                    f"「{key}:」の後が全角スペース（　）です。半角スペースにしてください。",
                )
            ]
        if following not in ("", " ", "\t"):
            return [
                Slip(
                    number,
                    at + 1,
                    f"「{key}:」の後に半角スペースがありません。"
                    f"「:」の後に半角スペースを1つ入れてください（例: {key}: …）。",
                )
            ]
        return []
    if gap and stripped.startswith(":"):
        return [
            Slip(
                number,
                at,
                f"「{key}」と「:」の間に空白があります。空白を消してください（例: {key}: …）。",
            )
        ]
    return [
        Slip(
            number,
            at,
            f"「{key}」の後に「:」がありません。「{key}: 」のように、項目名の後に"
            "半角の「:」と半角スペースを書いてください。",
        )
    ]


def _value(number: int, column: int, value: str, anchors=frozenset()) -> list[Slip]:
    """A value written after "key: " or "- ": the slips that change what YAML reads."""
    if not value or value.startswith(("[", "{")):
        return []
    if value[0] in "\"'":
        quote = value[0]
        body = value[1:]
        close = _sq_close(body) if quote == "'" else _dq_close(body)
        if close < 0:
            return [
                Slip(
                    number,
                    column,
                    f"引用符（{quote}）が閉じていません。文の終わりにも {quote} を書いてください。",
                )
            ]
        after = body[close + 1 :].strip()
        if after and not after.startswith("#"):
            return [
                Slip(
                    number,
                    column + 1 + close,
                    f"文の途中に引用符（{quote}）があり、文がそこで終わってしまいます"
                    f"（{_show(value)}）。文の中の {quote} は「」などに書き換えてください。",
                )
            ]
        return []
    if value.startswith("- ") or value == "-":
        return [
            Slip(
                number,
                column,
                f"文が「- 」で始まっています（{_show(value)}）。YAML ではリストの印になるので、"
                f'文全体を " " で囲んでください（例: "{_show(value)}"）。',
            )
        ]
    if value[0] == "*" and re.match(r"\*[^\s,\[\]{}]+$", value) and value[1:] in anchors:
        return []  # an alias of an anchor of the file (&name): YAML, not a slip
    if value[0] in "*!%@`|>":
        return [
            Slip(
                number,
                column,
                f"文が「{value[0]}」で始まっています（{_show(value)}）。YAML では特別な記号なので、"
                f'文全体を " " で囲んでください（例: "{_show(value)}"）。',
            )
        ]
    if value.startswith("#"):
        return [
            Slip(
                number,
                column,
                f"文が「#」で始まっています（{_show(value)}）。YAML ではコメントとして消えるので、"
                f'文全体を " " で囲んでください（例: "{_show(value)}"）。',
            )
        ]
    slips = []
    inner = value.find(": ")
    if inner >= 0 or value.endswith(":"):
        at = inner if inner >= 0 else len(value) - 1
        slips.append(
            Slip(
                number,
                column + at,
                f"文の中に「: 」があります（{_show(value)}）。YAML では項目名の区切りになるので、"
                f'文全体を " " で囲むか、全角の「：」にしてください。',
            )
        )
    comment = re.search(r"[ \t]#", value)
    if comment:
        cut = value[: comment.start()].rstrip()
        slips.append(
            Slip(
                number,
                column + comment.start() + 1,
                f"「 #」から後（{_show(value[comment.start() + 1 :])}）は YAML ではコメントとして"
                f"消え、文は「{_show(cut)}」になります。# も文の一部なら、"
                f'文全体を " " で囲んでください。',
                warning=True,
            )
        )
    return slips


def _sq_close(body: str) -> int:
    """Where a single-quoted text closes ('' is a quote inside it), or -1."""
    i = 0
    while i < len(body):
        if body[i] == "'":
            if body[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def _dq_close(body: str) -> int:
    """Where a double-quoted text closes (backslash escapes skipped), or -1."""
    i = 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] == '"':
            return i
        i += 1
    return -1
