"""The first minute, on a phone (375 × 667) and a PC (1280 × 800): the right checklist in
one tap, the contacts always in view, nothing too wide or too small to tap."""

import pytest
from playwright.sync_api import expect

from support.pages import HANDBOOK, PAGES, SETTLED, SIZES, TYPE_IDS, save_for_review

CONTACT = HANDBOOK.primary_contact
REVIEWED = ["/"]  # screenshots for review (type pages: in the diagram test, diagrams drawn)
# Everything on the page that is tapped: the choices on the home page, the steps' rows.
TAP_TARGETS = """() => [...document.querySelectorAll('a.hb-choice, label.hb-step__label')]
  .filter(el => el.getClientRects().length)
  .map(el => { const r = el.getBoundingClientRect();
    return [el.textContent.trim().slice(0, 30), Math.round(r.width), Math.round(r.height)]; })"""


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("size", list(SIZES))
def test_page_loads_cleanly_fits_the_screen_and_shows_the_contacts_first(view, server, size, url):
    view.set_viewport_size(SIZES[size])
    response = view.goto(server + url)
    assert response.status == 200
    # The contacts: every number inside the first screen, before any scrolling.
    height = SIZES[size]["height"]
    banner = view.locator(".hb-banner")
    expect(banner).to_contain_text(CONTACT.name)
    for phone in CONTACT.phones:
        shown = phone.number or phone.extension
        box = banner.get_by_text(shown).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, (url, shown, box)
    # On a type page, what to do at once stands before the full list of phases.
    if url.startswith("/types/"):
        urgent = view.locator(".hb-urgent").bounding_box()
        assert urgent["y"] < view.locator("h2#discovery").bounding_box()["y"], url
        # In a hurry on a phone: まずやること and the first checkbox of phase (1) within
        # the first two screens (cases and the flow diagram come after the steps).
        first_box = view.locator("h2#discovery ~ ul.hb-checklist .hb-step").first.bounding_box()
        assert urgent["y"] + urgent["height"] <= 2 * height, (url, urgent)
        assert first_box["y"] + first_box["height"] <= 2 * height, (url, first_box)
    if url == "/":
        expect(view.locator("a.hb-choice")).to_have_count(len(TYPE_IDS))
    # (What a page loads late comes from 127.0.0.1 only: checked on every page, settled,
    # by the accessibility passes, tests/test_quality.py.)
    view.evaluate("document.fonts.ready.then(() => true)")
    view.wait_for_function(SETTLED)
    # Nothing wider than the screen; everything tapped at least 44 × 44 px.
    overflow = view.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{url} is {overflow}px wider than the viewport"
    small = [t for t in view.evaluate(TAP_TARGETS) if t[1] < 44 or t[2] < 44]
    assert small == [], f"{url}: too small to tap: {small}"
    assert view.errors == [], view.errors
    assert view.outside_requests == [], view.outside_requests
    if url in REVIEWED:
        save_for_review(view, url, size)


@pytest.mark.parametrize("size", list(SIZES))
def test_each_type_is_one_tap_from_home(view, server, size):
    view.set_viewport_size(SIZES[size])
    view.goto(server + "/")
    for type_id in TYPE_IDS:
        incident = HANDBOOK.types[type_id]
        heading = incident.heading
        # The choice says what happened in plain words, and names the type's checklist.
        choice = view.get_by_role("article").get_by_role("link", name=incident.plain_title)
        expect(choice).to_contain_text(heading)
        choice.click()
        expect(view).to_have_url(f"{server}/types/{type_id}/")
        expect(view.get_by_role("heading", level=1)).to_have_text(heading)
        view.go_back()  # home again, as a user would (instant navigation keeps the page)
        expect(view).to_have_url(f"{server}/")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_tap_anywhere_on_a_steps_row_ticks_it(page, server, size):
    page.set_viewport_size(SIZES[size])
    page.goto(server + "/types/loss-theft/")
    page.locator("label.hb-step__label").first.click(position={"x": 200, "y": 5})
    expect(page.locator("input.hb-step__box").first).to_be_checked()


def test_search_opens_with_its_shortcut_and_choices_take_focus_by_tab(view, server):
    view.set_viewport_size(SIZES["pc"])
    view.goto(server + "/")
    view.keyboard.press("/")
    expect(view.locator("input.md-search__input")).to_be_focused()
    view.keyboard.press("Escape")
    reached = []
    for _ in range(60):
        view.keyboard.press("Tab")
        type_id = view.evaluate("document.activeElement.dataset.typeId || ''")
        if type_id:
            reached.append(type_id)
            outline = view.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", "the focused choice shows no focus outline"
        if len(reached) == len(TYPE_IDS):
            break
    assert reached == TYPE_IDS
