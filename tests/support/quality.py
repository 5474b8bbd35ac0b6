"""Accessibility (axe) of a page, and waiting until its animations have settled."""

from axe_playwright_python.sync_playwright import Axe


def axe_problems(page, where: str) -> list[str]:
    return [
        f"{where}: {v['id']} ({v['impact']}) — {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# The scroll event (and so the fade) may start a frame or two after the tick: wait for
# frames with no finite animation running, not only for the animations already started.
SETTLED = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (let i = 0; i < 20; i++) {
    await frame();
    const running = document.getAnimations().filter(
      a => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity);
    if (!running.length) return true;
    await Promise.all(running.map(a => a.finished.catch(() => null)));
  }
  return true;
}"""
