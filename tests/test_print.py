"""Paper for the desk drawer: each type on at most two A4 sheets with the contacts on
every sheet, led by the まずやること box as on screen, and the print set (a card, then each
type on a new sheet). Also what reads the same on screen and on paper: the tables, the
発覚のきっかけ as a list, and the ＊ that marks the site's own words."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from scripts.make_pdf import print_pdf
from support.pages import HANDBOOK, TYPE_IDS
from support.pdf import norm, sheets

CONTACT = HANDBOOK.primary_contact
PHONES = [p.number or p.extension for p in CONTACT.phones]
SCREEN_ONLY = [
    "検索",
    "このページのチェックをすべて外す",
    "報告ルートと連絡先",
    "完了",
]
# The site's own words: the marker (CSS, print.css and components/hb/hb.css) and its explanation
# (components/own-words/own-words.html), as PDF text.
OWN_MARK = "*"  # ＊ after NFKC
OWN_NOTE = "＊印はこのサイトが付けた言葉で、原本にはありません。"
BODY_MIN_PT = 9
FOOTER_TOP_PT = 20 / 25.4 * 72  # the bottom margin (print.css @page): the footer lives there


def steps_of(type_id):
    return [(c.phase, s) for c in HANDBOOK.types[type_id].phases for s in c.steps]


def urgent_of(type_id) -> list[str]:
    """まずやること of a type, in the data's order: a step's text or a ※ note's."""
    incident = HANDBOOK.types[type_id]
    steps, notes = incident.steps(), incident.notes()
    return [f"※{notes[r].text}" if r in notes else steps[r].text for r in incident.urgent]


def card_start(type_id) -> str:
    """How a type's sheet must begin: its title, the contact box, the まずやること box
    (marked as the site's words, its items numbered in order), then the first phase."""
    incident = HANDBOOK.types[type_id]
    first = HANDBOOK.phase(incident.phases[0].phase)
    items = "".join(f"{n}.{text}" for n, text in enumerate(urgent_of(type_id), start=1))
    return norm(
        incident.heading
        + "事故を発見したら、すぐに連絡"
        + CONTACT.text
        + "まずやること"
        + OWN_MARK
        + items
        + first.number
        + first.title
    )


def text_sizes(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Per sheet: (size in pt, height from the bottom in pt, text) of every piece of text."""
    out = []
    for sheet in PdfReader(io.BytesIO(pdf)).pages:
        pieces = []

        def visit(text, cm, tm, font, size, pieces=pieces):
            if not text.strip():
                return
            a, b, c, d, e, f = tm
            m0, m1, m2, m3, _, m5 = cm
            # The text matrix times the page's matrix: its scale is the printed size.
            scale = abs(
                (a * m0 + b * m2) * (c * m1 + d * m3) - (a * m1 + b * m3) * (c * m0 + d * m2)
            )
            pieces.append((round(size * scale**0.5, 2), e * m1 + f * m3 + m5, text))

        sheet.extract_text(visitor_text=visit)
        out.append(pieces)
    return out


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_type_prints_on_at_most_two_a4_sheets_with_contacts_and_every_step(printed, type_id):
    pdf = printed(f"/types/{type_id}/")
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    pages = sheets(pdf)
    assert 1 <= len(pages) <= 2
    incident = HANDBOOK.types[type_id]
    assert norm(incident.heading) in pages[0]
    for number, text in enumerate(pages, start=1):
        for phone in PHONES:
            assert phone in text, f"sheet {number} lacks {phone}"
        assert f"/types/{type_id}/" in text, f"sheet {number} lacks the page's address"
        for word in SCREEN_ONLY:
            assert norm(word) not in text, f"sheet {number} shows {word!r}"
    everything = "".join(pages)
    assert everything.count("□") == len(steps_of(type_id))
    for _, step in steps_of(type_id):
        # Each step whole on one sheet (never split), after its square.
        assert any("□" + norm(step.text) in p for p in pages), step.text


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_type_sheets_carry_the_tables_with_each_note_and_the_cases(printed, type_id):
    """Paper drops no guidance: every 応急処置例 / 二次被害防止策例 row with its own 留意点
    (the note right after its row's text), and every 事故事例, within the two sheets."""
    pages = sheets(printed(f"/types/{type_id}/"))
    everything = "".join(pages)
    incident = HANDBOOK.types[type_id]
    for content in incident.phases:
        for measures in (content.first_aid, content.secondary):
            for row in measures.items if measures else []:
                assert norm(row.text) in everything, row.text
                # The notes sit in the row's own cell: they follow the row's text.
                cell = norm(row.text) + "".join(norm(note) for note in row.notes)
                assert cell in everything, (row.text, row.notes)
    for case in incident.cases:
        assert norm(case) in everything, case
    assert len(pages) <= 2


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_each_phase_heading_stays_with_its_first_step(printed, type_id):
    pages = sheets(printed(f"/types/{type_id}/"))
    for content in HANDBOOK.types[type_id].phases:
        phase = HANDBOOK.phase(content.phase)
        heading = norm(phase.number + phase.title)
        first = norm(content.steps[0].text)
        assert any(heading in p and first in p for p in pages), phase.title


def test_questions_have_blank_lines_and_phases_a_line_to_sign(view, server):
    view.goto(f"{server}/types/malware/")
    view.emulate_media(media="print")
    question = view.locator(".hb-questions--facts .hb-question").first
    line = question.evaluate("q => getComputedStyle(q, '::after').borderBottomStyle")
    assert line == "solid"
    signoffs = view.locator(".hb-signoff")
    assert signoffs.count() == len(HANDBOOK.types["malware"].phases)
    assert signoffs.first.is_visible()
    view.emulate_media(media="screen")
    assert not signoffs.first.is_visible()


def test_steps_ticked_on_screen_print_ticked(page, server):
    page.goto(f"{server}/types/loss-theft/")
    page.locator("input[data-step-id='confirm-loss']").check()
    pages = sheets(print_pdf(page, f"{server}/types/loss-theft/"))
    everything = "".join(pages)
    assert everything.count("☑") == 1
    assert "☑" + norm("紛失・盗難が間違いないか、もう一度確認") in everything
    assert everything.count("□") == len(steps_of("loss-theft")) - 1


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_type_sheet_leads_with_the_contact_and_the_urgent_box_in_the_screens_order(
    printed, view, server, type_id
):
    """A quick reference card: nothing comes between the title, the contact box and the
    まずやること box, whose items come in the order the screen shows them, before (1)."""
    view.goto(f"{server}/types/{type_id}/")
    on_screen = view.locator(".hb-urgent li").all_inner_texts()
    assert on_screen == urgent_of(type_id)
    page1 = sheets(printed(f"/types/{type_id}/"))[0]
    start = page1.find(norm(HANDBOOK.types[type_id].heading))
    assert start >= 0
    assert page1[start:].startswith(card_start(type_id)), page1[start : start + 400]


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_type_sheets_print_nothing_below_9pt_but_the_footer(printed, type_id):
    pdf = printed(f"/types/{type_id}/")
    sizes = text_sizes(pdf)
    assert len(sizes) <= 2
    for number, pieces in enumerate(sizes, start=1):
        body = [p for p in pieces if p[1] > FOOTER_TOP_PT]
        assert len(body) > 50, f"sheet {number}: hardly any text read ({len(body)})"
        small = [(size, text) for size, _, text in body if size < BODY_MIN_PT - 0.01]
        assert small == [], f"sheet {number}: text below {BODY_MIN_PT}pt: {small[:5]}"
        # The footer is there (its own, smaller size): the measure reads the real sizes.
        assert any(p[1] <= FOOTER_TOP_PT and p[0] < BODY_MIN_PT for p in pieces), number


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_type_sheets_mark_the_sites_words_and_explain_the_mark(printed, type_id):
    everything = "".join(sheets(printed(f"/types/{type_id}/")))
    assert norm("まずやること") + OWN_MARK in everything
    assert everything.count(norm(OWN_NOTE)) == 1
    # Every 発覚のきっかけ on its own line of the list, never joined to the next by 「／」.
    triggers = HANDBOOK.types[type_id].triggers
    assert norm("発覚のきっかけ" + "".join(triggers)) in everything


def test_print_set_has_a_card_then_each_type_on_a_new_sheet(printed):
    pages = sheets(printed("/print/"))
    card = pages[0]
    assert norm("最初にやること") in card
    for phone in PHONES:
        assert phone in card
    assert norm("情報セキュリティ委員会") in card and norm("総務省") in card
    starts = []
    for type_id, incident in HANDBOOK.types.items():
        title = norm(incident.heading)
        found = [i for i, p in enumerate(pages) if title in p]
        assert len(found) == 1, (type_id, found)
        starts.append(found[0])
        # The sheet before it holds nothing of this type: it starts a new sheet.
        first_step = norm(steps_of(type_id)[0][1].text)
        assert first_step not in pages[found[0] - 1]
    assert starts == sorted(starts) and starts[0] == 1
    assert len(pages) <= 1 + 2 * len(HANDBOOK.types)
    # Each type's sheets: led by the contact and まずやること as on its page, at most two
    # sheets, with the ＊ explained on them (they may be taken out of the set alone).
    ends = [*starts[1:], len(pages)]
    assert norm(OWN_NOTE) in card and norm("最初にやること" + OWN_MARK) in card
    for type_id, start, end in zip(HANDBOOK.types, starts, ends, strict=True):
        assert end - start <= 2, (type_id, start, end)
        sheet = pages[start]
        assert sheet[sheet.find(norm(HANDBOOK.types[type_id].heading)) :].startswith(
            card_start(type_id)
        ), type_id
        own = "".join(pages[start:end])
        assert own.count(norm(OWN_NOTE)) == 1, type_id
        for case in HANDBOOK.types[type_id].cases:
            assert norm(case) in own, (type_id, case)


@pytest.mark.parametrize("url", ["/types/unauthorized-access/", "/print/"])
def test_nothing_is_cut_at_the_right_edge_of_the_sheet(view, server, url):
    # A4 minus the margins is about 700 CSS px wide.
    view.set_viewport_size({"width": 700, "height": 1000})
    view.emulate_media(media="print")
    view.goto(server + url)
    too_wide = view.evaluate(
        """() => [...document.querySelectorAll('.md-content *')]
          .filter(el => el.offsetParent !== null && el.getBoundingClientRect().right > 701)
          .map(el => el.tagName + '.' + el.className).slice(0, 5)"""
    )
    assert too_wide == []


# --- the same on screen and on paper ----------------------------------------------------

MEDIA = ["screen", "print"]

ROWS = """t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => {
  const box = c.getBoundingClientRect();
  return {tag: c.tagName, cls: c.className, text: c.innerText.trim(),
    notes: [...c.querySelectorAll('li')].map(li => li.innerText.trim()),
    rule: getComputedStyle(c).borderTopStyle, left: box.left, right: box.right, top: box.top};
}))"""


@pytest.mark.parametrize("media", MEDIA)
def test_tables_read_as_tables_ruled_rows_a_number_column_and_each_note_in_its_row(
    view, server, media
):
    view.emulate_media(media=media)
    for type_id, incident in HANDBOOK.types.items():
        view.goto(f"{server}/types/{type_id}/")
        expected = [
            (title, measures)
            for content in incident.phases
            for title, measures in (
                ("応急処置例", content.first_aid),
                ("二次被害防止策例", content.secondary),
            )
            if measures
        ]
        tables = view.locator("table.hb-measures")
        assert tables.count() == len(expected), type_id
        for i, (title, measures) in enumerate(expected):
            table = tables.nth(i)
            head = table.locator("thead th").all_inner_texts()
            assert head == ([title, "留意点"] if measures.has_notes else [title]), (type_id, head)
            rows = table.evaluate(ROWS)
            assert len(rows) == len(measures.items), (type_id, title)
            for number, (row, item) in enumerate(zip(rows, measures.items, strict=True), start=1):
                where = (type_id, title, number)
                assert len(row) == (3 if measures.has_notes else 2), where
                no, text = row[0], row[1]
                # The number alone in its own cell, left of the text's cell, not run into it.
                assert "hb-measures__no" in no["cls"] and no["text"] == str(number), where
                assert text["text"] == item.text, where
                assert no["right"] <= text["left"] + 0.5, where
                # A narrow column of its own (a number, not a column the text could use).
                assert no["right"] - no["left"] < 48, (where, no["right"] - no["left"])
                # Each 留意点 in its own row, beside the row's text.
                if measures.has_notes:
                    assert row[2]["notes"] == list(item.notes), where
                    assert text["right"] <= row[2]["left"] + 0.5, where
                    assert row[2]["top"] == text["top"], where
                # Rows ruled: every cell has its border.
                assert all(cell["rule"] == "solid" for cell in row), (where, row)


LIST_ITEMS = """ul => [...ul.children].map(li => ({text: li.innerText.trim(),
  display: getComputedStyle(li).display, before: getComputedStyle(li, '::before').content,
  top: li.getBoundingClientRect().top}))"""


@pytest.mark.parametrize("media", MEDIA)
def test_cases_and_triggers_are_lists_one_item_a_line(view, server, media):
    view.emulate_media(media=media)
    for type_id, incident in HANDBOOK.types.items():
        view.goto(f"{server}/types/{type_id}/")
        for selector, expected in (
            ("ul.hb-cases__triggers", incident.triggers),
            ("ol.hb-cases__list", incident.cases),
        ):
            items = view.locator(selector).evaluate(LIST_ITEMS)
            assert [i["text"] for i in items] == list(expected), (type_id, selector)
            for item in items:
                assert item["display"] == "list-item", (type_id, selector, item)
                assert item["before"] in ("none", "normal"), (type_id, selector, item)
            tops = [i["top"] for i in items]
            assert tops == sorted(tops) and len(set(tops)) == len(tops), (type_id, selector)


ARTICLE = re.compile(r"<article\b.*?</article>", re.S)


def test_every_page_with_the_sites_words_marked_explains_the_mark(site_dir):
    from scripts.sitetools import site_pages

    marked = []
    for url in site_pages(site_dir):
        html = (site_dir / url.strip("/") / "index.html").read_text(encoding="utf-8")
        article = ARTICLE.search(html)
        body = article.group(0) if article else ""
        own = len(re.findall(r'class="[^"]*\bhb-own\b', body))
        notes = body.count(OWN_NOTE)
        if own:
            marked.append(url)
            # Once per page; the print set once per sheet that it prints (card and types).
            wanted = 1 + len(HANDBOOK.types) if url == "/print/" else 1
            assert notes == wanted, (url, notes)
        else:
            assert notes == 0, url
    for url in ["/", "/basics/", "/contacts/", "/print/", *(f"/types/{t}/" for t in TYPE_IDS)]:
        assert url in marked, url


@pytest.mark.parametrize("media", MEDIA)
@pytest.mark.parametrize("url", ["/", "/types/malware/", "/basics/", "/print/"])
def test_the_mark_shows_and_its_explanation_with_it(view, server, url, media):
    view.emulate_media(media=media)
    view.goto(server + url)
    marks = view.evaluate(
        """() => [...document.querySelectorAll('article .hb-own')]
          .filter(el => el.offsetParent !== null || el.getClientRects().length)
          .map(el => [el.textContent.trim(), getComputedStyle(el, '::after').content])"""
    )
    for text, content in marks:
        assert content.startswith('"＊"'), (text, content)
    note = view.locator("article .hb-own-note").first
    if url == "/basics/" and media == "print":
        # Its only marks are the figures' captions, which do not print: nor does the note.
        assert marks == []
        expect(note).to_be_hidden()
    else:
        assert marks, url
        expect(note).to_be_visible()


@pytest.mark.parametrize(("url", "count"), [("/basics/", 2), ("/contacts/", 1)])
def test_the_flowcharts_drawn_from_the_manuals_figure_say_so(view, server, url, count):
    view.goto(server + url)
    captions = view.locator("figure.hb-diagram figcaption")
    sources = view.locator("figure.hb-diagram figcaption .hb-figure-source.hb-own")
    assert captions.count() == count and sources.count() == count
    for i in range(count):
        assert sources.nth(i).inner_text() == "（原本の図をもとに作成）"
    # The site's own diagram (a type's 対応の流れ) is not drawn from the manual's figure.
    view.goto(server + "/types/malware/")
    assert view.locator("figure.hb-diagram .hb-figure-source").count() == 0
