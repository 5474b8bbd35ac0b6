"""The site carries the manual's wording (tests/fixtures/seed.txt), and only adds words it
says it adds. The check and the report (原本対照表, `python3 scripts/dev.py fidelity`) are
scripts/fidelity.py; what the site leaves out is in tests/fixtures/seed-not-carried.yml
(with the reasons and the known corrections), the words it adds in
tests/fixtures/site-own-words.yml (the allow-list).

No browser: the built pages' HTML is read with the standard library. The first tests
run on the real build (the session's `site_dir`); the others feed a small made-up seed and
page to show that each rule can fail.
"""

from __future__ import annotations

import copy
import functools
import os
import random
import re
import shutil
from collections import Counter

import pytest

from macros import render
from macros.checks import organization_terms
from macros.data import SINGLE_FILES, assemble, read_yaml
from macros.model import Handbook
from scripts import fidelity, fidelity_items
from scripts.fidelity import Correction, OwnWords, Reason, Source, normalise
from support.markdown import to_html

# --- the real site ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def result(site_dir) -> fidelity.Result:
    return fidelity.check_build(site_dir)


def _show(problems) -> str:
    return "\n".join(str(p) for p in problems)


def test_every_seed_line_is_on_the_site_or_has_a_reason(result):
    problems = result.of_kind("not-carried")
    assert not problems, _show(problems)


def test_no_reason_or_correction_is_stale(result):
    """A reason names a line by number and text, and only a line the site leaves out."""
    problems = result.of_kind("stale-reason", "reason", "stale-correction")
    assert not problems, _show(problems)


def test_every_site_text_is_in_the_seed_or_allowed(result):
    problems = result.of_kind("site-text")
    assert not problems, _show(problems)


def test_the_allow_list_is_current(result):
    """Every label is in the file it is listed under and shown on the site; every value
    and field it allows exists and is not in the seed."""
    problems = result.of_kind("allow-list")
    assert not problems, _show(problems)


def test_the_report_has_every_line_and_the_three_sections(result):
    text = fidelity.report(result)
    for heading in (
        "## 集計",
        "## 原本の各行とサイトでの位置",
        "## サイトに載せていない原本の行（理由つき）",
        "## 原本にないサイトの文（ファイル別）",
    ):
        assert heading in text
    for line in result.lines:
        assert f"\n| {line.line.number} | " in text
    # The places are real anchors, e.g. a step's checkbox.
    assert "/types/malware/#step-types-malware-reinstall-os" in text


# --- each rule can fail (a made-up seed and page) -------------------------------------


def page(body: str, url: str = "/basics/") -> fidelity.Page:
    """A built page as Material writes it: only <article> is content."""
    return fidelity.parse_page(
        url,
        "<html><body><header><nav>メニュー</nav></header>"
        f'<article class="md-content__inner">{body}</article>'
        "<footer>フッター</footer></body></html>",
    )


def run(
    seed: str,
    *pages: fidelity.Page,
    reasons: list[Reason] | None = None,
    corrections: list[Correction] | None = None,
    values: dict | None = None,
    own: OwnWords | None = None,
    sources: dict | None = None,
) -> fidelity.Result:
    return fidelity.check(
        seed,
        list(pages),
        values or {},
        own or OwnWords({}, [], [], normalise("（）()／/→※0123456789")),
        reasons or [],
        corrections or [],
        sources or {},
    )


def kinds(result: fidelity.Result) -> set[str]:
    return {p.kind for p in result.problems}


def test_a_seed_that_the_site_carries_passes():
    seed = (
        "２．事故対応の基本ステップ \n\n◎外部から通報があった場合   ※相手の連絡先等を必ず控える \n"
    )
    site = page(
        '<h2 id="steps">２．事故対応の基本ステップ</h2><ul><li><input id="step-basics-x">'
        "<label>外部から通報があった場合<span>※相手の連絡先等を必ず控える</span></label></li></ul>"
    )
    result = run(seed, site)
    assert result.problems == []
    assert [str(p) for p in result.lines[1].places] == ["/basics/#step-basics-x"]


def test_a_missing_item_fails():
    seed = "◎外部から通報があった場合 \n\n◎総務省報告書作成 \n"
    result = run(seed, page("<p>総務省報告書作成</p>"))
    (problem,) = result.of_kind("not-carried")
    assert "外部から通報があった場合" in problem.message


def test_words_added_to_an_item_fail_as_site_text_of_that_type():
    """The type's page says more than its part of the seed does, even if another part of
    the seed has those words."""
    seed = (
        "３-1 紛失・盗難の場合の対応 \n  ◆予想される二次被害を確認 \n"
        "３-３ 内部犯行 \n  ◆予想される二次被害を確認する。 \n"
    )
    type_page = page(
        '<h1>3-1 紛失・盗難の場合の対応</h1><li><input id="step-a">予想される二次被害を確認する。</li>',
        url="/types/loss-theft/",
    )
    result = run(seed, type_page)
    (problem,) = result.of_kind("site-text")
    assert "予想される二次被害を確認する。" in problem.message and "#step-a" in problem.message


def test_a_line_left_out_needs_a_reason_given_by_number_and_text():
    seed = "p54389\n報告 \n"
    site = page("<p>報告</p>")
    assert "not-carried" in kinds(run(seed, site))
    reason = Reason([1], "p54389", "PDF の抽出で入った文字")
    result = run(seed, site, reasons=[reason])
    assert result.problems == []
    assert not result.lines[0].carried and result.lines[0].reason is reason
    # The seed changed under the reason: its text no longer matches the line.
    changed = run("p12345\n報告 \n", site, reasons=[Reason([1], "p54389", "…")])
    assert "reason" in kinds(changed)


def test_a_reason_for_a_line_that_is_carried_is_stale():
    seed = "応急処置例 \n"
    result = run(seed, page("<h3>応急処置例</h3>"), reasons=[Reason([1], "応急処置例", "…")])
    (problem,) = result.of_kind("stale-reason")
    assert "1行「応急処置例」はサイトにある" in problem.message


def test_a_reason_cannot_excuse_an_item():
    seed = "◎総務省報告書作成 \n"
    result = run(seed, page("<p>ほかの文</p>"), reasons=[Reason([1], "◎総務省報告書作成", "…")])
    assert "reason" in kinds(result)


def test_a_known_correction_is_applied_and_only_where_it_is_listed():
    seed = "（サーバ移行時の、ＩＤパスワードで保護さ.れるべ\nき情報） \n"
    site = page("<li>（サーバ移行時の、IDパスワードで保護されるべき情報）</li>")
    assert "not-carried" in kinds(run(seed, site))
    fix = Correction(1, "保護さ.れるべ", "保護されるべ")
    assert run(seed, site, corrections=[fix]).problems == []
    stale = Correction(2, "保護さ.れるべ", "保護されるべ")  # not on that line
    assert "stale-correction" in kinds(run(seed, site, corrections=[stale]))


def test_unknown_site_text_fails_with_its_page_and_anchor():
    seed = "報告 \n"
    site = page('<p>報告</p><h2 id="extra">原本にない見出し</h2>')
    (problem,) = run(seed, site).of_kind("site-text")
    assert "原本にない見出し" in problem.message and "/basics/#extra" in problem.message


def test_the_chrome_around_the_article_is_not_site_text():
    assert run("報告 \n", page("<p>報告</p>")).of_kind("site-text") == []


def test_site_text_made_of_data_values_labels_and_symbols():
    seed = "県 \n総務部情報企画課 \n報告 \n"
    values = {
        normalise(v): [(Source("data/organization.yml", f"x[{i}]"), v)]
        for i, v in enumerate(["県", "総務部情報企画課", "報告"])
    }
    chain = page("<ol><li>県 → 総務部情報企画課（報告）</li></ol>")
    assert run(seed, chain, values=values).problems == []
    # A data value that is not in the seed must be allowed, by field or by exact value.
    values[normalise("まず一報")] = [
        (Source("data/organization.yml", "chain[0].label"), "まず一報")
    ]
    chain = page("<ol><li>県 → 総務部情報企画課（まず一報）</li></ol>")
    (problem,) = run(seed, chain, values=values).of_kind("site-text")
    assert "まず一報" in problem.message and "data/organization.yml" in problem.message
    by_field = OwnWords({}, [fidelity.FieldRule("data/*.yml", "chain[].label", "…")], [], "()→")
    assert run(seed, chain, values=values, own=by_field).of_kind("site-text", "allow-list") == []
    # A label is allowed only exactly as listed, and only in the file it is listed under.
    label = fidelity.Label("まずやること", ["components/urgent/urgent.html"])
    own = OwnWords({normalise(label.text): label}, [], [], "")
    sources = {"components/urgent/urgent.html": normalise("<h2>まずやること</h2>")}
    assert (
        run(seed, page("<h2>まずやること</h2>"), own=own, sources=sources).of_kind(
            "site-text", "allow-list"
        )
        == []
    )
    label.used = False
    assert "site-text" in kinds(
        run(seed, page("<h2>まずやることを</h2>"), own=own, sources=sources)
    )
    label.used = False
    assert "allow-list" in kinds(run(seed, page("<h2>まずやること</h2>"), own=own, sources={}))


def test_an_allowed_label_that_the_site_no_longer_shows_is_stale():
    label = fidelity.Label("使わない言葉", ["docs/index.md"])
    own = OwnWords({normalise(label.text): label}, [], [], "")
    result = run("報告 \n", page("<p>報告</p>"), own=own, sources={"docs/index.md": "使わない言葉"})
    (problem,) = result.of_kind("allow-list")
    assert "使われていない" in problem.message


def test_a_diagram_is_read_as_the_labels_it_draws():
    site = page(
        '<h2 id="flow">流れ</h2><figure data-search-exclude hidden>'
        '<pre class="hb-diagram__source">flowchart LR\n  p0["（１）発見および報告&lt;br/&gt;2 項目"]'
        "</pre></figure>"
    )
    texts = [(u.raw, u.anchor_at(0), u.excluded) for u in site.units]
    assert ("（１）発見および報告", "flow", True) in texts and ("2 項目", "flow", True) in texts


# --- the gate on a made-up seed and page ----------------------------------------------

SEED_3_1 = (
    "３-1 紛失・盗難の場合の対応 \n\n（１）発見および報告 \n"
    "  ◆不正アクセスが明らかな場合は警\n\n察に相談します。 \n"
    "  ◆紛失場所の管理者に連絡 \n\n"
    "応急処置例 留意点 \n\n１ 紛失物の捜索・回収 ・鞄の形状、大きさ、 \n\n 色などの特徴 \n\n"
    "２ 警察への届出 \n\n※まずは報告する \n"
)


def type_page(steps: list[str], rows: list[tuple[str, list[str]]], note: str = "※まずは報告する"):
    lis = "".join(
        f'<li class="hb-step"><input id="step-{i}"><label><span class="hb-step__text">{t}'
        "</span></label></li>"
        for i, t in enumerate(steps)
    )
    trs = "".join(
        f"<tr><td>{i + 1}</td><td>{t}</td><td><ul>{''.join(f'<li>{n}</li>' for n in ns)}</ul>"
        "</td></tr>"
        for i, (t, ns) in enumerate(rows)
    )
    return (
        '<article><h1 id="t">3-1 紛失・盗難の場合の対応</h1>'
        '<h2 id="discovery">（１）発見および報告</h2>'
        f'<ul class="hb-checklist">{lis}</ul><h3 id="discovery-first-aid">応急処置例</h3>'
        f'<table class="hb-measures"><tbody>{trs}</tbody></table>'
        f'<p class="hb-note" id="note-x">{note}</p></article>'
    )


STEPS = ["不正アクセスが明らかな場合は警察に相談します。", "紛失場所の管理者に連絡"]
ROWS = [("紛失物の捜索・回収", ["鞄の形状、大きさ、色などの特徴"]), ("警察への届出", [])]


def gate_problems(page_html: str, decisions=()) -> list[str]:
    want = fidelity_items.expected(fidelity_items.seed_items(SEED_3_1), list(decisions), "3-1")
    have = fidelity_items.site_items("/types/loss-theft/", page_html)
    return [str(p) for p in fidelity_items.compare(want, have, "/types/loss-theft/", decisions)]


def test_the_gate_reads_the_seed_as_items_in_their_places():
    items = fidelity_items.seed_items(SEED_3_1)
    assert {k: v.text for k, v in items.items()} == {
        "3-1/(1)/見出し": "発見および報告",
        "3-1/(1)/◆/1": "不正アクセスが明らかな場合は警察に相談します。",
        "3-1/(1)/◆/2": "紛失場所の管理者に連絡",
        "3-1/(1)/応急処置例/1": "紛失物の捜索・回収",
        "3-1/(1)/応急処置例/1/留意点/1": "鞄の形状、大きさ、色などの特徴",
        "3-1/(1)/応急処置例/2": "警察への届出",
        "3-1/(1)/※後/1": "※まずは報告する",
    }
    assert items["3-1/(1)/◆/1"].where == "4–6行"
    assert gate_problems(type_page(STEPS, ROWS)) == []


def test_the_gate_fails_a_step_split_moved_or_changed_naming_line_and_place():
    split = type_page(["不正アクセスが明らかな場合は警", "察に相談します。", STEPS[1]], ROWS)
    assert any("4–6行" in p and "#step-0" in p for p in gate_problems(split))
    swapped = gate_problems(type_page(STEPS[::-1], ROWS))
    assert any(
        p.startswith("[changed] 3-1 (1) ◆ 1: 原本 4–6行") and "#step-0" in p for p in swapped
    )
    changed = gate_problems(type_page([STEPS[0], "紛失場所の管理者へ連絡"], ROWS))
    assert changed == [
        "[changed] 3-1 (1) ◆ 2: 原本 7行「◆紛失場所の管理者に連絡」 がサイトでは "
        "/types/loss-theft/#step-1「紛失場所の管理者へ連絡」"
    ]
    no_mark = gate_problems(type_page(STEPS, ROWS, note="まずは報告する"))
    assert [p[:20] for p in no_mark] == ["[changed] 3-1 (1) ※後"]


def test_a_note_on_another_row_fails_unless_it_is_a_recorded_decision():
    moved = type_page(STEPS, [("紛失物の捜索・回収", []), ("警察への届出", ROWS[0][1])])
    problems = gate_problems(moved)
    assert any(
        p.startswith("[missing] 3-1 (1) 応急処置例 1 留意点 1: 原本 11–13行") for p in problems
    )
    decision = fidelity_items.Decision(
        "3-1/(1)/応急処置例/1/留意点/1", "内容による", site="3-1/(1)/応急処置例/2/留意点/1"
    )
    assert gate_problems(moved, [decision]) == [] and decision.used


# --- the gate: whole items in their places (scripts/fidelity_items.py) ----------------

GATE_SEED = int(os.environ.get("FIDELITY_SEED", "20"))


def test_the_gate_passes_on_the_build(site_dir):
    gate = fidelity_items.check_build(site_dir)
    assert gate.items > 290
    assert not gate.problems, _show(gate.problems)


@pytest.fixture(scope="module")
def base_data() -> dict:
    root = fidelity.ROOT / "data"
    data = {name: read_yaml(root / name) for name in SINGLE_FILES}
    data["types"] = {p.stem: read_yaml(p) for p in sorted((root / "types").glob("*.yml"))}
    return data


def handbook_from(data: dict) -> Handbook:
    """The Handbook as load_handbook builds it, from (mutated) data, without validation."""
    terms = organization_terms(data["organization.yml"])
    # A redirected arrow can leave no route to the ministry; check would refuse that data,
    # here the gate must still see the rest of it.
    terms.setdefault("ministry_route", "{ministry_route}")
    return assemble(data, data["types"], terms=terms)


def pages_of(handbook: Handbook, types: list[str] | None, basics: bool, printed: bool):
    """The pages carrying items, rendered in process (Markdown as MkDocs reads it)."""
    pages = {}
    for tid in handbook.types if types is None else types:
        pages[f"/types/{tid}/"] = to_html(render.type_page(tid, handbook))
    if basics:
        pages["/basics/"] = to_html(render.basics_page(handbook))
    if printed:
        pages["/print/"] = to_html(render.print_set(handbook))
    return pages


@functools.cache
def _decisions_file() -> dict:
    return fidelity_items.read_decisions()[1]


def gate_on(data: dict, types=None, basics=True, printed=False) -> fidelity_items.Gate:
    handbook = handbook_from(data)
    pages = pages_of(handbook, types, basics, printed)
    spec = _decisions_file()
    decisions = fidelity_items.decisions_from(spec)  # fresh: each records its use
    carried = {s for url, html_ in pages.items() for s in fidelity_items.scope_of(url, html_)}
    every = {"basics", *(t["number"] for t in data["types"].values())}
    return fidelity_items.check_pages(
        pages,
        fidelity.SEED.read_text(encoding="utf-8"),
        decisions,
        fidelity_items.figures_of(handbook),
        spec.get("figures") or {},
        {},
        skip_scopes=tuple(every - carried),
    )


@pytest.fixture(autouse=True)
def _client_diagrams(monkeypatch):
    monkeypatch.setenv("HB_DIAGRAMS", "client")  # no SVG lookups: the source is what counts


def test_the_gate_passes_on_the_data_rendered_in_process(base_data):
    """The in-process rendering the mutations use reads as the build does."""
    gate = gate_on(copy.deepcopy(base_data), printed=True)
    assert not gate.problems, _show(gate.problems)


# Each mutation: (kind, description, data -> None, types to render or None for all).


def _one_char(text: str, rng: random.Random) -> str:
    """text with one character (outside {placeholders}, not a space) replaced."""
    spots, depth = [], 0
    for i, ch in enumerate(text):
        depth += ch == "{"
        if not depth and not ch.isspace():
            spots.append(i)
        depth -= ch == "}"
    i = rng.choice(spots)
    return text[:i] + ("亜" if text[i] != "亜" else "唖") + text[i + 1 :]


def _phases(t: dict):
    return [p for p in t["phases"]]


def _tables(data):
    for tid, t in data["types"].items():
        for p in t["phases"]:
            for table in ("first_aid", "secondary"):
                if p.get(table):
                    yield tid, p["phase"], table


def mutations(data: dict, rng: random.Random):
    """Every kind of change the gate must catch, with many variants of each."""
    out = []

    def add(kind, what, change, types=None, basics=False, printed=False):
        out.append((kind, what, change, types, basics, printed))

    org = data["organization.yml"]
    for c, contact in enumerate(org["contacts"]):
        for k, phone in enumerate(contact.get("phones") or []):
            if phone.get("extension"):

                def ext(d, c=c, k=k):
                    ph = d["organization.yml"]["contacts"][c]["phones"][k]
                    ph["extension"] = str(int(ph["extension"]) + 1)

                add("内線の番号", f"{contact['id']} 内線+1", ext, ["malware"])
            if phone.get("number"):

                def num(d, c=c, k=k):
                    ph = d["organization.yml"]["contacts"][c]["phones"][k]
                    ph["number"] = ph["number"][:-1] + str((int(ph["number"][-1]) + 1) % 10)

                add("外線の番号", f"{contact['id']} 番号の末尾", num, ["malware"])

    def find_step(d, tid, word):
        for p in d["types"][tid]["phases"]:
            for s in p.get("steps") or []:
                if word in s["text"]:
                    return p, s
        raise AssertionError(word)

    def removal_first(d):
        p, s = find_step(d, "malware", "除去")
        p["steps"].remove(s)
        p["steps"].insert(0, s)

    add("除去の手順を先頭へ", "3-5 除去の手順を（２）の先頭へ", removal_first, ["malware"])
    for tid, t in data["types"].items():
        for pi, p in enumerate(t["phases"]):
            if len(p.get("steps") or []) > 1:

                def last_first(d, tid=tid, pi=pi):
                    steps = d["types"][tid]["phases"][pi]["steps"]
                    steps.insert(0, steps.pop())

                add("手順の順番", f"{tid} {p['phase']} 最後の手順を先頭へ", last_first, [tid])

    evidence_phase = find_step(data, "unauthorized-access", "証拠保全")[0]["phase"]
    for target in [p["phase"] for p in data["types"]["unauthorized-access"]["phases"]]:
        if target == evidence_phase:
            continue

        def move_phase(d, target=target):
            p, s = find_step(d, "unauthorized-access", "証拠保全")
            p["steps"].remove(s)
            other = next(
                q for q in d["types"]["unauthorized-access"]["phases"] if q["phase"] == target
            )
            other.setdefault("steps", []).append(s)

        add("手順の段階", f"3-6 証拠保全の手順を {target} へ", move_phase, ["unauthorized-access"])

    for tid, phase, table in _tables(data):
        rows = next(p for p in data["types"][tid]["phases"] if p["phase"] == phase)[table]["items"]
        for r, row in enumerate(rows):
            if row.get("notes"):

                def wrong_row(d, tid=tid, phase=phase, table=table, r=r):
                    p = next(q for q in d["types"][tid]["phases"] if q["phase"] == phase)
                    items = p[table]["items"]
                    notes = items[r].pop("notes")
                    items[(r + 1) % len(items)].setdefault("notes", []).extend(notes)

                add(
                    "留意点の行",
                    f"{tid} {phase} {table} {r + 1}行目の留意点を次の行へ",
                    wrong_row,
                    [tid],
                )
        for r in range(len(rows)):

            def delete_row(d, tid=tid, phase=phase, table=table, r=r):
                p = next(q for q in d["types"][tid]["phases"] if q["phase"] == phase)
                del p[table]["items"][r]

            add("表の行の削除", f"{tid} {phase} {table} {r + 1}行目を削除", delete_row, [tid])

    def no_cases(d):
        for t in d["types"].values():
            t["cases"] = []

    add("事故事例をすべて削除", "全タイプの事故事例を削除", no_cases, None, False, True)

    for tid, t in data["types"].items():
        for pi, p in enumerate(t["phases"]):
            for ni, _note in enumerate(p.get("notes") or []):

                def toggle(d, tid=tid, pi=pi, ni=ni):
                    n = d["types"][tid]["phases"][pi]["notes"][ni]
                    before = n.get("position") == "before-table"
                    n["position"] = "after-table" if before else "before-table"

                add("※の位置", f"{tid} {p['phase']} ※を表の反対側へ", toggle, [tid])

                def other_phase(d, tid=tid, pi=pi, ni=ni):
                    phases = d["types"][tid]["phases"]
                    n = phases[pi]["notes"].pop(ni)
                    phases[(pi + 1) % len(phases)].setdefault("notes", []).append(n)

                add("※の位置", f"{tid} {p['phase']} ※を次の段階へ", other_phase, [tid])

    for li, link in enumerate(org["reporting_chain"]):

        def drop_label(d, li=li):
            d["organization.yml"]["reporting_chain"][li].pop("label", None)

        add("図のラベル", f"報告ルート {li + 1}本目の矢印の文字を削除", drop_label, [])
        ends = [o["id"] for o in org["origins"]] + [
            c["id"] for c in org["contacts"] if c["id"] in {x["to"] for x in org["reporting_chain"]}
        ]
        for end in ends:
            if end in (link["to"], link["from"]):
                continue

            def redirect(d, li=li, end=end):
                d["organization.yml"]["reporting_chain"][li]["to"] = end

            add("図の矢印", f"報告ルート {li + 1}本目の矢印の先を {end} へ", redirect, [])
    for gi, group in enumerate(data["basics.yml"]["stages"][-1].get("groups") or []):
        if group.get("notes"):

            def drop_side(d, gi=gi):
                d["basics.yml"]["stages"][-1]["groups"][gi].pop("notes")

            add("図のラベル", f"基本ステップ「{group['title']}」の横のラベルを削除", drop_side, [])

    for tid, t in data["types"].items():
        for ci in range(len(t["cases"])):
            draw = rng.random()

            def reword_case(d, tid=tid, ci=ci, r=draw):
                d["types"][tid]["cases"][ci] = _one_char(
                    d["types"][tid]["cases"][ci], random.Random(r)
                )

            add("事故事例の1文字", f"{tid} 事故事例{ci + 1}", reword_case, [tid])
        for ti in range(len(t["triggers"])):
            draw = rng.random()

            def reword_trigger(d, tid=tid, ti=ti, r=draw):
                d["types"][tid]["triggers"][ti] = _one_char(
                    d["types"][tid]["triggers"][ti], random.Random(r)
                )

            add("発覚のきっかけの1文字", f"{tid} 発覚のきっかけ{ti + 1}", reword_trigger, [tid])

    for pi, phase in enumerate(data["phases.yml"]):
        draw = rng.random()

        def rename(d, pi=pi, r=draw):
            d["phases.yml"][pi]["title"] = _one_char(d["phases.yml"][pi]["title"], random.Random(r))

        add("段階名", f"段階 {phase['id']} の名前を1文字", rename, None, False)

    steps = [
        (tid, pi, si)
        for tid, t in data["types"].items()
        for pi, p in enumerate(t["phases"])
        for si in range(len(p.get("steps") or []))
    ]
    for tid, pi, si in rng.sample(steps, 25):
        draw = rng.random()

        def reword_step(d, tid=tid, pi=pi, si=si, r=draw):
            s = d["types"][tid]["phases"][pi]["steps"][si]
            s["text"] = _one_char(s["text"], random.Random(r))

        add(
            "手順の1文字",
            f"{tid} {data['types'][tid]['phases'][pi]['phase']} 手順{si + 1}",
            reword_step,
            [tid],
        )
    basic_steps = [
        (where, si)
        for where in _basics_step_lists(data["basics.yml"])
        for si in range(len(where(data["basics.yml"])))
    ]
    for where, si in rng.sample(basic_steps, 5):
        draw = rng.random()

        def reword_basic(d, where=where, si=si, r=draw):
            s = where(d["basics.yml"])[si]
            s["text"] = _one_char(s["text"], random.Random(r))

        add(
            "手順の1文字",
            f"基本ステップの手順 {where(data['basics.yml'])[si]['id']}",
            reword_basic,
            [],
            True,
        )

    def bracket_all(d):
        for q in d["question-sets.yml"]["severity"]["items"]:
            if q.get("choices"):
                q["bracketed"] = True

    add("質問の括弧", "重要度の質問すべての選択肢を（）で囲む", bracket_all, None, False)
    for tid, t in data["types"].items():
        for pi, p in enumerate(t["phases"]):
            if p.get("facts"):

                def swap_facts(d, tid=tid, pi=pi):
                    qs = d["types"][tid]["phases"][pi]["facts"]["questions"]
                    qs[0], qs[1] = qs[1], qs[0]

                add("事実関係の順番", f"{tid} 事実関係(1)と(2)を入れ替え", swap_facts, [tid])
    return out


def _basics_step_lists(basics: dict):
    for si, stage in enumerate(basics["stages"]):
        if stage.get("steps"):
            yield lambda b, si=si: b["stages"][si]["steps"]
        for gi, _ in enumerate(stage.get("groups") or []):
            yield lambda b, si=si, gi=gi: b["stages"][si]["groups"][gi]["steps"]


SAMPLE = {"手順の1文字": 12, "事故事例の1文字": 8}  # variants per kind (else 6)
PLACE = re.compile(r"/(?:types/[a-z0-9-]+|basics|print)/|図「")


def test_every_kind_of_change_to_the_manual_fails_the_gate(base_data):
    """Each change to a copy of the data fails the gate, with a problem that names the
    seed's line (…行) and the place on the site (page#anchor, or the figure)."""
    rng = random.Random(GATE_SEED)
    every = mutations(base_data, rng)
    # a sample of each kind (the seed picks which), to keep the test near 10 s on a busy core
    variants = []
    for kind in dict.fromkeys(k for k, *_ in every):
        of_kind = [v for v in every if v[0] == kind]
        if not os.environ.get("FIDELITY_ALL"):  # FIDELITY_ALL=1: every variant
            of_kind = rng.sample(of_kind, min(len(of_kind), SAMPLE.get(kind, 6)))
        variants += of_kind
    kinds = Counter(kind for kind, *_ in variants)
    assert len(kinds) >= 12, kinds
    passed, unnamed = [], []
    for kind, what, change, types, basics, printed in variants:
        data = copy.deepcopy(base_data)
        change(data)
        gate = gate_on(data, types, basics, printed)
        if not gate.problems:
            passed.append(f"{kind}: {what}")
        elif not any("行" in p.message and PLACE.search(p.message) for p in gate.problems):
            unnamed.append(f"{kind}: {what}: {_show(gate.problems)}")
    print(f"FIDELITY_SEED={GATE_SEED}:", dict(kinds))
    assert not passed, f"FIDELITY_SEED={GATE_SEED}: the gate let these through:\n" + "\n".join(
        passed
    )
    assert not unnamed, f"FIDELITY_SEED={GATE_SEED}: no seed line or place:\n" + "\n".join(unnamed)


def test_removing_the_cases_fails_on_every_type_page_and_on_paper(base_data):
    data = copy.deepcopy(base_data)
    for t in data["types"].values():
        t["cases"] = []
    shown = _show(gate_on(data, None, False, True).problems)
    for url in [f"/types/{tid}/" for tid in data["types"]] + ["/print/"]:
        assert f"{url}#" in shown, url


def test_the_check_command_passes_on_the_build_and_fails_on_a_changed_number(
    site_dir, tmp_path, capsys
):
    """`dev.py fidelity --check` (what CI runs): 0 on the build; 1 when one page's
    extension differs from the seed's, naming the page."""
    assert fidelity.main(["--check", "--site", str(site_dir)]) == 0
    assert "判断: 図「報告ルート」" in capsys.readouterr().out
    changed = tmp_path / "site"
    shutil.copytree(site_dir, changed)
    page = changed / "contacts" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("2255", "2256"), encoding="utf-8")
    assert fidelity.main(["--check", "--site", str(changed)]) == 1
    out = capsys.readouterr().out
    assert "/contacts/index.html: 番号「内線2256」は原本にない" in out


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is needed")
def test_the_numbers_on_a_printed_sheet_are_read_and_checked(printed, tmp_path):
    """A PDF in the build is read too (pdftotext): its numbers are the seed's, and a
    changed one fails."""
    pdf = tmp_path / "malware.pdf"
    pdf.write_bytes(printed("/types/malware/"))
    text = fidelity_items.pdf_text(pdf)
    assert {"内線2255", "090-5110-0331"} <= set(fidelity_items.phones_in(text))
    seed = fidelity.SEED.read_text(encoding="utf-8")
    assert fidelity_items.check_phones(seed, {"/pdf/malware.pdf": text}) == []
    changed = fidelity_items.check_phones(seed, {"/pdf/malware.pdf": text.replace("2255", "2265")})
    assert any("/pdf/malware.pdf: 番号「内線2265」は原本にない" in p.message for p in changed)
