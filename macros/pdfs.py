"""The PDFs of the print page (docs/pdf/, written by scripts/make_pdf.py) are published
only while they match what they were made from: the data, the templates, the print
stylesheet and the site's address. A stale or incomplete set is left out of the build,
and the print page says why, so that no sheet with old steps or numbers goes out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST = "manifest.json"
PRINT_SET = "handbook-print-set.pdf"


def sources(root: Path) -> list[Path]:
    """What a printed sheet is made from (published-steps.yml is not: it prints nothing)."""
    data = [p for p in sorted((root / "data").rglob("*.yml")) if p.name != "published-steps.yml"]
    templates = sorted((root / "macros" / "templates").iterdir())
    return [*data, *templates, root / "docs" / "assets" / "stylesheets" / "print.css"]


def fingerprint(root: Path, site_url: str) -> str:
    digest = hashlib.sha256(site_url.encode("utf-8"))
    for path in sources(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def expected_files(type_ids) -> list[str]:
    return [*(f"{type_id}.pdf" for type_id in type_ids), PRINT_SET]


def write_manifest(pdf_dir: Path, root: Path, site_url: str, edition: str, files) -> None:
    manifest = {"fingerprint": fingerprint(root, site_url), "edition": edition, "files": files}
    (pdf_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")


def status(pdf_dir: Path, root: Path, site_url: str, type_ids) -> tuple[list[str], str | None]:
    """(PDF files to link, notice for the print page). No PDFs: nothing and no notice."""
    present = sorted(p.name for p in pdf_dir.glob("*.pdf")) if pdf_dir.is_dir() else []
    if not present:
        return [], None
    notice = (
        "印刷用のPDFは、今のデータや公開先のアドレスと合わない（古い、または足りない）ため"
        "載せていません。このページを印刷するか、python3 scripts/dev.py pdf で作り直してください。"
    )
    try:
        manifest = json.loads((pdf_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], notice
    wanted = expected_files(type_ids)
    if manifest.get("fingerprint") != fingerprint(root, site_url) or not set(wanted) <= set(
        present
    ):
        return [], notice
    return wanted, None
