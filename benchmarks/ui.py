"""First paint of ``/__admin/ui`` in headless Chromium with many conversations served, against
the same page with few, in one run.

Run: ``python benchmarks/ui.py [--count 10000] [--baseline 200] [--repeat 5]``. For each server
(``--baseline`` and ``--count`` conversations, small world, frozen clock) it loads the page
``--repeat`` times in a fresh tab and prints the median milliseconds from navigation to

- the first contentful paint (the page's frame and filters), and
- the list drawn (the first page of conversations fetched from the server and rendered), and
- a conversation's timeline drawn (``#c=ID``: its SVG fetched and inlined),

and the ratio of the large server's figures to the baseline's (the list is paged on the server,
so it should stay near 1; the target is a list drawn under 1 s at 10,000).

Needs Playwright and Debian's ``chromium`` (``/usr/bin/chromium``), as the browser test does.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
T0 = 1_793_491_200_000

_FIGURES_JS = """() => ({
  firstContentfulPaint: Math.round(
    performance.getEntriesByName('first-contentful-paint')[0].startTime),
  listDrawn: Math.round(performance.getEntriesByName('gcmock:list')[0].startTime),
  rows: document.querySelectorAll('#conversations tbody tr').length,
  total: /of (\\d+) conversations/.exec(document.querySelector('#page-info').textContent)[1],
})"""


def first_paint(page: Any, url: str) -> dict[str, Any]:
    """Milliseconds from navigation to the first contentful paint and to the list drawn."""
    page.goto(f"{url}/__admin/ui")
    page.wait_for_function("performance.getEntriesByName('gcmock:list').length > 0")
    figures: dict[str, Any] = page.evaluate(_FIGURES_JS)
    return figures


def timeline_drawn(page: Any, url: str, conversation_id: str) -> float:
    """Milliseconds from navigation to the conversation's timeline in the page."""
    page.goto(f"{url}/__admin/ui#c={conversation_id}")
    page.wait_for_selector("#timeline svg .bar")
    ms: float = page.evaluate("performance.now()")
    return ms


def measure(browser: Any, count: int, repeat: int) -> dict[str, float]:
    from gcmock.mockserver import ServerConfig, create_app
    from gcmock.mockserver.serve import BackgroundServer
    from gcmock.mockserver.state import current

    app = create_app(
        ServerConfig(seed=5, conversations=count, world_size="small", start_ms=T0, frozen=True)
    )
    with app.app_context():
        cid = current().store.by_start()[0].conv.id
    runs: dict[str, list[float]] = {"firstContentfulPaint": [], "listDrawn": [], "timeline": []}
    with BackgroundServer(app) as server:
        warm = browser.new_page()  # the server's first read of each conversation is not timed
        first_paint(warm, server.url)
        warm.close()
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            figures = first_paint(page, server.url)
            assert figures["total"] == str(count), figures
            runs["firstContentfulPaint"].append(figures["firstContentfulPaint"])
            runs["listDrawn"].append(figures["listDrawn"])
            page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            runs["timeline"].append(timeline_drawn(page, server.url, cid))
            page.close()
    return {key: statistics.median(values) for key, values in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        base = measure(browser, args.baseline, args.repeat)
        big = measure(browser, args.count, args.repeat)
        browser.close()
    print(f"{'median ms':<22}{args.baseline:>10,}{args.count:>10,}{'ratio':>8}")
    for key in base:
        print(f"{key:<22}{base[key]:>10.0f}{big[key]:>10.0f}{big[key] / base[key]:>8.2f}")


if __name__ == "__main__":
    main()
