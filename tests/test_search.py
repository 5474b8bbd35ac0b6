"""Japanese search in a real Chromium: each query of the file puts its page first, and
so does a sample of the messy queries (half-width, kana readings, variants, typos)."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from scripts.bench_search import DEFAULT_QUERIES, open_search, read_queries, run_query

MESSY = Path(__file__).resolve().parent / "fixtures" / "search-queries-messy.tsv"
MESSY_SAMPLE = read_queries(MESSY)[::3]  # every third: each kind of mess is in the sample
QUERIES = read_queries(DEFAULT_QUERIES)


def test_the_query_files_are_not_empty():
    # Each parametrized test below would pass on an empty file.
    assert len(QUERIES) >= 21 and len(MESSY_SAMPLE) >= 5


@pytest.fixture(scope="module")
def search_page(browser, server):
    context = browser.new_context()
    outside = []
    context.on("request", lambda r: None if r.url.startswith(server) else outside.append(r.url))
    page = context.new_page()
    open_search(page, server)
    page.outside = outside
    yield page
    context.close()


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_puts_the_right_page_first(search_page, server, query, expected):
    outcome = run_query(search_page, server, query, expected)
    assert outcome.pages, f"{query!r}: no results"
    assert outcome.pages[0] in expected, f"{query!r}: first results {outcome.pages}"


@pytest.mark.parametrize(("query", "expected"), MESSY_SAMPLE, ids=[q for q, _ in MESSY_SAMPLE])
def test_messy_query_puts_the_right_page_first(search_page, server, query, expected):
    outcome = run_query(search_page, server, query, expected)
    assert outcome.pages, f"{query!r}: no results"
    assert outcome.pages[0] in expected, f"{query!r}: first results {outcome.pages}"


def test_search_sends_no_request_outside_the_server(search_page, server):
    run_query(search_page, server, "USB紛失 対応", ["loss-theft"])
    assert search_page.outside == []


def test_result_shows_the_page_title_and_the_phase_that_matched(search_page, server):
    run_query(search_page, server, "ウイルス対策ソフト 検知", ["malware"])
    first = search_page.locator(".md-search-result__list > li").first
    expect(first.locator("h1")).to_have_text("3-5 不正プログラム")
    section = first.locator(":scope > a h2").first
    expect(section).to_have_text("（１）発見および報告")
    expect(section).to_be_visible()
    expect(first.locator(":scope > a mark").first).to_be_visible()


def test_keywords_find_the_page_but_are_not_shown(search_page, server, view):
    # ランサムウェア is a keyword of malware only; the manual never uses the word.
    outcome = run_query(search_page, server, "ランサムウェア", ["malware"])
    assert outcome.pages[0] == "malware"
    results = search_page.locator(".md-search-result__list").inner_text()
    assert "ランサムウェア" not in results
    view.goto(server + "/types/malware/")
    assert "ランサムウェア" not in view.content()


def test_half_width_query_is_highlighted_like_the_clean_one(search_page, server):
    run_query(search_page, server, "ｳｲﾙｽ対策ｿﾌﾄ 検知", ["malware"])
    first = search_page.locator(".md-search-result__list > li").first
    expect(first.locator("h1")).to_have_text("3-5 不正プログラム")
    expect(first.locator(":scope > a h2").first).to_have_text("（１）発見および報告")
    expect(first.locator(":scope > a mark").first).to_have_text("ウイルス")


def test_readings_find_the_page_but_are_not_shown(search_page, server):
    outcome = run_query(search_page, server, "ふんしつ", ["loss-theft"])
    assert outcome.pages[0] == "loss-theft"
    results = search_page.locator(".md-search-result__list").inner_text()
    assert "ふんしつ" not in results and "フンシツ" not in results


# Records the fields of the documents in the worker's answers (type 3: a result).
RESULT_FIELDS = """(() => {
  const Base = window.Worker;
  window.__hbFields = new Set();
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", e => {
        if (e.data && e.data.type === 3)
          for (const group of e.data.data.items)
            for (const doc of group) Object.keys(doc).forEach(k => window.__hbFields.add(k));
      });
    }
  };
})();"""


def test_index_has_the_normalised_fields_and_results_do_not(page, server, site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert {"ntitle", "ntext", "keywords", "nsub"} <= set(index["config"]["fields"])
    doc = next(d for d in index["docs"] if d["location"] == "types/loss-theft/")
    assert {"フンシツ", "ナクシタ"} <= set(doc["keywords"].split())
    # The worker drops the hidden fields once indexed: results carry only what is shown.
    page.add_init_script(RESULT_FIELDS)
    open_search(page, server)
    run_query(page, server, "ふんしつ", ["loss-theft"])
    fields = set(page.evaluate("[...window.__hbFields]"))
    assert {"location", "title", "text"} <= fields
    assert fields.isdisjoint(index["config"]["fields"].keys() - {"title", "text", "tags"})


def index_requests(page) -> list[str]:
    return [u for u in page.requested if u.endswith("/search/search_index.json")]


INDEX_TIMES = """() => {
  const index = performance.getEntriesByType("resource")
    .filter(e => e.name.split("?")[0].endsWith("/search/search_index.json"));
  const nav = performance.getEntriesByType("navigation")[0];
  return {load: nav.loadEventStart, index: index.map(e => e.startTime)};
}"""


@pytest.mark.parametrize("how", ["tap the search button on a phone", "press / on a PC"])
def test_the_index_comes_after_the_page_and_before_the_first_query(
    browser, browser_context_args, server, how
):
    """Off the critical path (requested after the load event), yet in before a reader who
    turns to search half a second after the load types: components/theme/
    search-index-on-demand.js. The time to the first result is in `bench`."""
    phone = how.endswith("phone")
    size = {"width": 390, "height": 800} if phone else {"width": 1280, "height": 800}
    context = browser.new_context(**browser_context_args, viewport=size, has_touch=phone)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda r: page.requested.append(r.url))
    page.goto(server + "/types/malware/")  # returns at the load event
    page.wait_for_timeout(500)
    times = page.evaluate(INDEX_TIMES)
    assert len(times["index"]) == 1, (times, index_requests(page))
    assert times["index"][0] >= times["load"] > 0, times
    if phone:
        page.locator("label.md-header__button[for=__search]").tap()
    else:
        page.keyboard.press("/")
    search = page.locator("input.md-search__input")
    expect(search).to_be_focused()
    search.press_sequentially("ふんしつ")
    search.press("End")  # Material searches on keyup; typed kana send none here
    first = page.locator(".md-search-result__item a").first
    expect(first).to_have_attribute("href", re.compile(r"/types/loss-theft/\?h="))
    assert len(index_requests(page)) == 1
    context.close()
