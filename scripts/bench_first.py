"""The first tap and the first search of a visit, measured in a real Chromium (used by
`bench` and by components/theme/test_first_tap.py).

first tap: a fresh load of a type page on a phone viewport, then, at a random time after the
load event, a tap on one of まずやること's links (to a step or a ※ note on the same page).
It must jump to its target and stay there (no scroll back to the top when Material saves
its offset ~100 ms after a scroll) without the page being fetched again.
cold search: a fresh load; half a second after the load event the reader focuses the
search field and types a query at once: the time from the focus to the first result.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from urllib.parse import urlparse

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
TYPE_PAGE = "/types/malware/"
# Material's instant navigation makes every href absolute (same page: …/#step-…).
LINKS = ".hb-urgent__list a[href*='#']"
# The target's top in the upper half of the window (below the header, scroll-margin).
IN_VIEW = """id => {
  const el = document.getElementById(id);
  if (!el) return false;
  const top = el.getBoundingClientRect().top;
  return top >= -2 && top < innerHeight / 2;
}"""
STAY = 300  # ms watched after the jump: Material's offset is saved 100 ms after a scroll


@dataclass
class Tap:
    delay: int  # ms after the load event
    href: str
    scrolled_back: bool
    refetches: int


def tap_once(page, base: str, rng: random.Random, max_delay: int = 400) -> Tap:
    """One fresh load and one tap (see the module's docstring). page: a phone page."""
    path = urlparse(base + TYPE_PAGE).path
    requested: list[str] = []

    def on_request(request):
        if urlparse(request.url).path == path:
            requested.append(request.url)

    page.on("request", on_request)
    try:
        page.goto(base + TYPE_PAGE)  # returns at the load event
        delay = rng.randrange(0, max_delay + 1)
        if delay:
            page.wait_for_timeout(delay)
        links = page.locator(LINKS)
        link = links.nth(rng.randrange(links.count()))
        href = "#" + link.get_attribute("href").split("#", 1)[1]
        target = href[1:]
        link.tap()
        page.wait_for_function(IN_VIEW, arg=target, timeout=10_000)
        page.wait_for_timeout(STAY)
        stayed = page.evaluate(IN_VIEW, target) and page.evaluate("location.hash") == href
        return Tap(delay, href, not stayed, len(requested) - 1)
    finally:
        page.remove_listener("request", on_request)


def first_taps(browser, base: str, taps: int, seed: int, rate: float = 1) -> list[Tap]:
    rng = random.Random(seed)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    if rate != 1:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    try:
        return [tap_once(page, base, rng) for _ in range(taps)]
    finally:
        context.close()


def cold_search(browser, base: str, query: str, rate: float = 1, url: str = "/") -> float:
    """ms from focusing the search field (0.5 s after the load event of a fresh page) with
    the query typed at once, to the first result on screen."""
    context = browser.new_context()
    page = context.new_page()
    if rate != 1:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    try:
        page.goto(base + url)
        page.wait_for_timeout(500)
        # In the page: focus, set the query and send the keyup Material searches on, then
        # watch for the first result; no round trip to the test in the time measured.
        return page.evaluate(
            """query => new Promise(resolve => {
              const input = document.querySelector("input.md-search__input");
              const start = performance.now();
              input.focus();
              input.value = query;
              input.dispatchEvent(new KeyboardEvent("keyup", {key: "End", bubbles: true}));
              const look = () => document.querySelector(".md-search-result__item")
                ? resolve(performance.now() - start) : requestAnimationFrame(look);
              look();
            })""",
            query,
        )
    finally:
        context.close()


def now_seed() -> int:
    return int(time.time()) % 100_000
