"""Internal link checker for a built site, reading the output folder directly.

Every `href`, `src` and `srcset` of every HTML file is resolved against the
page's own URL; links into the site must reach a file of the output, and a
`#fragment` must name an `id` in the target page. External links are not
followed (CI has no network; they are checked elsewhere).

Why our own: the site's address may have a sub-path (`https://example.org/blog`),
and linkinator, the usual tool, can only map such absolute links onto its own
server when the replacement is non-empty and the port known in advance. Reading
the files needs neither a server nor a port.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

# Stands in for an empty SITEURL (development builds use root-relative links).
LOCAL_BASE = "http://site.invalid"
LINK_ATTRIBUTES = {
    "a": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "form": ("action",),
}
NOT_LINKS = ("mailto:", "tel:", "sms:", "data:", "javascript:")


@dataclass(frozen=True)
class BrokenLink:
    """A link from one page that does not reach its target."""

    page: str  # the page's path in the output, e.g. first-visit/index.html
    element: str  # e.g. <a href>
    link: str  # the link as written
    reason: str

    def __str__(self) -> str:
        """Format as `page: <a href> "link": reason`."""
        return f'{self.page}: {self.element} "{self.link}": {self.reason}'


class _Site:
    """The output folder, with the ids of each page parsed once."""

    def __init__(self, output: Path, siteurl: str) -> None:
        self.output = output
        base = (siteurl or LOCAL_BASE).rstrip("/") + "/"
        parts = urlsplit(base)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path  # "/" or "/blog/"
        self._ids: dict[Path, frozenset[str]] = {}
        self._soups: dict[Path, BeautifulSoup] = {}

    def page_url(self, page: Path) -> str:
        relative = page.relative_to(self.output).as_posix()
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        return f"{self.origin}{self.base_path}{relative}"

    def soup(self, page: Path) -> BeautifulSoup:
        if page not in self._soups:
            self._soups[page] = BeautifulSoup(
                page.read_text(encoding="utf-8"), "html.parser"
            )
        return self._soups[page]

    def ids(self, page: Path) -> frozenset[str]:
        if page not in self._ids:
            soup = self.soup(page)
            names = {tag["id"] for tag in soup.find_all(id=True)}
            names |= {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
            self._ids[page] = frozenset(names)
        return self._ids[page]

    def target_file(self, url: str) -> Path | str | None:
        """Return the file a URL reaches; None if missing, "outside" if not ours."""
        parts = urlsplit(url)
        path = unquote(parts.path)
        if not path.startswith(self.base_path):
            return "outside"
        relative = PurePosixPath(path[len(self.base_path) :])
        candidate = self.output.joinpath(*relative.parts)
        if path.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None


def _link_values(tag, attribute: str) -> list[str]:
    value = tag.get(attribute, "").strip()
    if attribute != "srcset":
        return [value] if value else []
    return [item.strip().split()[0] for item in value.split(",") if item.strip()]


def check_links(output: Path, siteurl: str = "") -> list[BrokenLink]:
    """Return every broken internal link and fragment of the site in `output`.

    `siteurl` is the SITEURL the site was built with ("" for root-relative).
    """
    site = _Site(output, siteurl)
    broken = []
    for page in sorted(output.rglob("*.html")):
        page_name = page.relative_to(output).as_posix()
        page_url = site.page_url(page)
        for tag_name, attributes in LINK_ATTRIBUTES.items():
            for tag in site.soup(page).find_all(tag_name):
                for attribute in attributes:
                    for link in _link_values(tag, attribute):
                        reason = _problem(site, page_url, link)
                        if reason:
                            element = f"<{tag_name} {attribute}>"
                            broken.append(BrokenLink(page_name, element, link, reason))
    return broken


def _problem(site: _Site, page_url: str, link: str) -> str | None:
    if link.startswith(NOT_LINKS):
        return None
    if "{" in link and "}" in link:
        return "unresolved Pelican placeholder"
    url, fragment = urldefrag(urljoin(page_url, link))
    if not url.startswith(site.origin + "/") and url != site.origin:
        return None  # external
    target = site.target_file(url)
    if target == "outside":
        return f"points outside the site's base path {site.base_path}"
    if target is None:
        return "no such file in the output"
    if (
        fragment
        and target.suffix == ".html"
        and unquote(fragment) not in site.ids(target)
    ):
        return f'no element with id "{fragment}" in {target.relative_to(site.output)}'
    return None
