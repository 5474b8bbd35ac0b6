"""The handbook's data as the site shows it, its pages, and the screen sizes tested."""

from macros.data import load_handbook
from support import ROOT

HANDBOOK = load_handbook(ROOT / "data")


TYPE_IDS = list(HANDBOOK.types)


SIZES = {"phone": {"width": 375, "height": 667}, "pc": {"width": 1280, "height": 800}}


PHONE = SIZES["phone"]


SCREENSHOTS = ROOT / "test-results" / "screenshots"


STABLE_URLS = ["/", "/basics/", "/contacts/", *[f"/types/{t}/" for t in TYPE_IDS]]


# Every page: the stable ones and the other Markdown pages (print/, revisions/, ...).
PAGES = STABLE_URLS + sorted(
    f"/{md.stem}/"
    for md in (ROOT / "docs").glob("*.md")
    if md.stem != "index" and f"/{md.stem}/" not in STABLE_URLS
)


def save_for_review(page, url: str, size: str) -> None:
    """A full-page screenshot for people to look at: test-results/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = (url.strip("/").replace("/", "-") or "home") + f"-{size}.png"
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


SETTLED = "document.getAnimations().every(a => a.playState !== 'running')"
