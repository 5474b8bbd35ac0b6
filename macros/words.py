"""The site's own words (UI words): one catalogue, read by the templates, the scripts, the
Python that draws (Mermaid labels) and the fidelity gate, so no word is written twice.

Each component keeps its words beside its template and script: components/<name>/words.yml;
the pages' words are in macros/pages/words.yml. A word is found by group and key:
  group  the folder's name in snake_case (components/clear-all/ -> clear_all); "page" for
         macros/pages/words.yml
  key    [a-z0-9_]+, what the word is for (heading, new_record, deleted...)
In a template: {{ words.urgent.heading }}. In a script: HB.t("urgent.heading"), or with values
HB.t("clear_all.done", {count: 3}) for 「{count}件を消去しました。」. In Python: WORDS["page"][...].
A word that several components show for one thing is kept once, in the folder that owns
the thing (store/: 既定の記録, the record list's lines; report/: 【訓練】), and used from there;
the same text for another purpose (a heading, a separator) is a word of its own.
A {name} in a word is filled in by the code; everything else is shown as written, and is what
the fidelity gate (scripts/fidelity.py) accepts as the site's own words.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class _NoDuplicates(yaml.SafeLoader):
    pass


def _mapping(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"「{key}」が2回あります（{node.start_mark.line + 1}行目の項目）")
    return loader.construct_mapping(node, deep=deep)


_NoDuplicates.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def files(root: Path = ROOT) -> dict[str, Path]:
    """group -> its words file."""
    found = {"page": root / "macros" / "pages" / "words.yml"}
    for path in sorted((root / "components").glob("*/words.yml")):
        found[path.parent.name.replace("-", "_")] = path
    return found


def load(root: Path = ROOT) -> dict[str, dict[str, str]]:
    catalogue: dict[str, dict[str, str]] = {}
    problems = []
    for group, path in files(root).items():
        name = path.relative_to(root).as_posix()
        if not path.exists():
            continue
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDuplicates) or {}
        except (yaml.YAMLError, ValueError) as exc:
            problems.append(f"{name}: 読めません: {exc}")
            continue
        if not isinstance(data, dict):
            problems.append(f"{name}: 「キー: 言葉」の形で書いてください。")
            continue
        for key, text in data.items():
            if not isinstance(key, str) or not KEY.match(key):
                problems.append(f"{name}: キー「{key}」は英小文字・数字・_ で書いてください。")
            elif not isinstance(text, str) or not text.strip():
                problems.append(f"{name}: 「{key}」の言葉を文字で書いてください。")
        catalogue[group] = {str(k): str(v) for k, v in data.items()}
    if problems:
        raise ValueError("\n".join(problems))
    return catalogue


def pieces(text: str) -> list[str]:
    """What a word shows as written: the parts between its {placeholders}."""
    return [p for p in PLACEHOLDER.split(text)[::2] if p.strip()]


# How a script names a word: always a literal key (tests/test_words.py), so the words a
# script can show are known when it is bundled.
SCRIPT_USE = re.compile(r'HB\.t\("([a-z_]+)\.([a-z0-9_]+)"')


def script(catalogue: dict[str, dict[str, str]], code: str) -> str:
    """The words the scripts in `code` use, for the browser: put first in the site's one
    script (hb.js: HB.t). Words only templates show stay out of every page's download."""
    used: dict[str, dict[str, str]] = {}
    for group, key in SCRIPT_USE.findall(code):
        if key not in catalogue.get(group, {}):
            raise ValueError(
                f'スクリプトの HB.t("{group}.{key}") の言葉が words.yml にありません。'
            )
        used.setdefault(group, {})[key] = catalogue[group][key]
    return f"window.HB_WORDS = {json.dumps(used, ensure_ascii=False, sort_keys=True, separators=(',', ':'))};\n"


WORDS = load()
