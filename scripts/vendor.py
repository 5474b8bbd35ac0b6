"""Refresh the libraries the browser needs, kept in the repository (closed intranet: no CDN).

Usage:  python scripts/vendor.py [NAME[@VERSION] ...]      (needs Node.js's npm on PATH)

Without arguments, every package below at its recorded version. Each is fetched with
`npm pack` from the npm registry configured for npm; the listed files are copied into
docs/assets/vendor/<name>/ with the licence, and the version is written to VERSION.
After changing a version here, run the tests (diagrams, offline edition).
"""

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "docs" / "assets" / "vendor"
PACKAGES = {
    # Diagrams (components/diagram/diagram.js loads it on pages that have one).
    "mermaid": ("12.3.0", {"dist/mermaid.min.js": "mermaid.min.js", "LICENSE": "LICENSE"}),
    # Web Worker shim for file:// (search in the offline edition; mkdocs.yml extra.polyfills).
    "iframe-worker": ("1.0.4", {"shim/index.js": "shim.js", "LICENSE": "LICENSE"}),
}


def vendor(name: str, version: str) -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to refresh the vendored libraries (install Node.js)")
    files = PACKAGES[name][1]
    with tempfile.TemporaryDirectory() as tmp:
        out = (
            subprocess.run(
                [npm, "pack", f"{name}@{version}", "--silent"],
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
        dest = VENDOR / name
        dest.mkdir(parents=True, exist_ok=True)
        for source, target in files.items():
            shutil.copy(Path(tmp) / "package" / source, dest / target)
    (dest / "VERSION").write_text(f"{name} {version}\n", encoding="utf-8")
    print(f"vendored {name} {version} into {dest}")


def main(argv: list[str]) -> int:
    wanted = argv or [f"{name}@{version}" for name, (version, _) in PACKAGES.items()]
    for spec in wanted:
        name, _, version = spec.partition("@")
        if name not in PACKAGES:
            sys.exit(f"unknown package {name!r}; known: {', '.join(PACKAGES)}")
        vendor(name, version or PACKAGES[name][0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
