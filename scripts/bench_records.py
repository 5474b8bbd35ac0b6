"""Records benchmark: what a keystroke costs in a long answer of the 事故対応記録, and how long
importing a long export takes, in Chromium on the built site.

Usage:  python scripts/dev.py bench-records [options]
        (in .venv: python -m scripts.bench_records ...)

  --site DIR         an already built site (default: build this working tree)
  --sizes A,B,...    answer lengths in characters (default 10000,100000,400000)
  --keys N           keystrokes typed at the end of each answer (default 30)
  --notes N          notes in the export imported (default 2000)
  --cpu-throttle R   slow the page down R times (CDP Emulation.setCPUThrottlingRate)

Per answer length: a keystroke from keydown to the next frame after the page handled it
(median and max, ms), the page's own handling of the key (median, ms), the write made after
a pause (ms; the answer is written 400 ms after the last key, not at each key), the 第一報
remade after a pause (ms, to the next frame; 2 s when it is off screen), and the longest
task while typing. Then the
import of an export with N notes and a 400,000-character answer: from choosing the file to
「読み込みました」 with its timeline drawn (ms). Then the merge: four tabs (replicas) that
each added a quarter of N notes to a record they share, merged (HB.crdt.merge, all four),
what a tab does on another tab's write (read the stored text, merge, the view the page
shows), median of several runs (ms). Not a test: the numbers move with the
machine's load (the load average is printed; compare runs made under similar load).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from scripts.sitetools import build_site, launch, serve

PAGE = "/types/malware/"
PAGE_ID = "types/malware"
ANSWER = "[data-hb-record-form] [name='fact-contents']"

# Measured in the page: keydown (capture, first) to the end of the input handlers (a
# listener on document runs after the form's), and to the next frame; the write and the
# 第一報 after a pause; long tasks.
WATCH = """pageId => {
  const w = window.__bench = {keys: [], saves: [], reports: [], long: []};
  let t0 = 0;
  document.addEventListener('keydown', () => { t0 = performance.now(); }, true);
  document.addEventListener('input', () => {
    const start = t0, handled = performance.now();
    requestAnimationFrame(() => setTimeout(() => w.keys.push(
      {handler: handled - start, frame: performance.now() - start}), 0));
  });
  const s = HB.storage.session(pageId);
  const commit = s.commit;
  s.commit = function () {
    const t = performance.now();
    const result = commit.apply(this, arguments);
    w.saves.push(performance.now() - t);
    return result;
  };
  const first = HB.report.firstReport;
  HB.report.firstReport = function () {
    const t = performance.now();
    const text = first.apply(this, arguments);
    requestAnimationFrame(() => setTimeout(() => w.reports.push(performance.now() - t), 0));
    return text;
  };
  new PerformanceObserver(list => list.getEntries().forEach(e => w.long.push(e.duration)))
    .observe({type: 'longtask'});
}"""

SAVED = "pageId => !HB.storage.session(pageId).dirty"

WATCH_IMPORT = """() => {
  const w = window.__import = {start: 0, done: 0};
  document.addEventListener('change', e => {
    if (e.target.matches('[data-hb-import]')) w.start = performance.now();
  }, true);
  const message = document.querySelector('[data-hb-record-message]');
  new MutationObserver(() => {
    if (!w.done && /読み込みました|統合しました/.test(message.textContent)) w.done = performance.now();
  }).observe(message, {childList: true, characterData: true, subtree: true});
}"""


def export(notes: int, answer: int) -> dict:
    """An export of this site (format 2) with notes notes and an answer of answer characters."""
    return {
        "format": "hb-incident-record",
        "version": 2,
        "page": PAGE_ID,
        "id": "bench",
        "name": "ベンチマーク",
        "created": "2026-11-26T09:00:00+09:00",
        "updated": "2026-11-26T09:00:00+09:00",
        "revision": 1,
        "answers": {"fact-contents": "ロ" * answer},
        "notes": [
            {
                "id": f"n{i}",
                "at": f"2026-11-26T{i // 60 % 24:02d}:{i % 60:02d}:00+09:00",
                "text": f"経過メモ {i}",
            }
            for i in range(notes)
        ],
        "steps": {},
    }


def new_page(browser, base: str, throttle: float):
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="ja-JP")
    # Mermaid is not what is measured: a stand-in that never draws.
    context.route(
        "**/assets/vendor/mermaid/mermaid.min.js",
        lambda route: route.fulfill(
            body="window.mermaid={initialize(){},render(){return new Promise(()=>{})}};",
            content_type="text/javascript",
        ),
    )
    page = context.new_page()
    if throttle > 1:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(base + PAGE)
    page.wait_for_selector("[data-hb-module=record][data-hb-mounted='']", state="attached")
    return context, page


def typing(browser, base: str, size: int, keys: int, throttle: float) -> dict:
    context, page = new_page(browser, base, throttle)
    page.evaluate(
        """([sel, n]) => { const el = document.querySelector(sel);
        el.value = 'ロ'.repeat(n); el.dispatchEvent(new Event('input', {bubbles: true})); }""",
        [ANSWER, size],
    )
    page.wait_for_function(SAVED, arg=PAGE_ID)
    page.evaluate(WATCH, PAGE_ID)
    answer = page.locator(ANSWER)
    answer.focus()
    answer.press("Control+End")
    # ASCII keys: each is a real keydown, keypress and input (other text is inserted whole)
    page.keyboard.type(("abcdefghij" * (keys // 10 + 1))[:keys], delay=40)
    page.wait_for_timeout(2500)  # the write and the 第一報 (off screen: 2 s) after the pause
    page.wait_for_function(SAVED, arg=PAGE_ID)
    data = page.evaluate("window.__bench")
    context.close()
    frames = [k["frame"] for k in data["keys"]]
    return {
        "size": size,
        "keys": len(frames),
        "frame_median": statistics.median(frames),
        "frame_max": max(frames),
        "handler_median": statistics.median(k["handler"] for k in data["keys"]),
        "saves": data["saves"],
        "reports": data["reports"],
        "longest": max(data["long"], default=0.0),
    }


def importing(browser, base: str, notes: int, throttle: float, tmp: Path) -> dict:
    path = tmp / "export.json"
    path.write_text(
        json.dumps(export(notes, 400_000), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    context, page = new_page(browser, base, throttle)
    page.evaluate(WATCH_IMPORT)
    page.locator("[data-hb-import]").set_input_files(str(path))
    page.wait_for_function("window.__import.done > 0", timeout=120_000)
    # The timeline is drawn in the same task as the message: wait for the next frame too.
    ms = page.evaluate(
        "new Promise(r => requestAnimationFrame(() => setTimeout(() =>"
        " r(performance.now() - window.__import.start), 0)))"
    )
    shown = page.locator("[data-hb-timeline] li").count()
    context.close()
    return {"notes": notes, "bytes": path.stat().st_size, "ms": ms, "shown": shown}


# Four replicas, each adding n/4 notes to the state they share; timings of the merge.
MERGE = """n => {
  const C = HB.crdt, F = HB.recordFormat, runs = 7;
  const median = xs => xs.sort((a, b) => a - b)[xs.length >> 1];
  const base = F.blank('types/malware', 'bench', '', '');
  C.write(base, 'base', 1, 'name', 'ベンチマーク', '');
  const tabs = [0, 1, 2, 3].map(t => {
    const s = JSON.parse(JSON.stringify(base));
    for (let i = 0; i < n / 4; i++) {
      C.write(s, 'tab' + t, i + 1, 'n:t' + t + 'i' + i,
        {at: '2026-11-26T10:00:00+09:00', text: '経過メモ ' + t + '-' + i}, '2026-11-26T10:00:00+09:00');
    }
    return s;
  });
  const all = () => tabs.reduce((a, b) => F.merge(a, b));
  const merged = all();
  const raw = JSON.stringify(merged);
  const time = fn => median([...Array(runs)].map(() => { const t = performance.now(); fn(); return performance.now() - t; }));
  return {
    notes: Object.keys(merged.items).filter(k => k.startsWith('n:')).length,
    bytes: raw.length,
    mergeAll: time(all),
    mergeTwo: time(() => F.merge(merged, tabs[0])),
    incoming: time(() => {
      const theirs = F.read(JSON.parse(raw)).doc;
      C.view(F.merge(tabs[1], theirs));
    }),
    write: time(() => JSON.stringify(F.merge(merged, tabs[2]))),
  };
}"""


def merging(browser, base: str, notes: int, throttle: float) -> dict:
    context, page = new_page(browser, base, throttle)
    result = page.evaluate(MERGE, notes)
    context.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path)
    parser.add_argument("--sizes", default="10000,100000,400000")
    parser.add_argument("--keys", type=int, default=30)
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--cpu-throttle", type=float, default=1.0)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        site = args.site
        if site is None:
            site = tmp / "site"
            result = build_site(site)
            if result.returncode:
                print(result.stdout + result.stderr)
                return 1
        httpd, base = serve(site)
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                load = os.getloadavg() if hasattr(os, "getloadavg") else None
                if load:
                    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
                print(f"keystrokes in a long answer ({args.keys} keys each, ms):")
                print(
                    f"  {'answer':>9}  {'key→frame median':>16}  {'max':>6}  {'handler':>7}"
                    f"  {'write':>6}  {'第一報':>6}  {'longest task':>12}"
                )
                for size in sizes:
                    r = typing(browser, base, size, args.keys, args.cpu_throttle)
                    print(
                        f"  {r['size']:>9,}  {r['frame_median']:>16.1f}  {r['frame_max']:>6.1f}"
                        f"  {r['handler_median']:>7.2f}  {max(r['saves'], default=0):>6.1f}"
                        f"  {max(r['reports'], default=0):>6.1f}  {r['longest']:>12.1f}"
                    )
                r = importing(browser, base, args.notes, args.cpu_throttle, tmp)
                print(
                    f"import of an export with {r['notes']:,} notes and a 400,000-character answer"
                    f" ({r['bytes'] / 1e6:.1f} MB): {r['ms']:.0f} ms to 「読み込みました」"
                    f" and its timeline ({r['shown']:,} lines)"
                )
                m = merging(browser, base, args.notes, args.cpu_throttle)
                print(
                    f"merge of {m['notes']:,} notes added across 4 tabs ({m['bytes'] / 1e6:.2f} MB stored),"
                    f" median ms: all four {m['mergeAll']:.1f}, two {m['mergeTwo']:.1f},"
                    f" another tab's write read+merged+shown {m['incoming']:.1f},"
                    f" merge+text to write {m['write']:.1f}"
                )
                browser.close()
        finally:
            httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
