"""Diagrams drawn at build time: the Mermaid text the data produces (macros/mermaid.py)
stays the single source; the pages carry the drawing as inline SVG, so a page with a
diagram loads no diagram script (Mermaid is 5.5 MB) and shows it at once, without
JavaScript too, in the offline edition as on the server, and to screen readers in words.
Paper keeps its diagrams off (print.css): shown, the flow would fill the second sheet of
3-6 不正アクセス to the last millimetre, and a type must fit two A4 sheets.

How one diagram gets its SVG (render.diagram → figure):
  key      sha256 of RECIPE + the Mermaid text. RECIPE holds the vendored Mermaid's version
           and the settings below, so upgrading Mermaid or changing a setting asks for new
           drawings instead of serving stale ones.
  cache    macros/diagram-svg/<key>.svg, committed. Why committed, not rendered in CI: an
           editor's PC (Windows, Python only) and CI need no browser for the diagrams the
           data already has; only a change of a diagram's text needs one, once, and the new
           file is committed with the data change (components/diagram/test_diagram.py fails until it is).
           It sits in macros/ because every copy of the project (the tests' town and evil
           editions) copies macros/: each copy renders into its own cache, never into ours.
           Under `serve`, a new file in the watched macros/ causes one more rebuild, which
           finds everything cached.
  render   at the start of a build (hooks.on_config → prepare), every diagram of the site
           (sources(handbook)) whose file is missing is drawn in ONE headless Chromium with
           the vendored Mermaid: HB_CHROMIUM's browser alone when set, else Debian's
           chromium-headless-shell or chromium, Playwright's own, Edge or Chrome through
           Playwright (`dev.py build` installs Playwright, and Chromium where it can, as
           `dev.py test` does). No browser (or no Playwright, or no Japanese font): the
           build stops and says what to do (DiagramError), unless the client-side renderer
           (components/diagram/diagram.js) is allowed for those figures: by
           `build --client-diagrams` (HB_CLIENT_DIAGRAMS=1), and under `serve` (a preview).
           Each page with such a figure then carries a warning (hooks.on_page_content).
  verify   every SVG is checked when stored and again when inlined (the files are committed,
           so they can be edited): only SVG shape and text elements, no script, no
           foreignObject (labels are SVG <text>: htmlLabels false), no on* or href
           attributes, no url() but local #ids, CSS without @import/escapes/markup. It is
           then written out again from the parsed tree, so the page gets exactly what was
           checked, with text and attributes escaped.
  fonts    Mermaid sizes each box with the build machine's fonts. The SVG's font-family
           starts with the font actually measured (found in the browser), then the site's
           stack (components/hb/hb.css). Japanese glyphs are one em wide in every such font; Latin
           letters and digits are not (Meiryo's are Verdana-wide, Noto's narrower), and
           Mermaid leaves about 16 px between a label and its box, which is what keeps a
           Windows PC's Meiryo or Yu Gothic UI inside. components/diagram/test_diagram.py draws every
           cached SVG with DejaVu Sans's Latin (Verdana's widths) to check.
  text     each figure keeps a text alternative made from the Mermaid text (the data, not
           the SVG): the steps in order, or each arrow "A → B（label）" (diagram.html).

Environment: HB_DIAGRAMS=cache uses the cached SVGs but never starts a browser (missing
ones: as without a browser); HB_DIAGRAMS=client draws every diagram in the browser as before
(for the benchmark's comparison).

Commands (scripts/diagrams.py; in .venv: python -m scripts.diagrams check|render|prune):
  check    list the site's diagrams and whether each has its cached SVG (exit 1 if not)
  render   draw the missing ones (a build does the same)
  prune    delete cached SVGs no diagram of the current data uses
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from . import mermaid

log = logging.getLogger("mkdocs.hooks.handbook.diagrams")

HERE = Path(__file__).resolve().parent
CACHE_DIR = "diagram-svg"  # in macros/ of the project being built
MERMAID_JS = Path("docs", "assets", "vendor", "mermaid", "mermaid.min.js")
SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)

# The site's fonts (components/hb/hb.css --md-text-font-family; components/diagram/test_diagram.py keeps them equal).
FONT_STACK = [
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic UI",
    "Yu Gothic",
    "Meiryo",
    "Noto Sans CJK JP",
    "Noto Sans JP",
]
# Mermaid's settings (diagram.js uses the same for its fallback drawings).
#   htmlLabels false: labels are SVG <text>, no HTML in a foreignObject to trust.
#   wrappingWidth: the data breaks its lines (<br/>); Mermaid's own wrapping cuts Japanese
#     words anywhere, so it only wraps lines longer than this (at spaces).
MERMAID_CONFIG = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "theme": "neutral",
    "htmlLabels": False,
    "markdownAutoWrap": False,
    "flowchart": {"htmlLabels": False, "wrappingWidth": 260},
}
# What diagram.js gives Mermaid for a figure drawn in the browser (the fallback).
CLIENT_SETTINGS = json.dumps(MERMAID_CONFIG, sort_keys=True, separators=(",", ":"))
RENDER_VERSION = "4"  # bump when the post-processing below changes what is stored


@functools.cache
def _mermaid_version(root: Path) -> str:
    path = root / MERMAID_JS.parent / "VERSION"
    return path.read_text(encoding="utf-8").strip() if path.exists() else "unknown"


def recipe(root: Path) -> str:
    config = json.dumps(MERMAID_CONFIG, sort_keys=True)
    return f"{_mermaid_version(root)}\n{RENDER_VERSION}\n{config}\n{json.dumps(FONT_STACK)}\n"


def key(source: str, root: Path | None = None) -> str:
    """The cache key of a diagram: sha256 of the recipe and the Mermaid text."""
    root = root or (_state.root if _state else HERE.parent)
    return hashlib.sha256((recipe(root) + source).encode("utf-8")).hexdigest()


def svg_id(digest: str) -> str:
    return f"hb-d-{digest[:12]}"


# --- which diagrams the site draws --------------------------------------------------------


def sources(handbook) -> list[tuple[str, str]]:
    """(Mermaid text, label) of every diagram the pages draw (macros/render.py), in page
    order, without repeats. components/diagram/test_diagram.py checks that the built site has no other."""
    found = {mermaid.reporting_chain(handbook.organization): "報告ルート"}
    found.setdefault(mermaid.basic_steps(handbook.basics), "事故対応の基本ステップ")
    for incident in handbook.types.values():
        found.setdefault(
            mermaid.phase_flow(incident, handbook.phases), f"{incident.short_title}の対応の流れ"
        )
    return list(found.items())


# --- the text alternative (from the Mermaid text, not the drawing) ------------------------

_ID = r"[A-Za-z][\w-]*"
_NODE = re.compile(
    rf'^\s*({_ID})\s*(?:\(\[|\[\[|\[\(|\(\(|\[|\(|\{{\{{|\{{)"([^"]*)"[\]\)\}}]+\s*$'
)
_EDGE = re.compile(rf'^\s*({_ID})\s*(?:-->|---|-\.->|==>)\s*(?:\|"([^"]*)"\|\s*)?({_ID})\s*$')
_DECODE = {code: char for char, code in mermaid._ENTITIES.items()}  # noqa: SLF001


def _text(label: str) -> list[str]:
    lines = []
    for line in label.split("<br/>"):
        for code, char in _DECODE.items():
            line = line.replace(code, char)
        lines.append(line)
    return lines


def _node_text(lines: list[str]) -> str:
    rest = "／".join(lines[1:])
    if len(lines) == 2 and rest.startswith("（") and rest.endswith("）"):
        return lines[0] + rest  # already in brackets, as the seed prints it
    return lines[0] + (f"（{rest}）" if rest else "")


@dataclass(frozen=True)
class Description:
    ordered: bool  # True: the steps in order; False: one item per arrow
    items: tuple[str, ...]


def describe(source: str) -> Description | None:
    """What the diagram says, in words: a flow without branches as its steps in order,
    anything else as its arrows. None for a text this module cannot read."""
    nodes: dict[str, list[str]] = {}
    edges: list[tuple[str, str, str | None]] = []
    for line in source.splitlines()[1:]:
        if not line.strip():
            continue
        if m := _EDGE.match(line):
            edges.append((m.group(1), m.group(3), m.group(2)))
        elif m := _NODE.match(line):
            nodes[m.group(1)] = _text(m.group(2))
        else:
            return None
    if not nodes or any(a not in nodes or b not in nodes for a, b, _ in edges):
        return None
    outgoing = {a: b for a, b, _ in edges}
    targets = {b for _, b, _ in edges}
    starts = [n for n in nodes if n not in targets]
    chain = (
        len(edges) == len(nodes) - 1
        and len(outgoing) == len(edges)
        and len(targets) == len(edges)
        and len(starts) == 1
        and not any(label for _, _, label in edges)
    )
    if chain:
        order = [starts[0]]
        while order[-1] in outgoing:
            order.append(outgoing[order[-1]])
        if len(order) == len(nodes):
            return Description(True, tuple(_node_text(nodes[n]) for n in order))
    items = []
    for a, b, label in edges:
        text = f"{_node_text(nodes[a])} → {_node_text(nodes[b])}"
        if label:
            text += f"（{'／'.join(_text(label))}）"
        items.append(text)
    return Description(False, tuple(items)) if items else None


# --- verification ------------------------------------------------------------------------


class UnsafeSVG(ValueError):
    """The SVG holds something a page must not inline."""


ELEMENTS = {
    "svg",
    "g",
    "defs",
    "style",
    "marker",
    "path",
    "polygon",
    "polyline",
    "line",
    "circle",
    "ellipse",
    "rect",
    "text",
    "tspan",
    "title",
    "desc",
    "linearGradient",
    "radialGradient",
    "stop",
    "filter",
    "feDropShadow",
    "feGaussianBlur",
    "feOffset",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feBlend",
    "clipPath",
}
# Presentation and geometry only; anything else (on*, href, xlink:href, src…) is dropped,
# and an event-handler or link attribute even makes the SVG refused (it should never come).
ATTRIBUTES = {
    "id",
    "class",
    "style",
    "role",
    "aria-label",
    "viewBox",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "d",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "marker-start",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "filter",
    "flood-color",
    "flood-opacity",
    "stdDeviation",
    "clip-path",
    "preserveAspectRatio",
    "data-look",  # Mermaid's style sheet draws "neo" nodes by it
}
_FORBIDDEN_ATTRIBUTE = re.compile(r"^(on|href$|src$|xlink|xml:base|formaction|action)", re.I)
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I)
_LOCAL_ID = re.compile(r"#[\w.-]+")
_BAD_CSS = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding|[<\\]", re.I)
# Coordinates to 2 decimals: the same drawing in half the bytes.
_NUMBER = re.compile(r"-?\d+\.\d{3,}(?:e[-+]?\d+)?")
_NUMERIC = {"d", "points", "transform", "viewBox", "x", "y", "x1", "y1", "x2", "y2", "width"}
_NUMERIC |= {"height", "cx", "cy", "r", "rx", "ry", "refX", "refY", "style"}


_NUMBER_1 = re.compile(r"-?\d+\.\d{2,}(?:e[-+]?\d+)?")


def _round_1(match: re.Match | float) -> str:
    value = match if isinstance(match, float) else float(match.group(0))
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _round(match: re.Match) -> str:
    text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _check_css(text: str, where: str) -> None:
    if _BAD_CSS.search(text):
        raise UnsafeSVG(f"{where}: CSS with @import, expression, escapes or markup")
    for _, target in _URL.findall(text):
        if not _LOCAL_ID.fullmatch(target):
            raise UnsafeSVG(f"{where}: url({target}) is not a local #id")


def _local(tag: str) -> str:
    if not tag.startswith("{" + SVG_NS + "}"):
        raise UnsafeSVG(f"element {tag!r} is not SVG")
    return tag[len(SVG_NS) + 2 :]


def clean(svg_text: str) -> ET.Element:
    """The SVG parsed and checked, with what a page does not need removed (Mermaid's data-*
    attributes, unused markers and filters); raises UnsafeSVG for anything a page must not
    inline."""
    if re.search(r"<!(DOCTYPE|ENTITY)|<\?(?!xml )", svg_text, re.I):
        raise UnsafeSVG("a DOCTYPE, entity or processing instruction")
    try:
        root = ET.fromstring(svg_text)
    except ET.ParseError as exc:
        raise UnsafeSVG(f"not well-formed XML: {exc}") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeSVG("the root is not <svg>")
    for el in root.iter():
        name = _local(el.tag)
        if name not in ELEMENTS:
            raise UnsafeSVG(f"<{name}> is not allowed")
        for attr in list(el.attrib):
            value = el.attrib[attr]
            if _FORBIDDEN_ATTRIBUTE.match(attr.rpartition("}")[2]) or attr.startswith("{"):
                raise UnsafeSVG(f"<{name} {attr}> is not allowed")
            if attr not in ATTRIBUTES:
                del el.attrib[attr]  # data-points, aria-roledescription…: nothing a page needs
                continue
            if "javascript:" in value.lower():
                raise UnsafeSVG(f"<{name} {attr}> holds javascript:")
            _check_css(value, f"<{name} {attr}>")
            if attr in _NUMERIC:
                el.attrib[attr] = _NUMBER.sub(_round, value)
        if name == "style":
            if len(el):
                raise UnsafeSVG("<style> with elements inside")
            _check_css(el.text or "", "<style>")
    _drop_unused_definitions(root)
    classes = {c for el in root.iter() for c in el.get("class", "").split()}
    tags = {_local(el.tag) for el in root.iter()}
    for el in root.iter(f"{{{SVG_NS}}}style"):
        el.text = _shake_css(el.text or "", classes, tags)
    _drop_unused_definitions(root)  # what only the dropped rules referred to
    _slim(root)
    return root


# Classes kept though no style uses them: the parts of a flowchart, for tests and readers.
KEPT_CLASSES = {"flowchart", "root", "nodes", "node", "edges", "edgePaths", "edgeLabels"}
KEPT_CLASSES |= {"edgeLabel", "label", "flowchart-link"}
# Attribute values that only restate SVG's defaults (Mermaid writes them on every tspan).
_DEFAULTS = {("font-style", "normal"), ("font-weight", "normal")}


def _slim(root: ET.Element) -> None:
    """Fewer bytes, the same drawing: no empty or default attributes, no ids that nothing
    refers to, no rectangles without a size (Mermaid's placeholders), and path data to
    0.1 px (Mermaid draws a rounded end as dozens of tiny curves)."""
    css = "".join(el.text or "" for el in root.iter(f"{{{SVG_NS}}}style"))
    referred = set(re.findall(r"#([\w.-]+)", css))
    for el in root.iter():
        for value in el.attrib.values():
            referred.update(t.lstrip("#") for _, t in _URL.findall(value))
    for parent in list(root.iter()):
        for child in list(parent):
            if _local(child.tag) == "rect" and not ({"width", "height"} & set(child.attrib)):
                if not len(child):
                    parent.remove(child)
    styled = set(re.findall(r"\.([\w-]+)", css)) | KEPT_CLASSES
    for el in root.iter():
        if "class" in el.attrib:  # the classes the style sheet or a reader uses, once each
            names = el.attrib["class"].split()
            el.attrib["class"] = " ".join(dict.fromkeys(c for c in names if c in styled))
        for attr, value in list(el.attrib.items()):
            if not value.strip() or (attr, value) in _DEFAULTS:
                del el.attrib[attr]
            elif attr == "id" and el is not root and value not in referred:
                del el.attrib[attr]
            elif attr == "d":
                el.attrib[attr] = _simplify_path(value)
            elif attr == "points":
                el.attrib[attr] = _NUMBER_1.sub(_round_1, value)
    for el in root.iter():
        # <tspan x… dy…><tspan>a</tspan><tspan> b</tspan></tspan>: the same as "a b".
        if len(el) and all(_plain(child, "tspan") for child in el):
            el.text = (el.text or "") + "".join((c.text or "") + (c.tail or "") for c in el)
            el[:] = []
    for parent in list(root.iter()):
        for i in range(len(parent) - 1, -1, -1):
            child = parent[i]
            if _local(child.tag) == "g" and not len(child) and not (child.text or "").strip():
                del parent[i]  # an empty group (Mermaid's clusters, edge labels)
            elif _plain(child, "g", leaf=False):
                parent[i : i + 1] = list(child)  # a group without attributes: its children


def _plain(el: ET.Element, name: str, leaf: bool = True) -> bool:
    """el is a <name> without attributes (and, if leaf, without children or tail text)."""
    if _local(el.tag) != name or el.attrib:
        return False
    return not len(el) and not (el.tail or "").strip() if leaf else not (el.text or "").strip()


# Path data of absolute M, L, C and Z only (what Mermaid writes), e.g. "M1,2C3 4,5 6,7 8".
_PATH_TOKEN = re.compile(r"[MLCZ]|-?(?:\d+\.?\d*|\.\d+)")
_PATH_SEPARATORS = re.compile(r"[\s,]+")
_PATH_TOKEN = re.compile(r"[MLCZ]|-?(?:\d+\.?\d*|\.\d+)")
_ARITY = {"M": 2, "L": 2, "C": 6, "Z": 0}
_TOLERANCE = 0.1  # px: a tenth of a screen pixel at the drawn size


def _simplify_path(d: str) -> str:
    """The same outline in fewer bytes: Mermaid draws a rounded end as dozens of tiny
    curves, and strokes every edge of a rounded box twice. Curves flatter than 0.1 px
    become lines, lines along one straight run become one (Ramer-Douglas-Peucker at
    0.1 px), a repeated sub-path goes, and numbers keep one decimal. Anything else (other
    commands, relative ones) is only rounded."""
    plain = not _PATH_SEPARATORS.sub("", _PATH_TOKEN.sub("", d))  # nothing but those
    subpaths = _parse_path(d) if plain else None
    if subpaths is None:
        return _NUMBER_1.sub(_round_1, d)
    unique = []
    for sub in subpaths:
        if sub not in unique:
            unique.append(sub)
    out = []
    for sub in unique:
        start, rest = sub[0][1], sub[1:]
        out.append("M" + _coords(start))
        run = [start]
        pos = start
        for cmd, nums in rest:
            if (
                cmd == "C"
                and max(_off_line(nums[0:2], pos, nums[4:6]), _off_line(nums[2:4], pos, nums[4:6]))
                <= _TOLERANCE
            ):
                cmd, nums = "L", nums[4:6]
            if cmd == "L":
                run.append(nums)
            else:
                out.extend("L" + _coords(p) for p in _rdp(run)[1:])
                out.append(cmd + _coords(nums))
                run = [nums[4:6]] if cmd == "C" else [start]
            pos = nums[-2:] if nums else start
        out.extend("L" + _coords(p) for p in _rdp(run)[1:])
    return "".join(out)


def _parse_path(d: str) -> list[list[tuple[str, list[float]]]] | None:
    tokens = _PATH_TOKEN.findall(d)
    subpaths: list[list[tuple[str, list[float]]]] = []
    i, cmd = 0, None
    while i < len(tokens):
        if tokens[i] in _ARITY:
            cmd, i = tokens[i], i + 1
            if cmd == "Z":
                if not subpaths:
                    return None
                subpaths[-1].append(("Z", []))
                continue
        if cmd in (None, "Z") or i + _ARITY[cmd] > len(tokens):
            return None
        try:
            nums = [float(t) for t in tokens[i : i + _ARITY[cmd]]]
        except ValueError:
            return None  # a command letter where a number belongs
        i += _ARITY[cmd]
        if cmd == "M":
            subpaths.append([("M", nums)])
            cmd = "L"  # numbers after M's pair are lines
        elif not subpaths:
            return None
        else:
            subpaths[-1].append((cmd, nums))
    return subpaths


def _off_line(point, a, b) -> float:
    """The distance of point from the line through a and b."""
    (x, y), (x1, y1), (x2, y2) = point, a, b
    length = math.hypot(x2 - x1, y2 - y1)
    if length == 0:
        return math.hypot(x - x1, y - y1)
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length


def _rdp(points: list) -> list:
    if len(points) < 3:
        return points
    far, index = max((_off_line(p, points[0], points[-1]), i) for i, p in enumerate(points))
    if far <= _TOLERANCE:
        return [points[0], points[-1]]
    return _rdp(points[: index + 1])[:-1] + _rdp(points[index:])


def _coords(nums) -> str:
    return " ".join(_round_1(float(n)) for n in nums)


_SELECTOR_NOISE = re.compile(r"#[\w-]+|\[[^\]]*\]|::?[\w-]+(\([^)]*\))?|\*")


def _shake_css(css: str, classes: set[str], tags: set[str]) -> str:
    """Mermaid's style sheet serves every kind of diagram (tooltips, clusters, animated
    edges…): keep the rules whose selectors can match something in this drawing. @-rules
    (the animations' @keyframes) go too: no element of ours is animated."""
    kept, depth, start, prelude = [], 0, 0, ""
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                prelude, start = css[start:i], i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                body, start = css[start:i], i + 1
                if prelude.strip().startswith("@"):
                    continue
                selectors = [s for s in prelude.split(",") if _matches(s, classes, tags)]
                if selectors:
                    kept.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(kept)


def _matches(selector: str, classes: set[str], tags: set[str]) -> bool:
    if not set(re.findall(r"\.([\w-]+)", selector)) <= classes:
        return False
    if re.search(r"\S\s+(svg|:root)\b", selector):
        return False  # "#id svg", "#id :root": the drawing is the only svg, and no root
    bare = _SELECTOR_NOISE.sub(" ", re.sub(r"\.[\w-]+", " ", selector))
    return set(re.findall(r"[A-Za-z][\w-]*", bare)) <= tags


def _drop_unused_definitions(root: ET.Element) -> None:
    """Mermaid defines a dozen arrowheads, filters and gradients; keep the ones used."""
    used = set()
    for el in root.iter():
        for value in el.attrib.values():
            used.update(t.lstrip("#") for _, t in _URL.findall(value))
        if _local(el.tag) == "style":
            used.update(t.lstrip("#") for _, t in _URL.findall(el.text or ""))
    kinds = {"marker", "filter", "linearGradient", "radialGradient", "clipPath"}
    for parent in list(root.iter()):
        for child in list(parent):
            if _local(child.tag) in kinds and child.get("id") not in used:
                parent.remove(child)
    for parent in list(root.iter()):
        for child in list(parent):
            if _local(child.tag) == "defs" and not len(child):
                parent.remove(child)


def serialise(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


# --- the cache ---------------------------------------------------------------------------


@dataclass
class _State:
    root: Path
    mode: str  # "svg" (default), "cache" (never render), "client" (no SVG at all)
    missing: dict[str, str]  # key -> label of diagrams left to the browser (reported once)
    unsaved: dict[str, str]  # key -> SVG drawn by this build that could not be saved


_state: _State | None = None
_verified: dict[tuple[str, int], str] = {}  # (path, mtime) -> checked SVG text


def cache_dir(root: Path | None = None) -> Path:
    return (root or (_state.root if _state else HERE.parent)) / "macros" / CACHE_DIR


def _mode() -> str:
    mode = os.environ.get("HB_DIAGRAMS", "svg").strip().lower() or "svg"
    if mode not in {"svg", "cache", "client"}:
        raise ValueError(f"HB_DIAGRAMS={mode!r}: use svg (default), cache or client")
    return mode


def cached_svg(digest: str, root: Path | None = None) -> str | None:
    """The checked SVG text of a cached diagram, or None (missing or refused)."""
    path = cache_dir(root) / f"{digest}.svg"
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if stamp not in _verified:
        try:
            _verified[stamp] = serialise(clean(path.read_text(encoding="utf-8")))
        except (UnsafeSVG, OSError, UnicodeDecodeError) as exc:
            log.info(f"図: {path.name} は使えません（{exc}）。ブラウザで描きます。")
            return None
    return _verified[stamp]


def inline_svg(source: str, label: str) -> Markup | None:
    """The diagram as SVG for the page (role=img, named by its label), or None when the
    browser has to draw it (no cached SVG, or HB_DIAGRAMS=client)."""
    mode = _state.mode if _state else _mode()
    if mode == "client":
        return None
    digest = key(source)
    text = cached_svg(digest) or (_state.unsaved.get(digest) if _state else None)
    if text is None:
        if _state and digest not in _state.missing:
            _state.missing[digest] = label
            log.info(
                f"図「{label}」の SVG がありません（macros/{CACHE_DIR}/{digest[:12]}…）。"
                "この図は閲覧時にブラウザで描きます。"
            )
        return None
    root = ET.fromstring(text)
    root.set("role", "img")
    root.set("aria-label", label)
    return Markup(serialise(root))


def _write(path: Path, text: str) -> None:
    """Atomically: several builds (tests, serve) may write the same file at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".svg")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(text + "\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


class DiagramError(Exception):
    """Diagrams left without an SVG where the build may not leave them to the browser."""


def prepare(root: Path, handbook, allow_client: bool = True) -> None:
    """Start of a build (hooks.on_config): draw the site's diagrams that have no cached SVG
    yet, all in one browser; the pages then only read the cache. allow_client: those that
    cannot be drawn may be left to the reader's browser (serve, build --client-diagrams);
    else DiagramError."""
    global _state
    _state = _State(Path(root), _mode(), {}, {})
    if _state.mode == "client":
        return
    missing = [(s, label) for s, label in sources(handbook) if cached_svg(key(s)) is None]
    if not missing:
        return
    if _state.mode == "cache":
        reason = "HB_DIAGRAMS=cache"
    else:
        drawn, reason = render(missing, _state.root)
        for (source, label), svg in zip(missing, drawn, strict=True):
            if svg is None:
                continue
            try:
                _write(cache_dir() / f"{key(source)}.svg", svg)
                log.info(
                    f"図「{label}」を SVG にしました（macros/{CACHE_DIR}/{key(source)}.svg）。"
                )
            except OSError as exc:  # a read-only checkout: this build still uses it
                _state.unsaved[key(source)] = svg
                log.info(f"図「{label}」の SVG を保存できませんでした（{exc}）。")
        missing = [m for m, svg in zip(missing, drawn, strict=True) if svg is None]
    if missing and not allow_client:
        names = "、".join(f"「{label}」" for _, label in missing)
        raise DiagramError(
            f"図 {len(missing)} 件 {names} を SVG にできませんでした（{reason}）。ビルドを止めました。\n"
            "  ・ブラウザを用意してもう一度: python3 scripts/dev.py build"
            "（Debian では root で実行すると chromium と chromium-headless-shell を入れます。"
            "ほかでは py -m playwright install chromium、または Edge・Chrome があれば使います。"
            "別のブラウザは HB_CHROMIUM=実行ファイル で指定）\n"
            "  ・図を閲覧者のブラウザで描かせるなら（Mermaid 5.5 MB を読み込み、そのページに警告が出ます）: "
            "python3 scripts/dev.py build --client-diagrams\n"
            f"  描けたら macros/{CACHE_DIR}/ にできたファイルをコミットしてください。"
        )
    if missing:
        names = "、".join(f"「{label}」" for _, label in missing)
        log.info(
            f"図 {len(missing)} 件 {names} を SVG にできませんでした（{reason}）。"
            "これらの図は閲覧時にブラウザで描きます（Mermaid 5.5 MB を読み込むので重くなります）。"
            "Chromium のある PC でビルドし（Debian: apt-get install chromium fonts-noto-cjk、"
            "または py -m playwright install chromium）、"
            f"macros/{CACHE_DIR}/ にできたファイルをコミットしてください。"
        )
        _state.missing.update({key(s): label for s, label in missing})


# --- drawing in a headless browser ----------------------------------------------------------

_RENDER_JS = """async ({items, config, fonts, timeout}) => {
  const ctx = document.createElement("canvas").getContext("2d");
  const sample = "情報セキュリティ事故 Wmil 0123";
  const width = (font) => { ctx.font = "16px " + font; return ctx.measureText(sample).width; };
  const present = (name) => ["monospace", "serif"].some(g => width(`"${name}", ${g}`) !== width(g));
  const measured = fonts.find(present);
  if (!measured) return {error: "no Japanese font (" + fonts.join(", ") + ")"};
  const stack = [measured, ...fonts.filter(f => f !== measured)].map(f => `"${f}"`).join(", ");
  window.mermaid.initialize({...config, fontFamily: stack + ", sans-serif"});
  const results = [];
  for (const {id, source} of items) {
    try {
      const drawn = window.mermaid.render(id, source);
      const late = new Promise((_, no) => setTimeout(() => no(new Error("timed out")), timeout));
      const {svg} = await Promise.race([drawn, late]);
      const inert = document.createElement("template");  // parsed, never run or loaded
      inert.innerHTML = svg;
      results.push({svg: new XMLSerializer().serializeToString(inert.content.querySelector("svg"))});
    } catch (error) {
      results.push({error: String((error && error.message) || error)});
    }
  }
  return {font: measured, results};
}"""
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _launch(playwright):
    """HB_CHROMIUM's browser alone when set; else Debian's chromium-headless-shell or
    chromium (as scripts/sitetools.chromium_executable), Playwright's own Chromium, an
    installed Edge or Chrome."""
    chosen = os.environ.get("HB_CHROMIUM", "").strip()
    if chosen:
        if not Path(chosen).is_file():
            raise RuntimeError(f"HB_CHROMIUM のブラウザ {chosen} がありません")
        attempts = [{"executable_path": chosen}]
    else:
        found = [
            shutil.which(n) for n in ("chromium-headless-shell", "chromium", "chromium-browser")
        ]
        attempts = [{"executable_path": exe} for exe in found if exe]
        attempts += [{}, {"channel": "msedge"}, {"channel": "chrome"}]
    errors = []
    for kwargs in attempts:
        try:
            return playwright.chromium.launch(args=BROWSER_ARGS, **kwargs)
        except Exception as exc:  # noqa: BLE001 (the next browser, then the fallback)
            errors.append(str(exc).splitlines()[0])
    raise RuntimeError("ブラウザがありません（" + " / ".join(errors) + "）")


def render(items: list[tuple[str, str]], root: Path) -> tuple[list[str | None], str]:
    """Draw each (Mermaid text, label) in one headless browser: the checked SVG text, or
    None where it could not be drawn; and why, when some could not."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [None] * len(
            items
        ), "Playwright が入っていません（python3 scripts/dev.py build が入れます）"
    script = (root / MERMAID_JS).resolve()
    if not script.exists():
        return [None] * len(items), f"{MERMAID_JS.as_posix()} がありません"
    jobs = [{"id": svg_id(key(s, root)), "source": s} for s, _ in items]
    try:
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
            page_file = Path(tmp) / "render.html"
            page_file.write_text(
                '<!doctype html><html lang="ja"><meta charset="utf-8"><body>'
                f'<script src="{script.as_uri()}"></script></body></html>',
                encoding="utf-8",
            )
            browser = _launch(p)
            try:
                page = browser.new_page()
                page.goto(page_file.as_uri())
                page.wait_for_function("() => window.mermaid", timeout=30_000)
                args = {"items": jobs, "config": MERMAID_CONFIG, "fonts": FONT_STACK}
                outcome = page.evaluate(_RENDER_JS, {**args, "timeout": 20_000})
            finally:
                browser.close()
    except Exception as exc:  # noqa: BLE001 (no browser, or it failed: the fallback)
        return [None] * len(items), str(exc).splitlines()[0]
    if "error" in outcome:
        return [None] * len(items), outcome["error"]
    drawn, errors = [], []
    for (_, label), job, result in zip(items, jobs, outcome["results"], strict=True):
        try:
            if "error" in result:
                raise UnsafeSVG(result["error"])
            tree = clean(result["svg"])
            if tree.get("id") != job["id"]:
                raise UnsafeSVG("unexpected id")
            drawn.append(serialise(tree))
        except UnsafeSVG as exc:
            errors.append(f"「{label}」: {exc}")
            drawn.append(None)
    return drawn, "；".join(errors)


# --- commands ----------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    from .data import load_handbook

    root = HERE.parent
    command = argv[0] if argv else "check"
    if command not in {"check", "render", "prune"}:
        print("usage: python -m scripts.diagrams check|render|prune")
        return 2
    handbook = load_handbook(root / "data")
    wanted = {key(s, root): label for s, label in sources(handbook)}
    folder = cache_dir(root)
    if command == "render":
        missing = [(s, label) for s, label in sources(handbook) if not _present(s, root)]
        drawn, reason = render(missing, root) if missing else ([], "")
        for (source, label), svg in zip(missing, drawn, strict=True):
            if svg is not None:
                _write(folder / f"{key(source, root)}.svg", svg)
                print(f"drawn     {label}")
        if reason:
            print(f"not drawn: {reason}")
            return 1
    if command == "prune":
        for path in sorted(folder.glob("*.svg")):
            if path.stem not in wanted:
                path.unlink()
                print(f"removed   {path.name}")
    present = {d for d in wanted if cached_svg(d, root) is not None}
    for digest, label in wanted.items():
        print(f"{'ok' if digest in present else 'MISSING':9} {digest[:12]}  {label}")
    return 0 if present == set(wanted) else 1


def _present(source: str, root: Path) -> bool:
    return cached_svg(key(source, root), root) is not None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
