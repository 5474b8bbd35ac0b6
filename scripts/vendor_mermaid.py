"""Refresh the vendored Mermaid (the site runs on a closed intranet: no CDN).

Usage:  python scripts/vendor_mermaid.py [VERSION]     (needs Node.js's npm on PATH)

Fetches the package with `npm pack` from the npm registry configured for npm,
and copies dist/mermaid.min.js and the licence into docs/assets/vendor/mermaid/,
recording the version in VERSION.
"""

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

DEST = Path(__file__).resolve().parent.parent / "docs" / "assets" / "vendor" / "mermaid"
DEFAULT_VERSION = "12.3.0"


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_VERSION
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to refresh Mermaid (install Node.js)")
    with tempfile.TemporaryDirectory() as tmp:
        out = (
            subprocess.run(
                [npm, "pack", f"mermaid@{version}", "--silent"],
                cwd=tmp,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        with tarfile.open(Path(tmp) / out) as tar:
            tar.extractall(tmp, filter="data")
        package = Path(tmp) / "package"
        DEST.mkdir(parents=True, exist_ok=True)
        shutil.copy(package / "dist" / "mermaid.min.js", DEST / "mermaid.min.js")
        shutil.copy(package / "LICENSE", DEST / "LICENSE")
    (DEST / "VERSION").write_text(f"mermaid {version}\n", encoding="utf-8")
    print(f"vendored mermaid {version} into {DEST}")


if __name__ == "__main__":
    main()
