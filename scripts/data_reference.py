"""Generate data/README.md, the editors' reference, from the JSON Schemas' descriptions
(and short examples cut from the real data), so that it never drifts from the schemas.

Usage:  python scripts/dev.py data-reference     (writes data/README.md)
        (in .venv: python -m scripts.data_reference)
A test fails when data/README.md is not what this script writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from macros.data import read_yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


# schema file -> the data file it describes (an example is cut from it)
SCHEMAS = {
    "organization.schema.json": "organization.yml",
    "basics.schema.json": "basics.yml",
    "type.schema.json": "types/loss-theft.yml",
    "phases.schema.json": "phases.yml",
    "question-sets.schema.json": "question-sets.yml",
    "revisions.schema.json": "revisions.yml",
    "accessibility.schema.json": "accessibility.yml",
    "scenario.schema.json": "scenarios/loss-theft-1.yml",
}
TYPES = {"string": "文字列", "array": "リスト", "object": "項目の組", "integer": "整数"}


def resolve(node: dict, root: dict) -> dict:
    if "$ref" in node:
        target = root
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def fields(node: dict, root: dict, path: str, required: bool, rows: list) -> None:
    """One row per field, depth first: (path, type, required, description, allowed)."""
    node = resolve(node, root)
    kind = node.get("type", "")
    allowed = []
    if "enum" in node:
        allowed.append("、".join(map(str, node["enum"])))
    if "pattern" in node and node["pattern"] != "\\S":
        allowed.append(f"形式 `{node['pattern']}`")
    if node.get("minItems"):
        allowed.append(f"{node['minItems']}個以上")
    if node.get("maxItems"):
        allowed.append(f"{node['maxItems']}個まで")
    if node.get("pattern") == "\\S":
        allowed.append("空にできない")
    if path:
        rows.append(
            (
                path,
                TYPES.get(kind, kind),
                "必須" if required else "任意",
                node.get("description", ""),
                "／".join(allowed),
            )
        )
    if kind == "object":
        needed = set(node.get("required", []))
        for name, child in node.get("properties", {}).items():
            fields(child, root, f"{path}.{name}" if path else name, name in needed, rows)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            fields(extra, root, f"{path}.<キー>" if path else "<キー>", True, rows)
    elif kind == "array" and "items" in node:
        fields(node["items"], root, f"{path}[]" if path else "[]", True, rows)


def shorten(value, depth: int = 0):
    """The real data cut down to a short example: two items per list at most."""
    if isinstance(value, list):
        return [shorten(v, depth + 1) for v in value[: 2 if depth else 2]]
    if isinstance(value, dict):
        return {k: shorten(v, depth + 1) for k, v in value.items()}
    return value


def reference() -> str:
    out = [
        "# データの書き方（編集者向けリファレンス）",
        "",
        "<!-- このファイルは scripts/data_reference.py が data/schema/*.schema.json から生成します。"
        "直接編集せず、スキーマの description を直してから `python3 scripts/dev.py data-reference`"
        "（Windows: `py scripts\\dev.py data-reference`）を実行してください。 -->",
        "",
        "ハンドブックの内容はすべて `data/` の YAML ファイルにあります。"
        "書き終えたら `python3 scripts/dev.py check` で確認できます（ブラウザ不要、数秒）。"
        "誤りがあれば、ファイル名・行・場所・直し方が表示されます（ファイルごとに、見つかった誤りをすべて）。",
        "",
        "- 手順の `id` は変えないでください。利用者のブラウザに保存されたチェックと印刷物が `id` に依存します。"
        "文言を直すときは `text` だけを変えます。",
        "- 事故のタイプを増やすときは `data/types/<id>.yml` を1つ追加します（ファイル名が id と URL になります）。",
        '- 日付は `"2026-11-26"` のように書きます。',
        "- 字下げ（行頭の空白）と「項目名: 値」の「:」と空白は半角で書きます。全角スペース・全角の「：」・タブ文字は使えません。",
        '- 数字だけの値（`"0123"`、`"2255"`）、yes・no・on・off、「- 」「#」「*」で始まる文、文の中の「: 」は、'
        '値全体を `" "` で囲みます（囲まないと YAML が別の値に変えてしまうので、check が止めます）。'
        "文の途中の「 #」から後はコメントとして消えるので、check が注意を出します。",
        "- ファイルは UTF-8 で保存します（BOM・改行 CRLF はそのままで構いません）。",
        "- 新しい版を公開するときは、`data/revisions.yml` の先頭に新しい版を書いてから "
        "`python3 scripts/dev.py check --record` を実行します。削除した手順・文言を変えた手順・"
        "新しい手順が表示され、`data/published-steps.yml` に記録されます"
        "（手順が変わっているのに新しい版がなければ記録しません）。",
        "",
    ]
    for schema_name, data_name in SCHEMAS.items():
        schema = json.loads((DATA / "schema" / schema_name).read_text(encoding="utf-8"))
        example = shorten(read_yaml(DATA / data_name))
        rows: list = []
        fields(schema, schema, "", True, rows)
        out += [f"## {schema['title']}", "", schema.get("description", ""), ""]
        out += [f"スキーマ: `data/schema/{schema_name}`", ""]
        out += ["| 項目 | 型 | 必須 | 説明 | 書ける値 |", "|---|---|---|---|---|"]
        out += [
            "| " + " | ".join(cell.replace("|", "\\|") for cell in (f"`{p}`", t, r, d, a)) + " |"
            for p, t, r, d, a in rows
        ]
        out += ["", f"例（`data/{data_name}` から抜粋）:", "", "```yaml"]
        out += [yaml.safe_dump(example, allow_unicode=True, sort_keys=False).rstrip(), "```", ""]
    return "\n".join(out)


def main() -> int:
    (DATA / "README.md").write_text(reference(), encoding="utf-8")
    print("data/README.md を書き出しました")
    return 0


if __name__ == "__main__":
    sys.exit(main())
