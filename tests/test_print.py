"""Paper for the desk drawer: each type on at most two A4 sheets with the contacts on
every sheet, and the print set (a card, then each type on a new sheet)."""

import functools
import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from scripts.make_pdf import print_pdf
from test_site import HANDBOOK, TYPE_IDS

CONTACT = HANDBOOK.primary_contact
PHONES = [p.number or p.extension for p in CONTACT.phones]
SCREEN_ONLY = [
    "検索",
    "このページのチェックをすべて外す",
    "まずやること",
    "報告ルートと連絡先",
    "完了",
]


# Text extraction returns some kanji as CJK radicals that NFKC leaves alone.
RADICALS = str.maketrans("⺠⻑⻄⻝⻘⻤⻩⻭⺟⺯⻆⻌", "民長西食青鬼黄歯母耂角辶")


def norm(text: str) -> str:
    """PDF text as comparable text: NFKC (PDF fonts use radical code points) without spaces."""
    text = unicodedata.normalize("NFKC", text).translate(RADICALS)
    return re.sub(r"\s+", "", text).replace("‧", "・")


@functools.cache
def sheets(pdf: bytes) -> list[str]:
    return [norm(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def steps_of(type_id):
    return [(c.phase, s) for c in HANDBOOK.types[type_id].phases for s in c.steps]


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
