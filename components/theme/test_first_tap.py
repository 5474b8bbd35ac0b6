"""A tap on a same-page link jumps and stays, at any time after the load, with instant
navigation on, and never fetches the page again (components/theme/
same-page-links.js). Random times from a printed seed; `bench` taps 100 times."""

import os

from playwright.sync_api import expect

from scripts.bench_first import IN_VIEW, TYPE_PAGE, first_taps, now_seed

TAPS = 12  # a fresh load each (~0.9 s); bench taps 100


def test_taps_on_same_page_links_jump_stay_and_never_refetch(browser, server):
    seed = int(os.environ.get("HB_SEED") or now_seed())
    print(f"seed {seed} (HB_SEED={seed} repeats it)")
    taps = first_taps(browser, server, TAPS, seed)
    failed = [t for t in taps if t.scrolled_back or t.refetches]
    assert len(taps) == TAPS and not failed, f"seed {seed}: {failed}"
    assert len({t.href for t in taps}) > 1, "the taps tried one link only"


def test_table_of_contents_link_and_back_never_refetch(browser, server):
    """A wide window: the table of contents beside the page; a link in it, then back."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    pages = []
    page.on("request", lambda r: pages.append(r.url) if r.url.endswith(TYPE_PAGE) else None)
    page.goto(server + TYPE_PAGE)
    link = page.locator(".md-sidebar--secondary a.md-nav__link[href$='#notification']")
    link.click()
    expect(page).to_have_url(server + TYPE_PAGE + "#notification")
    page.wait_for_function(f"id => ({IN_VIEW})(id)", arg="notification")
    assert page.evaluate("scrollY") > 0
    page.go_back()
    expect(page).to_have_url(server + TYPE_PAGE)
    page.wait_for_function("() => scrollY === 0")
    assert len(pages) == 1, pages
    context.close()
