"""Japanese search in a real Chromium: each query of the file puts its page first."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from scripts.bench_search import DEFAULT_QUERIES, open_search, read_queries, run_query

SHARED = Path(__file__).resolve().parents[2] / "shared" / "search-queries.tsv"


def all_queries():
    """The project's file, plus the shared file's queries where it exists (CI has it)."""
    queries = dict((q, e) for q, e in read_queries(DEFAULT_QUERIES))
    if SHARED.exists():
        queries.update((q, e) for q, e in read_queries(SHARED) if q not in queries)
    return list(queries.items())


def test_the_project_keeps_every_shared_query():
    if SHARED.exists():  # a fresh clone has no ../shared: the project's copy is the file
        ours = {q for q, _ in read_queries(DEFAULT_QUERIES)}
        assert {q for q, _ in read_queries(SHARED)} <= ours
    assert len(read_queries(DEFAULT_QUERIES)) >= 21


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


@pytest.mark.parametrize(("query", "expected"), all_queries(), ids=[q for q, _ in all_queries()])
def test_query_puts_the_right_page_first(search_page, server, query, expected):
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
