"""The first minute, on a phone (375 × 667) and a PC (1280 × 800): the right checklist in
one tap, the contacts always in view, nothing too wide or too small to tap."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from test_site import HANDBOOK, PAGES, TYPE_IDS

SIZES = {"phone": {"width": 375, "height": 667}, "pc": {"width": 1280, "height": 800}}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-results" / "screenshots"
CONTACT = HANDBOOK.primary_contact
OUTSIDE_NUMBERS = [p.number for p in CONTACT.phones if p.number]


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def sized(request, page):
    page.set_viewport_size(SIZES[request.param])
    page.size_name = request.param
    return page


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_each_type_is_one_tap_from_home(sized, server, type_id):
    incident = HANDBOOK.types[type_id]
    sized.goto(server + "/")
    choice = sized.get_by_role("link", name=incident.plain_title)
    choice.click()
    expect(sized).to_have_url(f"{server}/types/{type_id}/")
    expect(sized.get_by_role("heading", level=1)).to_have_text(incident.heading)


@pytest.mark.parametrize("url", PAGES)
def test_contacts_are_in_the_first_viewport_of_every_page(sized, server, url):
    sized.goto(server + url)
    height = sized.viewport_size["height"]
    banner = sized.locator(".hb-banner")
    expect(banner).to_contain_text(CONTACT.name)
    for phone in CONTACT.phones:
        shown = phone.number or phone.extension
        element = banner.get_by_text(shown)
        box = element.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, (url, shown, box)


def test_outside_numbers_are_tel_links(sized, server):
    sized.goto(server + "/types/malware/")
    for number in OUTSIDE_NUMBERS:
        for link in sized.get_by_role("link", name=number).all():
            assert link.get_attribute("href") == "tel:" + number.replace("-", "")
        assert sized.get_by_role("link", name=number).count() >= 2  # banner and box


@pytest.mark.parametrize("url", PAGES)
def test_no_page_is_wider_than_the_viewport(sized, server, url):
    sized.goto(server + url)
    sized.wait_for_load_state("networkidle")
    overflow = sized.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{url} is {overflow}px wider than the viewport"


def test_home_choices_and_checkboxes_are_at_least_44px(sized, server):
    sized.goto(server + "/")
    choices = sized.locator("a.hb-choice")
    expect(choices).to_have_count(len(TYPE_IDS))
    for box in [c.bounding_box() for c in choices.all()]:
        assert box["height"] >= 44 and box["width"] >= 44, box
    sized.goto(server + "/types/loss-theft/")
    for label in sized.locator("label.hb-step__label").all():
        box = label.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    # A tap anywhere on the row's label ticks the step.
    sized.locator("label.hb-step__label").first.click(position={"x": 200, "y": 5})
    expect(sized.locator("input.hb-step__box").first).to_be_checked()


def test_each_type_page_starts_with_its_urgent_actions(sized, server):
    for type_id in TYPE_IDS:
        incident = HANDBOOK.types[type_id]
        steps = {s.id: s.text for p in incident.phases for s in p.steps}
        sized.goto(f"{server}/types/{type_id}/")
        items = sized.locator(".hb-urgent li")
        expect(items).to_have_text([steps[ref] for ref in incident.urgent])
        # Before the full list of phases.
        urgent_y = sized.locator(".hb-urgent").bounding_box()["y"]
        assert urgent_y < sized.locator("h2#discovery").bounding_box()["y"]
    sized.get_by_role("link", name=steps[incident.urgent[0]]).click()
    expect(sized.locator(f"input[data-step-id='{incident.urgent[0]}']")).to_be_in_viewport()


def test_search_opens_with_its_shortcut_and_choices_take_focus_by_tab(page, server):
    page.set_viewport_size(SIZES["pc"])
    page.goto(server + "/")
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.press("Escape")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        type_id = page.evaluate("document.activeElement.dataset.typeId || ''")
        if type_id:
            reached.append(type_id)
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", "the focused choice shows no focus outline"
        if len(reached) == len(TYPE_IDS):
            break
    assert reached == TYPE_IDS


@pytest.mark.diagrams
def test_diagram_scrolls_inside_its_box_on_a_phone(page, server):
    page.set_viewport_size(SIZES["phone"])
    page.goto(server + "/types/malware/")
    figure = page.locator("figure.hb-diagram")
    expect(figure.locator("svg")).to_be_visible()
    sizes = figure.evaluate("f => [f.scrollWidth, f.clientWidth]")
    assert sizes[0] > sizes[1]  # wider than the screen, so it scrolls in its box


@pytest.mark.diagrams
@pytest.mark.parametrize("url", ["/", "/types/malware/"])
def test_writes_screenshots_for_review(sized, server, url):
    sized.goto(server + url)
    expect(sized.locator("h1")).to_be_visible()
    sized.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = (url.strip("/").replace("/", "-") or "home") + f"-{sized.size_name}.png"
    sized.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    assert (SCREENSHOTS / name).stat().st_size > 10_000
