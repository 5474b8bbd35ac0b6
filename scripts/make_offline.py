"""Build the offline edition: a zip of the site that works when unzipped and opened from a
shared folder or a USB stick (file://), with search, diagrams and checklists.

Usage:  python scripts/dev.py offline [ZIP] [--no-pdf] [--client-diagrams]
        (in .venv: python -m scripts.make_offline)
Default: dist/handbook-offline.zip. Open index.html in the unzipped folder.
As a build to publish, it stops unless the PDFs of docs/pdf/ match it (python3 scripts/dev.py
pdf with the same SITE_URL) or --no-pdf says it carries none; --client-diagrams as for
`build` (scripts/sitetools.py).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.sitetools import build_site

ROOT = Path(__file__).resolve().parent.parent


DEFAULT_ZIP = ROOT / "dist" / "handbook-offline.zip"
FOLDER = "handbook"  # the folder inside the zip


def build_offline(
    zip_path: Path = DEFAULT_ZIP,
    pdfs: str = "",
    client_diagrams: bool = False,
    project: Path | None = None,
) -> Path:
    """Build with Material's offline plugin (see mkdocs.yml) and zip it. pdfs and
    client_diagrams: as for build_site (the command asks for matching PDFs)."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / FOLDER
        build_site(
            site,
            project or ROOT,
            offline=True,
            check=True,
            capture=False,
            quiet=True,
            pdfs=pdfs,
            client_diagrams=client_diagrams,
        )
        # A file:// folder never shows a 404 page (and its links assume a server's root).
        (site / "404.html").unlink()
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        archive = shutil.make_archive(str(zip_path.with_suffix("")), "zip", tmp, FOLDER)
    return Path(archive)


def main(argv: list[str]) -> int:
    options = {"--no-pdf", "--client-diagrams"}
    paths = [a for a in argv if not a.startswith("-")]
    if len(paths) > 1 or any(a.startswith("-") and a not in options for a in argv):
        print(__doc__)
        return 2
    try:
        path = build_offline(
            Path(paths[0]) if paths else DEFAULT_ZIP,
            pdfs="none" if "--no-pdf" in argv else "required",
            client_diagrams="--client-diagrams" in argv,
            project=ROOT,
        )
    except subprocess.CalledProcessError as exc:
        return exc.returncode  # the build said why
    print(f"wrote {path} (unzip it and open {FOLDER}/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
