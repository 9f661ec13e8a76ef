"""Page weight: HTML + CSS + JS + fonts of the home and article pages, gzipped.

Bytes are deterministic, so this is a test, not a benchmark. Content images are
left out: they belong to the writer, not to the theme.
"""

from __future__ import annotations

from dataclasses import dataclass
import gzip
from pathlib import Path
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
import pytest

# Issue 6's targets for the home and article pages: the HTML, CSS and fonts
# within 12 KB gzip, at most 3 requests before images, and no web fonts.
BUDGET_BYTES = 12 * 1024
MAX_REQUESTS = 3
FONT_URL = re.compile(r"url\(\s*['\"]?([^'\")]+\.(?:woff2?|ttf|otf))", re.IGNORECASE)


@dataclass(frozen=True)
class Resource:
    """One file a page needs before it is complete."""

    kind: str
    path: str
    raw: int
    gzipped: int


def _resource(output: Path, kind: str, url: str) -> Resource:
    local = output / urlsplit(url).path.lstrip("/")
    data = local.read_bytes()
    return Resource(kind, url, len(data), len(gzip.compress(data, mtime=0)))


def page_resources(output: Path, page: str) -> list[Resource]:
    """List the page itself and every stylesheet, script and font it loads."""
    html_file = output / page
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    resources = [_resource(output, "html", "/" + page)]
    for link in soup.select("link[rel~=stylesheet][href]"):
        css = _resource(output, "css", link["href"])
        resources.append(css)
        css_text = (output / urlsplit(link["href"]).path.lstrip("/")).read_text()
        resources += [_resource(output, "font", f) for f in FONT_URL.findall(css_text)]
    resources += [_resource(output, "js", s["src"]) for s in soup.select("script[src]")]
    resources += [
        _resource(output, "font", f["href"])
        for f in soup.select("link[rel=preload][as=font]")
    ]
    return resources


def report(page: str, resources: list[Resource]) -> str:
    lines = [f"{page}: {len(resources)} requests"]
    for kind in ("html", "css", "js", "font"):
        of_kind = [r for r in resources if r.kind == kind]
        raw = sum(r.raw for r in of_kind)
        gzipped = sum(r.gzipped for r in of_kind)
        lines.append(
            f"  {kind:<5} {len(of_kind):>2} files {raw:>7} B raw {gzipped:>7} B gzip"
        )
    total = sum(r.gzipped for r in resources)
    lines.append(f"  total {total} B gzip of a {BUDGET_BYTES} B budget")
    return "\n".join(lines)


@pytest.mark.parametrize("page", ["index.html", "ketamine-for-ptsd/index.html"])
def test_home_and_article_fit_the_byte_budget(seed_site, page, capsys):
    # The seed article, not content/: a longer article weighs more by its words.
    resources = page_resources(seed_site.output, page)
    with capsys.disabled():
        print("\n" + report(page, resources))  # noqa: T201 - the figures are the output
    assert sum(r.gzipped for r in resources) <= BUDGET_BYTES
    assert len(resources) <= MAX_REQUESTS
    assert [r.path for r in resources if r.kind == "font"] == []


def test_budget_counts_every_kind_of_resource(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text(
        "@font-face{src:url(/f.woff2)}" + "a{}" * 10
    )
    (tmp_path / "f.woff2").write_bytes(bytes(range(256)) * 100)
    (tmp_path / "app.js").write_text("console.log(1)")
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="/css/site.css"><script src="/app.js"></script>'
    )
    resources = page_resources(tmp_path, "index.html")
    assert [r.kind for r in resources] == ["html", "css", "font", "js"]
    assert sum(r.gzipped for r in resources) > 256  # the font barely compresses
