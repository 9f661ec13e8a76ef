"""Lighthouse CI, mobile settings, on the publish build: scores per page.

`make lighthouse` runs this file alone and prints the score table.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
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
    # With words to look for, so the measured page runs a search and lists results.
    "search": "search/?q=ketamine",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MIN_SCORES = {"performance": 0.95, "accessibility": 1, "best-practices": 1, "seo": 1}
# The search page runs Pagefind's script and WebAssembly: its performance score
# varies around 90 from run to run (docs/performance.md), so only the other
# three categories are held to 100 there.
SEARCH_MIN_SCORES = {
    name: score for name, score in MIN_SCORES.items() if name != "performance"
}


def min_scores(path: str) -> dict[str, float]:
    """Return the thresholds of the page at `path`."""
    return SEARCH_MIN_SCORES if path == PAGES["search"] else MIN_SCORES


def lighthouse_config(siteurl: str, report_dir: Path) -> dict:
    """Lighthouse CI settings: one mobile run per page, every threshold an error."""
    # One assertion set per page (an exact-URL pattern each), since the search
    # page has its own thresholds.
    matrix = [
        {
            "matchingUrlPattern": f"^{re.escape(f'{siteurl}/{path}')}$",
            "assertions": {
                f"categories:{name}": ["error", {"minScore": score}]
                for name, score in min_scores(path).items()
            },
        }
        for path in PAGES.values()
    ]
    return {
        "ci": {
            "collect": {
                "url": [f"{siteurl}/{path}" for path in PAGES.values()],
                "numberOfRuns": 1,
                "chromePath": CHROMIUM,
                "settings": {"chromeFlags": " ".join(CHROMIUM_FLAGS)},
            },
            "assert": {"assertMatrix": matrix},
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
    config.write_text(json.dumps(lighthouse_config(siteurl, work / "reports")))
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
        for category, minimum in min_scores(path).items():
            assert scores[path][category] >= minimum, (path, category, scores[path])


def test_every_page_has_its_own_assertion_set():
    siteurl = "http://127.0.0.1:8000"
    config = lighthouse_config(siteurl, Path("reports"))
    matrix = config["ci"]["assert"]["assertMatrix"]

    def assertions_for(path: str) -> dict:
        # Exactly one set per URL (Python and JavaScript read these patterns
        # alike: anchors, escaped dots and question marks).
        url = f"{siteurl}/{path}"
        matching = [m for m in matrix if re.search(m["matchingUrlPattern"], url)]
        assert len(matching) == 1, url
        return matching[0]["assertions"]

    assert config["ci"]["collect"]["url"] == [f"{siteurl}/{p}" for p in PAGES.values()]
    for path in PAGES.values():
        assertions_for(path)
    search = assertions_for(PAGES["search"])
    assert "categories:performance" not in search
    assert search["categories:accessibility"] == ["error", {"minScore": 1}]
    assert assertions_for(PAGES["home"])["categories:performance"] == [
        "error",
        {"minScore": 0.95},
    ]
