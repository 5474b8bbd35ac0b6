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

import pytest

from scripts import fidelity
from scripts.fidelity import Correction, OwnWords, Reason, Source, normalise

# --- the real site ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def result(site_dir) -> fidelity.Result:
    return fidelity.check_build(site_dir)


def _show(problems) -> str:
    return "\n".join(str(p) for p in problems)


def test_every_item_of_the_seed_is_on_the_site_verbatim(result):
    """Each ◆ ◎ ※ item, reassembled from the lines it wraps over, is in one element of the
    site; the items of 3-N on the page of type 3-N."""
    assert len(result.items) > 90
    problems = result.of_kind("item")
    assert not problems, _show(problems)


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
    (problem,) = result.of_kind("item")
    assert "外部から通報があった場合" in problem.message
    assert "not-carried" in kinds(result)


def test_a_changed_item_fails_and_names_the_closest_text():
    seed = "◎外部から通報があった場合 \n"
    result = run(seed, page('<p id="note-x">外部から通報があった時</p>'))
    (problem,) = result.of_kind("item")
    assert "/basics/#note-x「外部から通報があった時」" in problem.message


def test_an_item_wrapped_over_lines_is_checked_whole():
    seed = "  ◆不正アクセスが明らかな場合は警\n\n察に相談します。 \n"
    assert run(seed, page("<p>不正アクセスが明らかな場合は警察に相談します。</p>")).problems == []
    # The same words in two elements: not the item.
    split = run(seed, page("<p>不正アクセスが明らかな場合は警</p><p>察に相談します。</p>"))
    assert "item" in kinds(split)
    # A paragraph ending (a space at the end of the line) ends the item.
    (item,) = fidelity.parse_seed("◎体制をとる。 \n\n報告 \n").items
    assert item.text == "体制をとる。"


def test_an_item_of_a_type_must_be_on_that_types_page():
    seed = "３-1 紛失・盗難の場合の対応 \n  ◆予想される二次被害を確認 \n"
    own_page = page("<h1>3-1 紛失・盗難の場合の対応</h1>", url="/types/loss-theft/")
    other_page = page(
        "<h1>3-2 誤送信</h1><p>予想される二次被害を確認</p>", url="/types/misdelivery/"
    )
    (problem,) = run(seed, own_page, other_page).of_kind("item")
    assert "3-1 のページにない" in problem.message


def test_words_added_to_an_item_fail_as_site_text_of_that_type():
    """The item is still there (a substring), but the type's page says more than its part
    of the seed does, even if another part of the seed has those words."""
    seed = (
        "３-1 紛失・盗難の場合の対応 \n  ◆予想される二次被害を確認 \n"
        "３-３ 内部犯行 \n  ◆予想される二次被害を確認する。 \n"
    )
    type_page = page(
        '<h1>3-1 紛失・盗難の場合の対応</h1><li><input id="step-a">予想される二次被害を確認する。</li>',
        url="/types/loss-theft/",
    )
    result = run(seed, type_page)
    assert [p.message for p in result.of_kind("item")] == [
        "◆ 4行「◆予想される二次被害を確認する。」がサイトにない（3-3 のページがない）"
    ]
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
    assert {"item", "reason"} <= kinds(result)


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
    label = fidelity.Label("まずやること", ["macros/templates/urgent.html"])
    own = OwnWords({normalise(label.text): label}, [], [], "")
    sources = {"macros/templates/urgent.html": normalise("<h2>まずやること</h2>")}
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
