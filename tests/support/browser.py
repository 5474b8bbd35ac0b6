"""What the browser tests share: requests that may not leave 127.0.0.1, the Mermaid
stand-in, and the held search index (tests/support/fixtures.py applies them to every page)."""

from urllib.parse import urlparse

MERMAID = "**/assets/vendor/mermaid/mermaid.min.js"
# What diagrams.js sees while the real script still loads: a Mermaid that never draws
# (the figures stay hidden, as they are until drawn), with no error and no request.
MERMAID_STAND_IN = "window.mermaid = {initialize() {}, render() { return new Promise(() => {}); }};"


# The search index is fetched when the browser is idle after load (theme/
# search-index-on-demand.js), on every page: a sixth of the CPU of the page-heavy tests.
# Most tests never search, so their tabs hold it back until the search box is used (its
# other trigger), as they stand Mermaid in. requestIdleCallback has no other user in the
# site or its libraries; the tests of the prefetch open contexts of their own.
HOLD_INDEX = "window.requestIdleCallback = function () { return 0; };"


def guard_requests(context, local: str) -> list[str]:
    """Block (and record in the list returned) every request leaving 127.0.0.1."""
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == local:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    return outside


def stand_in_for_mermaid(context) -> None:
    # Added after the guard, so it answers first: the stand-in is no outside request.
    context.route(
        MERMAID,
        lambda route: route.fulfill(body=MERMAID_STAND_IN, content_type="text/javascript"),
    )


def hold_search_index(context) -> None:
    context.add_init_script(HOLD_INDEX)
