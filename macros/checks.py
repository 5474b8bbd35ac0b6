"""Cross-file rules: each a small function over the YAML values, returning Problems.

They run on every file that could be read, even one with schema errors (a rule that
meets a shape it cannot read is skipped: the schema has already said what is wrong),
so that an editor sees every problem of every kind at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import ministry_route
from .problems import Problem

TYPES_DIR = "types"
# Text that would be markup on a page: an HTML tag, a Markdown link or a script URL.
MARKUP = re.compile(r"<[A-Za-z/!?]|\]\s*\(|javascript\s*:", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def _type_steps(content: dict):
    """(path, step) for every step of a type file."""
    for p, phase in enumerate(content.get("phases", [])):
        for s, step in enumerate(phase.get("steps", [])):
            yield ("phases", p, "steps", s), step


def _type_notes(content: dict):
    """(path, note) for every ※ note of a type file that has an id."""
    for p, phase in enumerate(content.get("phases", [])):
        for n, note in enumerate(phase.get("notes", [])):
            if isinstance(note, dict) and "id" in note:
                yield ("phases", p, "notes", n), note


def _basics_steps(basics: dict):
    for i, stage in enumerate(basics.get("stages", [])):
        for s, step in enumerate(stage.get("steps", [])):
            yield ("stages", i, "steps", s), step
        for g, group in enumerate(stage.get("groups", [])):
            for s, step in enumerate(group.get("steps", [])):
                yield ("stages", i, "groups", g, "steps", s), step


def _strings(value, path=()):
    """(path, text) for every string in a YAML value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))
    elif isinstance(value, str):
        yield path, value


def _ordinal(path: tuple) -> str:
    """The 1-based place of an item for a message, e.g. 「2番目の段階の 1番目の手順」."""
    from .problems import NOUNS

    words = []
    for key, index in zip(path[::2], path[1::2], strict=False):
        if isinstance(index, int):
            words.append(f"{index + 1}番目の{NOUNS.get(key, key)}")
    return " の ".join(words)


# --- ids --------------------------------------------------------------------------------


def check_unique_step_ids(file: str, items) -> list[Problem]:
    """Steps (and ※ notes with an id) must have ids unique in their file."""
    seen: dict[str, tuple] = {}
    problems = []
    for path, item in items:
        item_id = item["id"]
        if item_id in seen:
            problems.append(
                Problem(
                    file,
                    f"id「{item_id}」は {_ordinal(seen[item_id])} と同じです。"
                    "id はファイルの中で重ならないようにしてください"
                    "（保存したチェックは id で手順を見分けます）。",
                    (*path, "id"),
                )
            )
        else:
            seen[item_id] = path
    return problems


def check_unique_fact_ids(file: str, content: dict) -> list[Problem]:
    problems = []
    for p, phase in enumerate(content.get("phases", [])):
        seen = set()
        for q, question in enumerate(phase.get("facts", {}).get("questions", [])):
            if question["id"] in seen:
                problems.append(
                    Problem(
                        file,
                        f"質問の id「{question['id']}」が重なっています。"
                        "記録の回答は id で見分けるので、別の id にしてください。",
                        ("phases", p, "facts", "questions", q, "id"),
                    )
                )
            seen.add(question["id"])
    return problems


def check_unique_phase_ids(phases: list) -> list[Problem]:
    seen = set()
    problems = []
    for i, phase in enumerate(phases):
        if phase["id"] in seen:
            problems.append(
                Problem(
                    "phases.yml",
                    f"段階の id「{phase['id']}」が2回書かれています。1回だけにしてください。",
                    (i, "id"),
                )
            )
        seen.add(phase["id"])
    return problems


def check_unique_question_ids(question_sets: dict) -> list[Problem]:
    problems = []
    for set_id, question_set in question_sets.items():
        seen = set()
        for q, question in enumerate(question_set.get("items", [])):
            if question["id"] in seen:
                problems.append(
                    Problem(
                        "question-sets.yml",
                        f"質問の id「{question['id']}」が重なっています。"
                        "記録の回答は id で見分けるので、別の id にしてください。",
                        (set_id, "items", q, "id"),
                    )
                )
            seen.add(question["id"])
    return problems


def check_unique_type_numbers(types: dict) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for type_id, content in types.items():
        number = content["number"]
        if number in seen:
            problems.append(
                Problem(
                    f"{TYPES_DIR}/{type_id}.yml",
                    f"番号「{number}」は {seen[number]}.yml でも使われています。"
                    "タイプごとに別の番号にしてください。",
                    ("number",),
                )
            )
        seen[number] = type_id
    return problems


# --- references ---------------------------------------------------------------------------


def check_scenario(file: str, content: dict, types: dict, phases) -> list[Problem]:
    """A drill's scenario (data/scenarios/): its type, 事故事例 and 発覚のきっかけ exist, and
    its target minutes name phases of that type. Run on a scenario that passed its schema."""
    type_id = content["type"]
    incident = types.get(type_id)
    if type_id in types and not isinstance(incident, dict):
        return []  # the type's file cannot be read: its own messages say why
    if not isinstance(incident, dict):
        return [
            Problem(
                file,
                f"「{type_id}」という事故のタイプはありません。次のどれかを書いてください: "
                f"{', '.join(sorted(types))}（data/types/ のファイル名）。",
                ("type",),
            )
        ]
    problems = []
    if "case" not in content and "text" not in content:
        problems.append(
            Problem(
                file,
                "事故事例の番号（case）か、事務局が作成した状況の文（text）の"
                "どちらか（または両方）を書いてください。",
                ("type",),
            )
        )
    for key, label in (("case", "事故事例"), ("trigger", "発覚のきっかけ")):
        items = incident.get(key + "s") if key == "case" else incident.get("triggers")
        n = content.get(key)
        if n is not None and isinstance(items, list) and not 1 <= n <= len(items):
            problems.append(
                Problem(
                    file,
                    f"{label} {n} はありません。data/types/{type_id}.yml の{label}は"
                    f" {len(items)} 件です。1 から {len(items)} の番号を書いてください。",
                    (key,),
                )
            )
    used = [p.get("phase") for p in incident.get("phases", []) if isinstance(p, dict)]
    titles = {
        p["id"]: p.get("title", "") for p in phases or [] if isinstance(p, dict) and "id" in p
    }
    for phase_id in content.get("targets", {}):
        if phase_id not in used:
            problems.append(
                Problem(
                    file,
                    f"「{phase_id}」という段階は data/types/{type_id}.yml にありません。"
                    f"次のどれかを書いてください: "
                    f"{', '.join(f'{u}（{titles.get(u, u)}）' for u in used)}。",
                    ("targets", phase_id, "\0key"),
                )
            )
    return problems


def check_urgent_steps(file: str, content: dict) -> list[Problem]:
    ids = {item["id"] for _, item in [*_type_steps(content), *_type_notes(content)]}
    return [
        Problem(
            file,
            f"「{ref}」という手順も※の注記もこのファイルにありません。"
            "このファイルの手順の id か、※の注記の id を書いてください。",
            ("urgent", i),
        )
        for i, ref in enumerate(content.get("urgent", []))
        if ref not in ids
    ]


def check_type_phases(file: str, content: dict, phases: list) -> list[Problem]:
    known = [phase["id"] for phase in phases]
    problems, seen = [], set()
    for p, phase in enumerate(content["phases"]):
        phase_id = phase["phase"]
        if phase_id not in known:
            problems.append(
                Problem(
                    file,
                    f"「{phase_id}」という段階はありません。次のどれかを書いてください: "
                    f"{', '.join(known)}（data/phases.yml）。",
                    ("phases", p, "phase"),
                )
            )
        elif phase_id in seen:
            problems.append(
                Problem(
                    file,
                    f"段階「{phase_id}」が2回書かれています。1つの段階は1回だけ書きます。",
                    ("phases", p, "phase"),
                )
            )
        seen.add(phase_id)
    return problems


def check_question_set_refs(file: str, content: dict, question_sets: dict) -> list[Problem]:
    problems = []
    for p, phase in enumerate(content["phases"]):
        refs = [(("facts", "information"), phase.get("facts", {}).get("information"))]
        refs.append((("severity",), phase.get("severity")))
        for place, ref in refs:
            if ref is not None and ref not in question_sets:
                problems.append(
                    Problem(
                        file,
                        f"「{ref}」という質問の組はありません。次のどれかを書いてください: "
                        f"{', '.join(question_sets)}（data/question-sets.yml）。",
                        ("phases", p, *place),
                    )
                )
    return problems


def check_organization_refs(org: dict) -> list[Problem]:
    places = [("contacts", i) for i in range(len(org["contacts"]))]
    places += [("origins", i) for i in range(len(org["origins"]))]
    ids = [org[key][i]["id"] for key, i in places]
    file = "organization.yml"
    problems = []
    for i, node_id in enumerate(ids):
        if node_id in ids[:i]:
            problems.append(
                Problem(
                    file,
                    f"id「{node_id}」が連絡先・起点の中で重なっています。別の id にしてください。",
                    (*places[i], "id"),
                )
            )
    contacts = [c["id"] for c in org["contacts"]]
    if org["primary_contact"] not in contacts:
        problems.append(
            Problem(
                file,
                f"「{org['primary_contact']}」という連絡先はありません。"
                f"連絡先の id のどれかを書いてください: {', '.join(contacts)}。",
                ("primary_contact",),
            )
        )
    for i, link in enumerate(org["reporting_chain"]):
        for end in ("from", "to"):
            if link[end] not in ids:
                problems.append(
                    Problem(
                        file,
                        f"「{link[end]}」という連絡先・起点はありません。"
                        f"次のどれかを書いてください: {', '.join(ids)}。",
                        ("reporting_chain", i, end),
                    )
                )
    return problems


def check_basics_contacts(basics: dict, org: dict) -> list[Problem]:
    ids = ["primary", *(c["id"] for c in org["contacts"])]  # primary: primary_contact
    return [
        Problem(
            "basics.yml",
            f"「{step['contact']}」という連絡先はありません。次のどれかを書いてください: "
            f"{', '.join(ids)}（data/organization.yml）。",
            (*path, "contact"),
        )
        for path, step in _basics_steps(basics)
        if "contact" in step and step["contact"] not in ids
    ]


def check_first_actions(basics: dict) -> list[Problem]:
    ids = {step["id"] for _, step in _basics_steps(basics)}
    return [
        Problem(
            "basics.yml",
            f"「{ref}」という手順はありません。基本ステップの手順の id を書いてください。",
            ("first_actions", i),
        )
        for i, ref in enumerate(basics["first_actions"])
        if ref not in ids
    ]


def step_ids(basics: dict, types: dict) -> dict[str, list[str]]:
    """Page id -> its step ids, from the YAML values."""
    pages = {"basics": [step["id"] for _, step in _basics_steps(basics)]}
    for type_id, content in types.items():
        pages[f"types/{type_id}"] = [step["id"] for _, step in _type_steps(content)]
    return pages


def check_revised_steps(revisions: list, basics: dict, types: dict) -> list[Problem]:
    pages = step_ids(basics, types)
    return [
        Problem(
            "revisions.yml",
            f"「{ref}」という手順はありません。types/<タイプのid>/<手順のid> か "
            "basics/<手順のid> の形で、ある手順を書いてください。",
            (r, "steps", s),
        )
        for r, revision in enumerate(revisions)
        for s, ref in enumerate(revision.get("steps", []))
        if ref.rsplit("/", 1)[-1] not in pages.get(ref.rsplit("/", 1)[0], [])
    ]


# --- text -------------------------------------------------------------------------------


def check_no_markup(file: str, content) -> list[Problem]:
    """Texts are plain text: HTML tags and Markdown links would not show as written."""
    return [
        Problem(
            file,
            f"「{MARKUP.search(text).group(0)}」を含む書き方（HTML のタグや Markdown のリンク）"
            "は使えません。文だけを書いてください。",
            path,
            needle=MARKUP.search(text).group(0),
        )
        for path, text in _strings(content)
        if MARKUP.search(text)
    ]


def check_placeholders(file: str, content, terms: set[str]) -> list[Problem]:
    """{name} in a text must be one of organization.yml's terms."""
    problems = []
    for path, text in _strings(content):
        for name in PLACEHOLDER.findall(text):
            if name == "ministry_route" and name not in terms:
                problems.append(
                    Problem(
                        file,
                        "「{ministry_route}」は data/organization.yml の報告ルートから作られる言葉です。"
                        "terms の ministry（例: 総務省）と同じ名前の連絡先を contacts に書き、"
                        "reporting_chain にそこへの矢印（from: 提出する連絡先の id）を書いてください。",
                        path,
                        needle="{" + name + "}",
                    )
                )
            elif name not in terms:
                known = "、".join("{" + t + "}" for t in sorted(terms)) or "（なし）"
                problems.append(
                    Problem(
                        file,
                        f"「{{{name}}}」という言葉は data/organization.yml の terms にありません。"
                        f"使える言葉: {known}",
                        path,
                        needle="{" + name + "}",
                    )
                )
    return problems


def organization_terms(org: dict) -> dict[str, str]:
    """organization.yml's terms, and the two every organisation has."""
    contacts = {c.get("id"): c.get("name") for c in org.get("contacts", []) if isinstance(c, dict)}
    builtin = {
        "organization": org.get("name"),
        "primary_contact": contacts.get(org.get("primary_contact")),
    }
    terms = org.get("terms") if isinstance(org.get("terms"), dict) else {}
    own = {k: v for k, v in terms.items() if isinstance(k, str) and isinstance(v, str)}
    names = {
        c.get("id"): c.get("short_name") or c.get("name")
        for c in org.get("contacts", [])
        if isinstance(c, dict) and isinstance(c.get("short_name") or c.get("name"), str)
    }
    chain = org.get("reporting_chain") if isinstance(org.get("reporting_chain"), list) else []
    links = [(x.get("from"), x.get("to")) for x in chain if isinstance(x, dict)]
    builtin["ministry_route"] = ministry_route(names, links, own.get("ministry"))
    return {**{k: v for k, v in builtin.items() if isinstance(v, str)}, **own}


# --- all of them ----------------------------------------------------------------------


def check_severity_titles(question_sets: dict, types: dict) -> list[Problem]:
    """A severity question set is a heading of the type page and a legend of the record
    form: it needs a title. Told once, at the set, naming the types that use it."""
    users: dict[str, list[str]] = {}
    for type_id, content in types.items():
        for phase in content["phases"]:
            if phase.get("severity") in question_sets:
                users.setdefault(phase["severity"], []).append(type_id)
    return [
        Problem(
            "question-sets.yml",
            f"質問の組「{ref}」は重要度の判定（severity）に使われています"
            f"（data/types/ の {', '.join(sorted(set(names)))}）。見出しになる title を書いてください"
            "（例: title: 被害の重要度を判定する）。",
            (ref,),
        )
        for ref, names in users.items()
        if not question_sets[ref].get("title")
    ]


@dataclass(frozen=True)
class Rule:
    """A cross-file rule: the files it reads ("type" = each type file in turn) and a
    function of them returning Problems."""

    name: str
    needs: tuple[str, ...]
    run: Callable[..., list[Problem]]


def _basics_ids(f):
    return check_unique_step_ids("basics.yml", list(_basics_steps(f["basics.yml"])))


def _type_ids(f):
    content = f["type"]
    return check_unique_step_ids(f["file"], [*_type_steps(content), *_type_notes(content)])


# In order: the messages of one file come out in this order.
RULES: list[Rule] = [
    Rule(
        "組織の参照",
        ("organization.yml",),
        lambda f: check_organization_refs(f["organization.yml"]),
    ),
    Rule("段階の id", ("phases.yml",), lambda f: check_unique_phase_ids(f["phases.yml"])),
    Rule(
        "質問の id",
        ("question-sets.yml",),
        lambda f: check_unique_question_ids(f["question-sets.yml"]),
    ),
    Rule("基本ステップの手順の id", ("basics.yml",), _basics_ids),
    Rule("まずやること", ("basics.yml",), lambda f: check_first_actions(f["basics.yml"])),
    Rule(
        "基本ステップの連絡先",
        ("basics.yml", "organization.yml"),
        lambda f: check_basics_contacts(f["basics.yml"], f["organization.yml"]),
    ),
    Rule("タイプの手順の id", ("type",), _type_ids),
    Rule("事実関係の質問の id", ("type",), lambda f: check_unique_fact_ids(f["file"], f["type"])),
    Rule("タイプのまずやること", ("type",), lambda f: check_urgent_steps(f["file"], f["type"])),
    Rule(
        "タイプの段階",
        ("type", "phases.yml"),
        lambda f: check_type_phases(f["file"], f["type"], f["phases.yml"]),
    ),
    Rule(
        "質問の組の参照",
        ("type", "question-sets.yml"),
        lambda f: check_question_set_refs(f["file"], f["type"], f["question-sets.yml"]),
    ),
    Rule(
        "重要度の題名",
        ("question-sets.yml", "types"),
        lambda f: check_severity_titles(f["question-sets.yml"], f["types"]),
    ),
    Rule("タイプの番号", ("types",), lambda f: check_unique_type_numbers(f["types"])),
    Rule(
        "改訂した手順",
        ("revisions.yml", "basics.yml", "types"),
        lambda f: check_revised_steps(f["revisions.yml"], f["basics.yml"], f["types"]),
    ),
]
INTERNAL = "検査の内部エラー"


def _run(rule: Rule, files: dict, trusted: bool) -> list[Problem]:
    """A rule on a file with schema errors may meet a shape it cannot read: the schema
    has already said what is wrong, so it is skipped then. On files that passed their
    schemas, a rule that raises has a bug: that is told, never swallowed."""
    try:
        return rule.run(files)
    except Exception as exc:
        if not trusted:
            return []
        where = files.get("file") or next((n for n in rule.needs if n.endswith(".yml")), "")
        return [
            Problem(
                where,
                f"{INTERNAL}: 検査「{rule.name}」が止まりました（{type(exc).__name__}: {exc}）。"
                "データの誤りとは限りません。この検査は行われていないので、"
                "このメッセージをそのまま開発担当に伝えてください。",
                internal=True,
            )
        ]


def check_all(
    files: dict, types: dict, allow_markup: bool = False, valid: set[str] | None = None
) -> list[Problem]:
    """Every cross-file rule. files: relative name -> content (None when unreadable);
    types: type id -> content; valid: the names (types/<id>.yml for types) of the files
    that passed their schemas (None: all of them)."""
    problems: list[Problem] = []
    type_files = {f"{TYPES_DIR}/{t}.yml": c for t, c in types.items()}
    every = {**files, **type_files}

    def ok(name):
        return valid is None or name in valid

    for rule in RULES:
        named = [n for n in rule.needs if n not in ("type", "types")]
        if any(files.get(n) is None for n in named):
            continue  # unreadable: its reading error is the message
        base = {n: files[n] for n in named}
        trusted = all(ok(n) for n in named)
        if "types" in rule.needs:
            base["types"] = types
            trusted = trusted and all(ok(n) for n in type_files)
        if "type" in rule.needs:
            for file, content in type_files.items():
                context = {**base, "type": content, "file": file}
                problems += _run(rule, context, trusted and ok(file))
        else:
            problems += _run(rule, base, trusted)
    org = files.get("organization.yml")
    terms = set(organization_terms(org)) if isinstance(org, dict) else None
    text_rules = [] if allow_markup else [TEXT_RULES[0]]
    if terms is not None:  # no terms to compare with: organization.yml's error says why
        text_rules.append(TEXT_RULES[1])
    for file, content in every.items():
        if content is None:
            continue
        for rule in text_rules:
            context = {"file": file, "content": content, "terms": terms}
            problems += _run(rule, context, True)  # any shape is text to them: never skipped
    return problems


# Over every text of every file (they read any shape).
TEXT_RULES = [
    Rule("HTML・Markdown", (), lambda f: check_no_markup(f["file"], f["content"])),
    Rule("{名前} の言葉", (), lambda f: check_placeholders(f["file"], f["content"], f["terms"])),
]
