"""One entry point for editors and CI; needs only Python 3.11.5+ (Windows: use `py`).

    python scripts/dev.py serve   install the site's packages into .venv and serve it
    python scripts/dev.py test    install everything the tests need and run them
    python scripts/dev.py build [DIR]   build the site into site/ (or DIR)
    python scripts/dev.py check   validate data/ only (fast, no browser)
    python scripts/dev.py bench-search [QUERIES.tsv]   search hit rates and latency
    python scripts/dev.py bench   build time, bytes per page, search figures
    python scripts/dev.py pdf     write the printable checklists as PDF (docs/pdf/, site/pdf/)
    python scripts/dev.py offline build the offline edition (dist/handbook-offline.zip)
    python scripts/dev.py publish DEST   site/ を公開先のフォルダへ写す（ビルドにないファイルは消す）
    python scripts/dev.py data-reference   write data/README.md from the JSON Schemas
    python scripts/dev.py fidelity [--site DIR] [--out FILE]   原本対照表 (fidelity-report.md)
    python scripts/dev.py fidelity --check [--site DIR]       原本との違いがあれば失敗
    python scripts/dev.py lock    refresh requirements*.txt from requirements*.in
                                  (`lock --upgrade`: also move the unpinned dependencies)

Packages go into .venv/ beside this project, exactly as locked (with hashes) in
requirements.txt (the site) and requirements-test.txt (the tests); the project folder is
importable there (`import macros`, `import scripts.sitetools`), so the scripts run as
modules (`python -m scripts.make_pdf`) and as files. For the browser tests Chromium is needed:
Debian's `chromium` (installed here with apt-get when missing and possible) or
Playwright's own browser (`python -m playwright install chromium` where it can download).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
# Oldest Python the locks allow (pymdown-extensions needs 3.11.5); also given to the lock tool.
MIN_PYTHON = (3, 11, 5)
# The lock tool: one binary, resolves for every platform at once (`--universal`: Windows-only
# dependencies stay in the lock) and hashes every file of each release. Only `lock` uses it.
UV = "uv==0.13.9"
# lock file -> the human-edited file it is generated from (requirements.txt first: the test
# lock takes its shared versions from it)
LOCKS = {"requirements.txt": "requirements.in", "requirements-test.txt": "requirements-test.in"}


def run(*args, **kwargs) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def create_venv() -> None:
    if not PYTHON.exists():
        print(f"{VENV} を作ります", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)


def link_project() -> None:
    """Make the project folder importable in .venv: a .pth file in its site-packages naming
    the folder, which is what an editable install leaves behind. Not `pip install -e .`:
    that needs a build backend (setuptools, fetched unlocked and unhashed) and pip refuses
    editable requirements in hash-checking mode. MkDocs loads macros/hooks.py by path, and
    pytest and the scripts run from other folders: all of them find `macros` and `scripts`
    through this file, with no sys.path edits."""
    site_packages = subprocess.run(
        [PYTHON, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    pth = Path(site_packages) / "handbook-project.pth"
    line = f"{ROOT}\n"
    # Python before 3.13 reads .pth files in the locale's encoding (a Japanese folder name).
    if not pth.exists() or pth.read_text(encoding="locale") != line:
        pth.write_text(line, encoding="locale")


def install(requirements: str) -> None:
    """Create .venv and install a lock file, skipping when it has not changed since."""
    create_venv()
    link_project()
    req = ROOT / requirements
    stamp = VENV / f".installed-{req.stem}"
    digest = hashlib.sha256(req.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    # Every package is pinned with its hashes: pip checks each download against them.
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "-q",
        "--require-hashes",
        "-r",
        req,
    )
    stamp.write_text(digest)


def lock(args: list[str]) -> None:
    """Write each lock from its .in file: every package pinned, with the hashes of all its
    files (wheels for Linux, Windows and macOS, and the sdist). Pins already in a lock are
    kept unless the .in file asks otherwise or args has --upgrade (or -P NAME)."""
    create_venv()
    has_uv = subprocess.run([PYTHON, "-m", "uv", "--version"], capture_output=True)
    if has_uv.returncode != 0:
        run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", UV)
    for out, source in LOCKS.items():
        run(
            PYTHON,
            "-m",
            "uv",
            "pip",
            "compile",
            "--quiet",
            "--universal",
            "--python-version",
            ".".join(map(str, MIN_PYTHON)),
            "--generate-hashes",
            "--custom-compile-command",
            "python3 scripts/dev.py lock",
            source,
            "-o",
            out,
            *args,
        )


def ensure_chromium() -> None:
    """Debian's Chromium, its headless-only build (what the tests and scripts drive when
    present: scripts/sitetools.chromium_executable) and Japanese fonts when missing (as
    root with apt-get)."""
    has_browser = bool(shutil.which("chromium") or shutil.which("chromium-browser"))
    apt, dpkg = shutil.which("apt-get"), shutil.which("dpkg")
    if not (apt and dpkg and hasattr(os, "geteuid") and os.geteuid() == 0):
        if not has_browser:
            print(
                "Chromium が見つかりません。テストは Playwright のブラウザを使います"
                "（入れるには: python -m playwright install chromium）",
                flush=True,
            )
        return
    missing = [] if has_browser else ["chromium"]
    # Japanese fonts for pages and PDFs (the printed sheets are checked as text).
    fonts = subprocess.run([dpkg, "-s", "fonts-noto-cjk"], capture_output=True)
    if fonts.returncode != 0:
        missing.append("fonts-noto-cjk")
    shell = [] if shutil.which("chromium-headless-shell") else ["chromium-headless-shell"]
    if not (missing or shell):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(apt, "update", "-qq")
    if missing:
        run(apt, "install", "-y", "-qq", *missing, env=env)
    if shell:
        # Optional: without it (an older Debian), the full Chromium runs the tests, slower.
        done = subprocess.run([apt, "install", "-y", "-qq", *shell], env=env)
        if done.returncode != 0:
            print(
                "chromium-headless-shell を入れられませんでした。通常の Chromium を使います",
                flush=True,
            )


def ensure_web_servers() -> None:
    """nginx and Apache for tests/test_deploy.py, which runs deploy/'s files in them on
    127.0.0.1 (TRACE refused, headers, gzip): installed when missing, as root with apt-get.
    RUNLEVEL=1: Debian's package scripts then leave the services stopped."""
    apt = shutil.which("apt-get")
    if not (apt and hasattr(os, "geteuid") and os.geteuid() == 0):
        return
    missing = [
        package
        for package, binary in (("nginx", "nginx"), ("apache2", "apache2"))
        if not (shutil.which(binary) or Path("/usr/sbin", binary).exists())
    ]
    if not missing:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "RUNLEVEL": "1"}
    done = subprocess.run([apt, "install", "-y", "-qq", *missing], env=env)
    if done.returncode != 0:
        print(
            f"{' と '.join(missing)} を入れられませんでした（tests/test_deploy.py の一部を飛ばします）"
        )


def serve(address: str) -> None:
    """`mkdocs serve` as a child that never outlives this process: Ctrl+C or a kill of
    this PID (SIGTERM) stops it too, so the port is free again."""
    args = [str(PYTHON), "-m", "mkdocs", "serve", "-a", address]
    print("+", " ".join(args), flush=True)
    child = subprocess.Popen(args, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    def stop(*_):
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
        sys.exit(0)

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, stop)
    try:
        # Polled, not child.wait(): a blocking wait holds the lock stop()'s own wait needs,
        # so a SIGTERM would always wait out its 10 s before mkdocs was seen to end.
        while child.poll() is None:
            time.sleep(0.2)
    except KeyboardInterrupt:
        stop()


# What `python3 scripts/dev.py` (or `help`) prints: the commands, in Japanese.
USAGE = """使い方: python3 scripts/dev.py <コマンド>   （Windows: py scripts\\dev.py <コマンド>）

  serve            必要なものを .venv に入れてサイトを表示する（http://127.0.0.1:8000/）
  test             テストに必要なものを入れてテストを実行する（test tests/test_X.py で一部だけ）
  build [DIR]      site/（または DIR）にサイトを書き出す
  check            data/ の検証だけを行う（数秒、ブラウザ不要）
  check --record   新しい版を公開するとき: 手順の id と文言を data/published-steps.yml に記録する
                   （先に data/revisions.yml の先頭に新しい版を書く）
  pdf              印刷用チェックリストを PDF にする（docs/pdf/ と site/pdf/）
  offline          オフライン版を作る（dist/handbook-offline.zip）
  data-reference   data/README.md（データの書き方）を data/schema/ から作り直す
  fidelity         原本対照表 fidelity-report.md を作る（--site DIR、--out FILE）
  bench            ビルド時間・各ページの転送量・検索の数値を表示する
  bench-search     検索の精度と応答時間を表示する（[質問ファイル.tsv]）
  diagrams         図の SVG の確認・作成・不要分の削除（check|render|prune）
  lock             requirements*.in からロックファイルを作り直す（lock --upgrade: 依存先も最新に）
"""

# command -> (module in scripts/, whether it drives Chromium)
SCRIPTS = {
    # build and offline draw the diagrams that have no SVG yet: Playwright and Chromium, as
    # for the tests (macros/diagrams.py; without them the build stops, see --client-diagrams).
    "build": ("sitetools", True),
    "check": ("check_data", False),
    "data-reference": ("data_reference", False),
    "fidelity": ("fidelity", False),
    "offline": ("make_offline", True),
    "publish": ("publish", False),
    "pdf": ("make_pdf", True),
    "bench": ("bench", True),
    "bench-search": ("bench_search", True),
    "bench-records": ("bench_records", True),
    "diagrams": ("diagrams", True),
}


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    rest = argv[1:]
    if sys.version_info < MIN_PYTHON:
        print(
            f"Python {'.'.join(map(str, MIN_PYTHON))} 以上が必要です（この Python は {sys.version}）"
        )
        return 2
    if command == "serve":
        install("requirements.txt")
        serve(rest[0] if rest else "127.0.0.1:8000")
    elif command == "lock":
        lock(rest)
    elif command == "test":
        install("requirements-test.txt")
        ensure_chromium()
        ensure_web_servers()
        run(PYTHON, "-m", "ruff", "check", ".")
        run(PYTHON, "-m", "ruff", "format", "--check", ".")
        run(PYTHON, "-m", "pytest", *rest)
    elif command in SCRIPTS:
        module, needs_browser = SCRIPTS[command]
        install("requirements-test.txt" if needs_browser else "requirements.txt")
        if needs_browser:
            ensure_chromium()
        run(PYTHON, "-m", f"scripts.{module}", *rest)
    else:
        print(USAGE)
        return 0 if command == "help" else 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
