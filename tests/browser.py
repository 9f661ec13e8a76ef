"""Real-browser inspection of pages: Debian's Chromium driven by Playwright.

`inspect()` loads one page the way a reader's browser does and reports what
went wrong: console errors, failed or third-party requests, Content-Security-
Policy violations, horizontal scrolling. `axe_violations()` runs axe-core.
The tests in test_browser.py use both on every template type, and on a page
broken on purpose, so each check is seen to fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import os
from pathlib import Path

from playwright.sync_api import Browser, Page, Route

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless as root, and no background traffic: the machine has no network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@dataclass
class PageReport:
    """What a reader's browser met on one page."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    third_party_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Return every problem, labelled, or an empty list."""
        return [
            *(f"console error: {m}" for m in self.console_errors),
            *(f"failed request: {m}" for m in self.failed_requests),
            *(f"third-party request: {m}" for m in self.third_party_requests),
            *(f"CSP violation: {m}" for m in self.csp_violations),
        ]


def open_page(
    browser: Browser, url: str, origin: str, **context_options
) -> tuple[Page, PageReport]:
    """Load `url` in a fresh context, blocking requests to any origin but `origin`."""
    context = browser.new_context(**context_options)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    report = PageReport(url)

    def on_request(route: Route) -> None:
        request_url = route.request.url
        if request_url.startswith(origin + "/") or request_url.startswith("data:"):
            route.continue_()
        else:
            report.third_party_requests.append(request_url)
            route.abort()

    page.route("**/*", on_request)
    page.on(
        "console", lambda m: m.type == "error" and report.console_errors.append(m.text)
    )
    page.on("pageerror", lambda error: report.console_errors.append(str(error)))
    page.on(
        "requestfailed",
        lambda r: (
            r.url.startswith(origin)
            and report.failed_requests.append(f"{r.url} ({r.failure})")
        ),
    )
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and report.failed_requests.append(f"{r.url} (HTTP {r.status})")
        ),
    )
    page.goto(url, wait_until="load")
    report.csp_violations.extend(page.evaluate("window.__cspViolations"))
    return page, report


def horizontal_overflow(page: Page, width: int) -> int:
    """Resize to `width` CSS pixels; return how far the page scrolls sideways."""
    page.set_viewport_size({"width": width, "height": 800})
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def axe_violations(page: Page) -> list[str]:
    """Run axe-core's WCAG 2.0–2.2 A and AA rules; return one line per violation."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(map(str, n['target']))}"
        for v in results["violations"]
        for n in v["nodes"]
    ]


def focus_state(page: Page) -> dict:
    """Describe the focused element: its class, id, outline and position."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {className: el.className, id: el.id, tag: el.tagName.toLowerCase(),
                  outlineStyle: style.outlineStyle,
                  outlineWidth: parseFloat(style.outlineWidth),
                  top: box.top, bottom: box.bottom, height: box.height};
        }"""
    )


def luminance_of_background(page: Page) -> float:
    """Relative luminance (0 black to 1 white) of the body's background colour."""
    channels = page.evaluate(
        """() => getComputedStyle(document.body).backgroundColor
                 .match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number)"""
    )

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


LAYOUT_SHIFT_OBSERVER = """
window.__layoutShift = 0;
new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def cumulative_layout_shift(browser: Browser, url: str, width: int) -> float:
    """Load `url` at `width` CSS pixels, scroll through it, return its CLS.

    Scrolling to the end loads the lazy images too: an image without its
    size would shift the text below it as it arrives.
    """
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        context.add_init_script(LAYOUT_SHIFT_OBSERVER)
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.mouse.wheel(0, 100_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)  # layout shifts are reported after a frame
        return page.evaluate("window.__layoutShift")
    finally:
        context.close()
