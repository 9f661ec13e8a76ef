"""Valid HTML: the Nu HTML Checker (vnu.jar) finds no error in any built page."""

from __future__ import annotations

import json
from pathlib import Path
import shutil
import subprocess

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.node_tools
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(*folders: Path) -> list[str]:
    """Check every HTML file below `folders`; return one line per error."""
    if not VNU_JAR.is_file():
        pytest.fail(
            "vnu.jar is missing: run `make test`, which installs the Node tools"
        )
    java = shutil.which("java")
    assert java, (
        "Java is needed for the Nu HTML Checker (Debian: openjdk-17-jre-headless)"
    )
    # No -Xss512k (vnu's own advice): on Java 17 it overflows the stack.
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--skip-non-html",
            "--errors-only",
            "--format",
            "json",
        ]
        + [str(f) for f in folders],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{m['url'].removeprefix('file:')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


@pytest.mark.real_content
def test_every_built_page_is_valid_html(fixture_site, fixture_publish_site, real_site):
    assert (
        vnu_errors(fixture_site.output, fixture_publish_site.output, real_site.output)
        == []
    )


def test_checker_reports_invalid_html(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(
        "<!DOCTYPE html><html lang=en><head><title>x</title></head>"
        "<body><p><div>block in a paragraph</div></p><img src=a.png></body></html>"
    )
    errors = vnu_errors(tmp_path)
    assert any("“img” element must have an “alt” attribute" in e for e in errors), (
        errors
    )
    assert all(e.startswith(f"{page}:") for e in errors)
