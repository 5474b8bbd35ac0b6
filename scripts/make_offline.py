"""Build the offline edition: a zip of the site that works when unzipped and opened from a
shared folder or a USB stick (file://), with search, diagrams and checklists.

Usage:  python scripts/dev.py offline [ZIP]   (in .venv: python -m scripts.make_offline)
Default: dist/handbook-offline.zip. Open index.html in the unzipped folder.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from scripts.sitetools import build_site

ROOT = Path(__file__).resolve().parent.parent


DEFAULT_ZIP = ROOT / "dist" / "handbook-offline.zip"
FOLDER = "handbook"  # the folder inside the zip


def build_offline(zip_path: Path = DEFAULT_ZIP) -> Path:
    """Build with Material's offline plugin (see mkdocs.yml) and zip it."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / FOLDER
        build_site(site, offline=True, check=True, capture=False, quiet=True)
        # A file:// folder never shows a 404 page (and its links assume a server's root).
        (site / "404.html").unlink()
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        archive = shutil.make_archive(str(zip_path.with_suffix("")), "zip", tmp, FOLDER)
    return Path(archive)


def main(argv: list[str]) -> int:
    path = build_offline(Path(argv[0]) if argv else DEFAULT_ZIP)
    print(f"wrote {path} (unzip it and open {FOLDER}/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
