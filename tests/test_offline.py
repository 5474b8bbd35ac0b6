"""The offline edition, unzipped and opened from the file system (file://) in Chromium.
(Its links: tests/test_site.py; its accessibility: tests/test_quality.py.)"""

import pytest
from playwright.sync_api import expect

from scripts.bench_search import open_search, run_query

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@pytest.fixture
def offline(offline_site):
    return offline_site


@pytest.fixture
def local_page(context):
    """A page that records every request; file:// requests cannot be routed, so the
    test asserts afterwards that none left the machine."""
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    outside = [u for u in page.requests if not u.startswith(LOCAL_SCHEMES)]
    assert outside == [], outside


def test_search_finds_the_checklist_from_a_file(local_page, offline):
    base = offline.as_uri()
    open_search(local_page, base)
    assert local_page.url.startswith("file://")
    outcome = run_query(local_page, base, "USB紛失 対応", ["loss-theft"])
    assert outcome.pages[0] == "loss-theft", outcome.pages


def test_diagram_renders_from_a_file(local_page, offline):
    local_page.goto((offline / "types" / "malware.html").as_uri())
    expect(local_page.locator("figure.hb-diagram svg")).to_have_count(1)
    assert local_page.errors == []


def test_tick_survives_reload_and_navigation_from_a_file(local_page, offline):
    local_page.goto((offline / "index.html").as_uri())
    local_page.get_by_role("link", name="ウイルスに感染した").click()
    expect(local_page).to_have_url((offline / "types" / "malware.html").as_uri())
    box = local_page.locator("input[data-step-id='publish']")
    box.check()
    local_page.reload()
    expect(box).to_be_checked()
    expect(local_page.locator("[data-hb-progress-text]")).to_contain_text("1 / ")
    assert local_page.errors == []


def test_instant_navigation_is_off_in_the_offline_edition(local_page, offline):
    local_page.goto((offline / "index.html").as_uri())
    features = local_page.evaluate("JSON.parse(document.getElementById('__config').text).features")
    assert "navigation.instant" not in features


def test_record_answers_survive_reload_from_a_file(local_page, offline):
    local_page.goto((offline / "types" / "loss-theft.html").as_uri())
    answer = local_page.locator("[data-hb-record-form] [name='fact-where']")
    answer.fill("駅のホーム")
    local_page.reload()
    expect(answer).to_have_value("駅のホーム")
    assert "駅のホーム" in local_page.locator("[data-hb-first-report]").inner_text()
