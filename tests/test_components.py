"""Components that mount themselves (docs/assets/javascripts/hb.js): one name for the
template, the script and the style; each element mounted once; a failing component
(or diagram) never takes the others down; scripts work in any order after hb.js."""

import re
from pathlib import Path

import yaml
from playwright.sync_api import expect

from macros import bundle

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "docs" / "assets" / "javascripts"
STYLES = ROOT / "docs" / "assets" / "stylesheets"
TEMPLATES = ROOT / "macros" / "templates"
SHARED_SCRIPTS = {  # modules, not components
    *("hb.js", "storage.js", "report.js"),
    *("record-crdt.js", "record-format.js", "record-notices.js"),
    *("record-session.js", "record-fields.js", "record-alerts.js"),
}
PAGE_STYLES = {"base.css", "print.css"}
MALWARE = "/types/malware/"
# Runs before the page's scripts see DOMContentLoaded, so before anything is mounted.
BEFORE_MOUNT = "document.addEventListener('DOMContentLoaded', () => { %s });"


def mkdocs_config() -> dict:
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda *_: None)  # !ENV
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)


def module_names() -> dict[str, list[str]]:
    """data-hb-module names -> the files that use them (templates, Markdown pages)."""
    names: dict[str, list[str]] = {}
    for path in [*TEMPLATES.iterdir(), *(ROOT / "docs").glob("*.md")]:
        for name in re.findall(r'data-hb-module="([a-z-]+)"', path.read_text(encoding="utf-8")):
            names.setdefault(name, []).append(path.name)
    return names


def box(page, step_id):
    return page.locator(f"input.hb-step__box[data-step-id='{step_id}']")


def mounted(page, page_id):
    """Wait until the type page page_id is shown and mounted (after an instant navigation
    the address changes first, then the page; the record is its last component)."""
    expect(page.locator("[data-hb-module=record]")).to_have_attribute("data-hb-page", page_id)
    expect(page.locator("[data-hb-module=record]")).to_have_attribute("data-hb-mounted", "")


# --- names line up (no browser) ----------------------------------------------------------


def test_each_component_has_one_name_for_template_script_and_style():
    names = module_names()
    assert {"checklist", "progress", "record", "diagram", "clear-all"} <= set(names)
    scripts = {p.name for p in SCRIPTS.glob("*.js")}
    for name in names:
        script = SCRIPTS / f"{name}.js"
        assert script.name in scripts, f"data-hb-module={name!r} has no {script.name}"
        registered = re.findall(r'HB\.register\("([a-z-]+)"', script.read_text(encoding="utf-8"))
        assert registered == [name], f"{script.name} registers {registered}"
    for script in scripts - SHARED_SCRIPTS:
        assert script.removesuffix(".js") in names, f"{script} mounts on no template's element"
    templates = {p.stem for p in TEMPLATES.iterdir()}
    for style in {p.name for p in STYLES.glob("*.css")} - PAGE_STYLES:
        assert style.removesuffix(".css") in templates, f"{style} is named after no template"


def test_every_script_and_style_is_listed_once_hb_js_first_print_css_last():
    config = mkdocs_config()
    scripts = [Path(s).name for s in config["extra_javascript"]]
    styles = [Path(s).name for s in config["extra_css"]]
    assert scripts[0] == "hb.js"
    assert sorted(scripts) == sorted(p.name for p in SCRIPTS.glob("*.js"))
    assert styles[0] == "base.css" and styles[-1] == "print.css"
    assert sorted(styles) == sorted(p.name for p in STYLES.glob("*.css"))


def exports(source: str) -> dict[str, list[str]]:
    """HB.<module> = {key: ..., ...} in a script -> {module: [key, ...]} (top-level keys)."""
    source = re.sub(r"/\*[\s\S]*?\*/|//[^\n]*", "", source)  # comments
    found = {}
    for match in re.finditer(r"HB\.(\w+) = \{", source):
        depth, keys, i, quote = 1, [], match.end(), None
        while depth:
            c = source[i]
            if quote:
                quote = None if c == quote and source[i - 1] != "\\" else quote
            elif c in "\"'":
                quote = c
            elif c in "{([":
                depth += 1
            elif c in "})]":
                depth -= 1
            elif depth == 1 and (key := re.match(r"[{,]\s*(\w+):", source[i - 1 :])):
                keys.append(key.group(1))
            i += 1
        found[match.group(1)] = keys
    return found


def test_every_export_of_a_shared_module_is_used():
    scripts = {p.name: p.read_text(encoding="utf-8") for p in SCRIPTS.glob("*.js")}
    everything = "\n".join(scripts.values())
    modules = {m: keys for source in scripts.values() for m, keys in exports(source).items()}
    shared = {"storage", "report", "crdt", "recordFormat", "notices"}
    assert set(modules) == shared, "components export nothing: they register"
    unused = [
        f"HB.{m}.{k}"
        for m, keys in modules.items()
        for k in keys
        if f"HB.{m}.{k}" not in everything
    ]
    assert unused == []


# --- mounting ----------------------------------------------------------------------------


def test_every_element_is_mounted_once_across_instant_navigation(page, server):
    page.goto(server + "/")
    page.locator("a.hb-choice[data-type-id='malware']").click()
    mounted(page, "types/malware")
    page.get_by_role("navigation").get_by_role("link", name="3-1 紛失・盗難").click()
    mounted(page, "types/loss-theft")
    page.go_back()
    mounted(page, "types/malware")
    modules = page.locator("[data-hb-module]")
    expect(page.locator("[data-hb-module]:not([data-hb-mounted=''])")).to_have_count(0)
    assert modules.count() > 5
    # One listener per list: one tick, one hb:steps-changed.
    page.evaluate(
        "window.__changes = 0;"
        "document.addEventListener('hb:steps-changed', () => window.__changes++)"
    )
    box(page, "publish").check()
    assert page.evaluate("window.__changes") == 1
    expect(page.locator("[data-hb-progress-text]")).to_contain_text("1 / ")
    assert page.errors == []


def test_a_component_that_fails_is_reported_and_the_others_work(page, server):
    # The record loses a part it needs, so its mount throws.
    page.add_init_script(
        BEFORE_MOUNT % "document.querySelector('[data-hb-record-select]').remove();"
    )
    page.goto(server + MALWARE)
    expect(page.locator("[data-hb-module=record]")).to_have_attribute("data-hb-mounted", "error")
    assert any('"record" could not start' in e for e in page.errors), page.errors
    box(page, "publish").check()
    expect(page.locator("[data-hb-progress-text]")).to_contain_text("1 / ")
    expect(page.locator("li.hb-step[data-step-id='publish'] time")).to_have_count(1)


def test_scripts_work_in_any_order_after_hb_js(page, server):
    """The page's one script (macros/bundle.py) joined again with the files after hb.js
    in reverse order."""
    listed = [str(s) for s in mkdocs_config()["extra_javascript"]]
    order = [*bundle.THEME_SCRIPTS, listed[0], *reversed(listed[1:])]
    reversed_js = bundle.join(ROOT / "docs", order, "js")
    assert reversed_js.index("record-print.js") < reversed_js.index(
        "/* assets/javascripts/checklist.js"
    )

    def reversed_bundle(route):
        route.fulfill(body=reversed_js, content_type="text/javascript")

    page.route("**/assets/javascripts/hb.*.min.js", reversed_bundle)
    page.goto(server + MALWARE)
    box(page, "publish").check()
    expect(page.locator("[data-hb-progress-text]")).to_contain_text("1 / ")
    expect(page.locator("[data-hb-first-report]")).to_contain_text(
        box(page, "publish").locator("xpath=..").locator(".hb-step__text").inner_text()
    )
    page.reload()
    expect(box(page, "publish")).to_be_checked()
    assert page.errors == []


def test_every_page_loads_one_script_and_one_style_of_the_sites_own(site_dir):
    """macros/bundle.py: the files of mkdocs.yml (theme/ first) joined in order into one
    hashed script and one hashed style; the files joined are not published apart."""
    config = mkdocs_config()
    joined = bundle.collect(ROOT / "docs", config["extra_javascript"], config["extra_css"])
    assert (site_dir / joined.js_path).read_text(encoding="utf-8") == joined.js
    assert (site_dir / joined.css_path).read_text(encoding="utf-8") == joined.css
    assert joined.js.index("theme/same-page-links.js") < joined.js.index("javascripts/hb.js")
    assert not [s for s in joined.sources if (site_dir / s).exists()]
    own = re.compile(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"')
    for html in site_dir.rglob("*.html"):
        refs = [r for r in own.findall(html.read_text(encoding="utf-8")) if "/vendor/" not in r]
        ours = [r for r in refs if not re.search(r"(bundle|main|palette)\.[0-9a-f]{8}\.min", r)]
        assert [Path(r).name for r in ours] == [
            Path(joined.css_path).name,
            Path(joined.js_path).name,
        ], html
