"""Lighthouse CI, mobile settings, on the publish build: scores per page.

`make lighthouse` runs this file alone and prints the score table.
"""

from __future__ import annotations

import json
from pathlib import Path
import subprocess

import pytest

from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.support import (
    FIXTURE_CONTENT,
    PUBLISH_SETTINGS,
    ROOT,
    build,
    free_port,
    serve,
)

pytestmark = [pytest.mark.node_tools, pytest.mark.browser]
LHCI = ROOT / "node_modules" / ".bin" / "lhci"
PAGES = {
    "home": "",
    "article": "first-visit/",
    "testimonials": "testimonials/",
    "404": "404.html",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MIN_SCORES = {"performance": 0.95, "accessibility": 1, "best-practices": 1, "seo": 1}


def lighthouse_config(urls: list[str], report_dir: Path) -> dict:
    """Lighthouse CI settings: one mobile run per URL, every threshold an error."""
    return {
        "ci": {
            "collect": {
                "url": urls,
                "numberOfRuns": 1,
                "chromePath": CHROMIUM,
                "settings": {"chromeFlags": " ".join(CHROMIUM_FLAGS)},
            },
            "assert": {
                "assertions": {
                    f"categories:{name}": ["error", {"minScore": score}]
                    for name, score in MIN_SCORES.items()
                }
            },
            "upload": {"target": "filesystem", "outputDir": str(report_dir)},
        }
    }


@pytest.fixture(scope="module")
def lighthouse_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], dict]:
    """Build the publish site for a local address, serve it, run `lhci autorun`."""
    work = tmp_path_factory.mktemp("lighthouse")
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    output = build(
        FIXTURE_CONTENT,
        work / "site",
        PUBLISH_SETTINGS,
        SITEURL=siteurl,
        FEED_DOMAIN=siteurl,
    )
    config = work / "lighthouserc.json"
    urls = [f"{siteurl}/{path}" for path in PAGES.values()]
    config.write_text(json.dumps(lighthouse_config(urls, work / "reports")))
    with serve(output, port):
        result = subprocess.run(
            [str(LHCI), "autorun", f"--config={config}"],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    manifest = work / "reports" / "manifest.json"
    assert manifest.is_file(), result.stdout + result.stderr
    scores = {
        entry["url"].removeprefix(siteurl + "/"): entry["summary"]
        for entry in json.loads(manifest.read_text())
    }
    return result, scores


def test_every_page_meets_the_lighthouse_thresholds(lighthouse_run, capsys):
    result, scores = lighthouse_run
    with capsys.disabled():
        print("\nLighthouse (mobile)   " + "  ".join(f"{c:>14}" for c in CATEGORIES))  # noqa: T201
        for name, path in PAGES.items():
            row = "  ".join(f"{round(scores[path][c] * 100):>14}" for c in CATEGORIES)
            print(f"  {name:<20}{row}")  # noqa: T201
    assert result.returncode == 0, result.stdout + result.stderr
    for path in PAGES.values():
        for category, minimum in MIN_SCORES.items():
            assert scores[path][category] >= minimum, (path, category, scores[path])
