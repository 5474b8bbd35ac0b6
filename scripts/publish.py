"""Copy a build into the server's folder so that the folder holds exactly that build:
new and changed files copied, files the build no longer has deleted (an old PDF, the page
of a removed type, a .gz that would be sent instead of its changed file). Copying site/
over the folder would leave them reachable.

Usage:  python scripts/dev.py publish DEST [--site DIR] [--dry-run]
        (in .venv: python -m scripts.publish DEST ...)
  DEST       the server's folder (e.g. /var/www/handbook, \\\\server\\share\\handbook)
  --site     the build to publish (default site/, from `build --gzip`)
  --dry-run  list what would change, change nothing
DEST must be empty, missing, or hold a build of this handbook already (its index.html,
sitemap.xml and search index): any other folder is refused, nothing in it deleted.
Kept in DEST although the build has no such file: KEEP (IIS's web.config, which the
administrator copies in from deploy/iis/).
"""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEEP = {"web.config"}
# What every build of the handbook has at its top: a folder with them is one of ours.
MARKERS = ["index.html", "sitemap.xml", "search/search_index.json"]


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def plan(site: Path, dest: Path) -> tuple[list[str], list[str], list[str]]:
    """(added, changed, removed) file paths, relative, for making dest equal to site."""
    new = _files(site)
    old = _files(dest) if dest.is_dir() else set()
    added = sorted(new - old)
    changed = sorted(n for n in new & old if not filecmp.cmp(site / n, dest / n, shallow=False))
    removed = sorted(n for n in old - new if n not in KEEP)
    return added, changed, removed


class Refused(Exception):
    pass


def check_folders(site: Path, dest: Path) -> None:
    if not all((site / m).is_file() for m in MARKERS):
        raise Refused(
            f"{site} にビルドがありません。先に python3 scripts/dev.py build --gzip を実行してください。"
        )
    if dest.exists() and not dest.is_dir():
        raise Refused(f"{dest} はフォルダではありません。")
    if dest.resolve() == site.resolve() or site.resolve() in dest.resolve().parents:
        raise Refused(f"{dest} はビルドのフォルダ（{site}）の中です。")
    if dest.is_dir() and any(dest.iterdir()):
        if not all((dest / m).is_file() for m in MARKERS):
            raise Refused(
                f"{dest} は空でなく、このハンドブックの公開フォルダにも見えません"
                f"（{'・'.join(MARKERS)} がない）。中のファイルを消さないよう、何もしません。"
                "空のフォルダか、前に公開したフォルダを指定してください。"
            )


def publish(site: Path, dest: Path, dry_run: bool = False) -> tuple[list[str], ...]:
    """Make dest hold exactly the build in site (KEEP aside). Returns (added, changed,
    removed). Copies keep the build's modification times (the servers' Last-Modified)."""
    check_folders(site, dest)
    added, changed, removed = plan(site, dest)
    if dry_run:
        return added, changed, removed
    dest.mkdir(parents=True, exist_ok=True)
    for name in [*added, *changed]:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(site / name, target)
    for name in removed:
        (dest / name).unlink()
    # Folders left empty (a removed type's page folder), deepest first.
    for folder in sorted((p for p in dest.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    return added, changed, removed


def main(argv: list[str]) -> int:
    args = list(argv)
    dry_run = "--dry-run" in args
    args = [a for a in args if a != "--dry-run"]
    site = ROOT / "site"
    if "--site" in args:
        i = args.index("--site")
        if i + 1 >= len(args):
            print(__doc__)
            return 2
        site = Path(args[i + 1])
        del args[i : i + 2]
    if len(args) != 1 or args[0].startswith("-"):
        print(__doc__)
        return 2
    dest = Path(args[0])
    try:
        added, changed, removed = publish(site.resolve(), dest, dry_run)
    except Refused as exc:
        print(exc)
        return 1
    verb = "（--dry-run: 変更していません）" if dry_run else ""
    print(f"{dest}: 追加 {len(added)}・更新 {len(changed)}・削除 {len(removed)} 件{verb}")
    for name in removed:
        print(f"  削除: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
