"""The PDFs of the print page (docs/pdf/, written by scripts/make_pdf.py) are published
only while they match what they were made from. docs/pdf/manifest.json records it: the
site's address (normalised: "http://host/handbook" and "http://host/handbook/" are the same
address, as MkDocs itself reads them), a sha256 of every file that shapes a printed sheet
(the data, the templates, the pages' code and styles) and of every PDF.

A build links the whole set or none of it (a sheet with old steps or numbers never goes
out). What then happens depends on the build (hooks.on_files, HB_PDFS):
  plain build    links a matching set; else none, the print page says so and the terminal
                 says why, with the command that makes them again
  deploy build   (build --gzip / --deploy, offline: HB_PDFS=required) stops unless the set
                 matches: a published site has its PDFs, or says it has none (--no-pdf)
  --no-pdf       (HB_PDFS=none) links no PDF, whatever docs/pdf/ holds
  serve          as a plain build; its address is the preview's, not where the pages
                 will be published, so it compares SITE_URL when that is set, else only
                 the content
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .words import WORDS

MANIFEST = "manifest.json"
PRINT_SET = "handbook-print-set.pdf"
FORMAT = 2  # manifest format; older manifests (no per-file hashes) count as stale
DEFAULT_SITE_URL = "http://localhost/"  # mkdocs.yml's default
# Shown on the print page instead of the PDFs (print-set.md).
NOTICE = WORDS["page"]["print_pdf_notice"]
# What a printed sheet is made from, relative to the project (published-steps.yml prints
# nothing; data/schema and data/README.md neither).
SOURCE_DIRS = [
    ("data", "**/*.yml"),
    ("macros", "*.py"),
    ("macros/pages", "*"),
    # A component's template, script, style and words; not its examples or tests.
    ("components", "*/*.html"),
    ("components", "*/*.md"),
    ("components", "*/*.js"),
    ("components", "*/*.css"),
    ("components", "*/words.yml"),
    ("overrides", "**/*"),
    ("docs/assets/javascripts", "**/*.js"),
]
SOURCE_FILES = ["mkdocs.yml", "docs/print.md"]
NOT_SOURCES = {"data/published-steps.yml"}


def normalise_url(url: str | None) -> str:
    """The address as MkDocs uses it: surrounding blanks off, a final "/" (its site_url
    option adds one); no address: mkdocs.yml's default."""
    url = (url or "").strip() or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def sources(root: Path) -> list[Path]:
    found: set[Path] = set()
    for folder, pattern in SOURCE_DIRS:
        found.update(p for p in (root / folder).glob(pattern) if p.is_file())
    found.update(root / name for name in SOURCE_FILES if (root / name).is_file())
    return sorted(
        p
        for p in found
        if "__pycache__" not in p.parts and p.relative_to(root).as_posix() not in NOT_SOURCES
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _sha256(p) for p in sources(root)}


def expected_files(type_ids) -> list[str]:
    return [*(f"{type_id}.pdf" for type_id in type_ids), PRINT_SET]


def manifest_for(root: Path, site_url: str, edition: str, pdf_dir: Path, files) -> dict:
    return {
        "format": FORMAT,
        "site_url": normalise_url(site_url),
        "edition": edition,
        "sources": source_hashes(root),
        "files": {name: _sha256(pdf_dir / name) for name in files},
    }


def write_manifest(pdf_dir: Path, manifest: dict) -> None:
    (pdf_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")


def command(site_url: str | None) -> str:
    """The command that makes the set again, for this address (POSIX shells; PowerShell)."""
    url = normalise_url(site_url)
    return (
        f"SITE_URL={url} python3 scripts/dev.py pdf"
        f'（Windows PowerShell: $env:SITE_URL="{url}"; py scripts\\dev.py pdf）'
    )


@dataclass
class Status:
    files: list[str] = field(default_factory=list)  # the PDFs to link (all or none)
    reasons: list[str] = field(default_factory=list)  # why none, for the terminal
    present: bool = False  # docs/pdf/ holds PDFs at all
    made_for: str | None = None  # the address in the manifest

    @property
    def fresh(self) -> bool:
        return bool(self.files)

    @property
    def notice(self) -> str | None:
        """For the print page: only when PDFs are there but cannot be linked."""
        return NOTICE if self.present and not self.fresh else None

    def message(self, site_url: str | None) -> str:
        """Why no PDF is linked, and the exact command that fixes it (Japanese)."""
        if not self.present:
            return f"印刷用の PDF（docs/pdf/）がありません。\n  作るコマンド: {command(site_url)}"
        head = "印刷用の PDF（docs/pdf/）はこのビルドと合わないため載せられません: "
        return f"{head}{'。'.join(self.reasons)}。\n  作り直すコマンド: {command(site_url)}"


def status(pdf_dir: Path, root: Path, site_url: str | None, type_ids) -> Status:
    """Which PDFs a build for site_url may link. site_url None: the address is not
    compared (serve without SITE_URL)."""
    present = sorted(p.name for p in pdf_dir.glob("*.pdf")) if pdf_dir.is_dir() else []
    if not present:
        return Status()
    state = Status(present=True)
    try:
        manifest = json.loads((pdf_dir / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError
    except (OSError, ValueError):
        state.reasons.append(
            f"PDF を作ったときの記録（{pdf_dir.name}/{MANIFEST}）がないか、古い形式です"
        )
        return state
    made_for = state.made_for = manifest.get("site_url")
    if site_url is not None and made_for != normalise_url(site_url):
        state.reasons.append(
            f"PDF は {made_for} 用に作られていますが、このビルドの SITE_URL は "
            f"{normalise_url(site_url)} です"
        )
    recorded, now = manifest.get("sources", {}), source_hashes(root)
    changed = sorted(n for n in recorded.keys() | now.keys() if recorded.get(n) != now.get(n))
    if changed:
        more = f" ほか {len(changed) - 5} 件" if len(changed) > 5 else ""
        state.reasons.append(f"PDF を作った後に変わったファイル: {'、'.join(changed[:5])}{more}")
    wanted = expected_files(type_ids)
    missing = [n for n in wanted if n not in present]
    if missing:
        state.reasons.append(f"足りない PDF: {'、'.join(missing)}")
    files = manifest.get("files", {})
    altered = [n for n in wanted if n in present and files.get(n) != _sha256(pdf_dir / n)]
    if altered:
        state.reasons.append(f"作ったときと中身が違う PDF: {'、'.join(altered)}")
    if not state.reasons:
        state.files = wanted
    return state


def required() -> str:
    """HB_PDFS: "required" (deploy builds), "none" (--no-pdf) or "" (link if they match)."""
    value = os.environ.get("HB_PDFS", "").strip().lower()
    if value not in {"", "required", "none"}:
        raise ValueError(f"HB_PDFS={value!r}: required, none or unset")
    return value
