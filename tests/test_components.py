"""Components, one folder each (components/<name>/): one name for the folder, the template,
the script and the style; each element mounted once; a failing component (or diagram) never
takes the others down; scripts work in any order after hb.js; one script and one style per
page, joined from every folder."""

import re
from pathlib import Path

from playwright.sync_api import expect

from macros import bundle, render, words

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = ROOT / "components"
# Folders of shared modules and page-wide files, not components that mount on an element.
SHARED = {"hb", "store", "report", "theme"}
MALWARE = "/types/malware/"
# Runs before the page's scripts see DOMContentLoaded, so before anything is mounted.
BEFORE_MOUNT = "document.addEventListener('DOMContentLoaded', () => { %s });"


def module_names() -> dict[str, list[str]]:
    """data-hb-module names -> the files that use them (templates, Markdown pages)."""
    names: dict[str, list[str]] = {}
    sources = [*COMPONENTS.glob("*/*.html"), *COMPONENTS.glob("*/*.md")]
    sources += [*(ROOT / "macros" / "pages").iterdir(), *(ROOT / "docs").glob("*.md")]
    for path in sources:
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


# --- one folder, one name (no browser) -----------------------------------------------------


def test_each_mounted_name_has_its_script_in_a_folder_that_registers_it():
    names = module_names()
    assert {"checklist", "progress", "record", "diagram", "clear-all"} <= set(names)
    scripts = {p.stem: p for p in COMPONENTS.glob("*/*.js")}
    for name in names:
        assert name in scripts, f"data-hb-module={name!r} has no components/*/{name}.js"
        source = scripts[name].read_text(encoding="utf-8")
        assert re.findall(r'HB\.register\("([a-z-]+)"', source) == [name], scripts[name]
    for stem, path in scripts.items():
        if path.parent.name in SHARED or stem in names:
            continue
        # Otherwise a part of its folder's component (record-fields.js: HB.recordFields),
        # used by another script of the same folder.
        parts = re.findall(r"HB\.(\w+) = function", path.read_text(encoding="utf-8"))
        others = "".join(
            p.read_text(encoding="utf-8") for p in path.parent.glob("*.js") if p != path
        )
        assert parts and all(f"HB.{part}(" in others for part in parts), (
            f"{path} mounts on no template's element and is no part of {path.parent.name}/"
        )


def test_each_folder_is_one_component_named_by_its_folder():
    for folder in sorted(p for p in COMPONENTS.iterdir() if p.is_dir()):
        own = {p.name for p in folder.iterdir() if p.suffix in (".html", ".md", ".js", ".css")}
        assert own, f"{folder.name}/ holds no template, script or style"
        if folder.name in SHARED:
            continue
        for name in own:
            # record/ holds record-fields.js etc.: parts of one component, named after it.
            assert name.split(".")[0].startswith(folder.name), f"{folder.name}/{name}"
    for style in COMPONENTS.glob("*/*.css"):
        assert style.stem == style.parent.name or style.name == "print.css", style


def test_each_macro_is_callable_by_its_components_name_and_no_name_is_taken_twice():
    macros = render.component_macros()
    assert {"urgent", "checklist", "contact_box", "contact_line", "measures"} <= set(macros)
    for name, template in macros.items():
        folder = template.split("/")[0].replace("-", "_")
        assert name == folder or name.startswith(folder + "_")
        assert render.ENV.globals[name] is not None
    # A second macro of the same name is refused, not silently shadowed.
    try:
        render.component_macros(COMPONENTS.parent / "tests" / "fixtures" / "components-clash")
    except ValueError as exc:
        assert "is defined in" in str(exc)
    else:
        raise AssertionError("a name defined twice was accepted")


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
    scripts = {p.name: p.read_text(encoding="utf-8") for p in COMPONENTS.glob("*/*.js")}
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
    order = bundle.files(COMPONENTS, "js")
    after = order.index(bundle.FIRST_SCRIPT) + 1
    code = bundle.join(COMPONENTS, [*order[:after], *reversed(order[after:])], "js")
    reversed_js = words.script(words.load(), code) + code
    assert reversed_js.index("record-print.js") < reversed_js.index("/* checklist/checklist.js")

    def reversed_bundle(route):
        route.fulfill(body=reversed_js, content_type="text/javascript")

    page.route("**/assets/hb/hb.*.min.js", reversed_bundle)
    with page.expect_response("**/assets/hb/hb.*.min.js") as served:
        page.goto(server + MALWARE)
    assert served.value.text() == reversed_js  # the reversed one ran, not the built one
    box(page, "publish").check()
    expect(page.locator("[data-hb-progress-text]")).to_contain_text("1 / ")
    expect(page.locator("[data-hb-first-report]")).to_contain_text(
        box(page, "publish").locator("xpath=..").locator(".hb-step__text").inner_text()
    )
    page.reload()
    expect(box(page, "publish")).to_be_checked()
    assert page.errors == []


def test_every_page_loads_one_script_and_one_style_of_the_sites_own(site_dir):
    """macros/bundle.py: every script and style of components/ joined into one hashed
    script (theme/ first, then hb.js) and one hashed style (hb.css first, print.css last)."""
    joined = bundle.collect()
    assert (site_dir / joined.js_path).read_text(encoding="utf-8") == joined.js
    assert (site_dir / joined.css_path).read_text(encoding="utf-8") == joined.css
    every = sorted(p.relative_to(COMPONENTS).as_posix() for p in COMPONENTS.glob("*/*.[jc]s*"))
    assert sorted(joined.sources) == every
    assert joined.js.index("theme/same-page-links.js") < joined.js.index("/* hb/hb.js")
    assert joined.js.index("/* hb/hb.js") < joined.js.index("/* checklist/checklist.js")
    assert joined.css.index("/* hb/hb.css") < joined.css.index("/* urgent/urgent.css")
    assert joined.css.rindex("/* ") == joined.css.index("/* hb/print.css")
    own = re.compile(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"')
    for html in site_dir.rglob("*.html"):
        refs = [r for r in own.findall(html.read_text(encoding="utf-8")) if "/vendor/" not in r]
        ours = [r for r in refs if not re.search(r"(bundle|main|palette)\.[0-9a-f]{8}\.min", r)]
        assert [Path(r).name for r in ours] == [
            Path(joined.css_path).name,
            Path(joined.js_path).name,
        ], html
