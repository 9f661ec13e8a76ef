"""`make import-wordpress FILE=export.xml`: a WordPress export as draft articles.

`import_wordpress` reads a WordPress export (WXR) with pelican-import's reader
(`wp2fields`, `decode_wp_content`), converts each post's HTML to Markdown with
pandoc, and writes one draft (`Status: draft`) per post into
content/articles/ (pages into content/pages/), in this site's front matter
(tools/scaffold.front_matter, from the schema). It never overwrites a file.

What other tools leave in the text is converted on the way: images are
taken out of the HTML blocks WordPress wraps them in (`<div>`, `<figure>`,
caption shortcodes) so that they are Markdown images, `[TOC]` lines are
removed (the theme makes its own table of contents), and Pelican's old
`|filename|`, `|static|`, `|attach|` become `{filename}`, `{static}`,
`{attach}`.

Remote images (any address with a scheme, or starting `//`) are pointed at
`{static}/images/NAME`. Those at a public web address are listed with the
`curl` command that downloads each into content/images/: once the writer
has run them, the links resolve. Every other address gets no command, only
a plain line saying it is not a public web address and is to be checked and
downloaded by hand: an export can name anything, and pasting a command must
never fetch from this computer, its network or a cloud's metadata service,
nor send a password. Each address is judged offline, as written, by
`web_address_problem` (urllib.parse and ipaddress, no DNS): http(s) only,
no user name or password, a host that is a public IP address in any form
(`2130706433`, `0x7f.1` and `127.1` are 127.0.0.1) or a name with a dot that
is not local (`localhost`, `*.local`, `*.internal`…). A name that resolves
to a private address cannot be told offline. Every argument of a command is
shell-quoted, so pasting it runs nothing but curl.

Categories, tags and authors that content/taxonomy.yaml lacks are printed
as YAML to add to it; the file is never changed here. Everything that needs
the writer is collected in the returned ImportReport, which lists it all at
once.

pelican-import's own writer (`fields2pelican`) is not used: it runs pandoc
through a shell with file names taken from the export, and writes
reStructuredText headers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import datetime as dt
import html
from ipaddress import IPv4Address, ip_address
from pathlib import Path, PurePosixPath
import re
import shlex
import socket
import subprocess
import unicodedata
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from content_schema.migration import debris_problems
from content_schema.placeholders import PLACEHOLDER, SUMMARY_PLACEHOLDER
from content_schema.safety import CONTROL
from content_schema.schema import ArticleMeta, PageMeta, load_taxonomy_file
from content_schema.slugs import slug_from_title
from pelican.tools.pelican_import import decode_wp_content, wp2fields
import yaml

from tools.editorial_report import public_address
from tools.scaffold import front_matter

# Pelican 3's link prefixes, and what Pelican 4 writes instead.
OLD_LINK_PREFIX = re.compile(r"\|(filename|static|attach)\|")
# Tags that only wrap an image or a caption: their contents are kept, the
# tag is not, so that no image stays inside a raw HTML block.
WRAPPERS = ("div", "span", "section", "center", "figure", "picture")
# An <img>'s attributes Markdown has no syntax for; pandoc would keep the tag
# as raw HTML to carry them.
LAYOUT_ATTRIBUTES = ("width", "height", "class", "style", "srcset", "sizes", "id")
ESCAPED_LINK_PREFIX = re.compile(r"%7B(filename|static|attach)%7D", re.IGNORECASE)
TOC_LINE = re.compile(r"^\s*\\?\[TOC\\?\]\s*$", re.IGNORECASE | re.MULTILINE)
# A WordPress shortcode left in the text ([gallery], [embed], …), as pandoc
# escapes it.
SHORTCODE = re.compile(r"\\\[(?P<name>[a-z_-]+)(?:\s[^\]\n]*)?\\\]")
ALT_PLACEHOLDER = f"{PLACEHOLDER}: describe what the image shows"
SUMMARY_LENGTH = range(50, 161)  # as the schema asks of Summary:
# What pelican-import reads of every item (it stops without one of them).
ITEM_TAGS = (
    "title",
    "creator",
    "encoded",
    "post_id",
    "post_date",
    "post_name",
    "status",
    "post_type",
)
NOT_IMPORTED = {"private", "pending", "future", "trash", "auto-draft"}
# An image's address that names a scheme (two letters or more: `C:\` is a
# Windows path), as any remote image's does.
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")
WEB_SCHEMES = frozenset({"http", "https"})
# Names only this computer or a local network knows (RFC 6761, 6762, and the
# suffixes routers and clouds give their own machines).
LOCAL_NAMES = frozenset({"localhost"})
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain")
# What IDNA reads as a dot between labels; a host is judged as it reads.
IDNA_DOTS = str.maketrans(dict.fromkeys("\u3002\uff0e\uff61", "."))
# A host name as judged: letters (any script), digits, `-`, `_`, dots.
HOST_NAME = re.compile(r"[\w.-]+")
# A last label that makes a host an IPv4 address (as the WHATWG URL parser
# reads it): decimal, or hexadecimal after 0x.
NUMERIC_LABEL = re.compile(r"\d+|0x[0-9a-f]*")
# Characters no address shows as typed: controls, invisible formatting,
# line and paragraph separators.
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# How much of a refused address the to-do list shows (a data: URI is long).
SHOWN_LENGTH = 300


class ImportFailed(Exception):
    """The export could not be read at all; the message says why, in plain words."""


@dataclass
class ImportReport:
    """What an import wrote and what is left to the writer.

    `written`: the files created. `problems`: one line each, naming the post
    or file. `downloads`: (file name in content/images/, address) per remote
    image, whatever its address; `curl_lines` gives commands for the public
    web addresses only, `by_hand_lines` a plain line for each other.
    `proposed`: categories, tags and authors to add to the taxonomy.
    """

    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    downloads: dict[str, str] = field(default_factory=dict)
    proposed: dict[str, list[str]] = field(
        default_factory=lambda: {"categories": [], "tags": [], "authors": []}
    )

    def propose(self, kind: str, name: str, known: Iterable[str]) -> None:
        """Propose `name` for the taxonomy's `kind` list unless it is known."""
        if name and name not in known and name not in self.proposed[kind]:
            self.proposed[kind].append(name)

    def curl_lines(self) -> list[str]:
        """Return one `curl` command per image at a public web address, all quoted.

        Each argument is shell-quoted: `$(…)`, backticks, `;` in an address
        stay part of it when the line is pasted. No other address has one.
        """
        return [
            f"curl -L -o {shlex.quote(f'content/images/{name}')} {shlex.quote(url)}"
            for name, url in self.downloads.items()
            if web_address_problem(url) is None
        ]

    def by_hand_lines(self) -> list[str]:
        """Return a line per image at any other address: what it is, and no command."""
        return [
            f"content/images/{name}: its address, {_shown(url)}, is not a public "
            f"web address ({why}), so no command is given for it. Check what it "
            "is, and download it there by hand only if it belongs in the article."
            for name, url in self.downloads.items()
            if (why := web_address_problem(url)) is not None
        ]

    def taxonomy_snippet(self) -> str:
        """Return the YAML to add to content/taxonomy.yaml ("" when nothing is new)."""
        lists = {kind: names for kind, names in self.proposed.items() if names}
        if not lists:
            return ""
        return yaml.safe_dump(lists, allow_unicode=True, sort_keys=False)


@dataclass(frozen=True)
class Post:
    """One post or page of the export, as pelican-import reads it, plus its excerpt."""

    title: str
    html: str
    name: str
    date: str | None
    author: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    kind: str  # "article" or "page"
    excerpt: str


def read_export(export: Path, report: ImportReport) -> tuple[list[Post], str]:
    """Return the posts and pages to import, and the old site's address.

    Posts pelican-import leaves out (private, pending, scheduled, in the
    trash) are named in `report`. Authors are given by display name.
    """
    try:
        soup = BeautifulSoup(export.read_bytes(), "xml")
    except OSError as error:
        raise ImportFailed(f"{export} cannot be read: {error.strerror}") from None
    channel = soup.find("channel")
    if soup.find("rss") is None or channel is None:
        raise ImportFailed(
            f"{export} is not a WordPress export: export one in WordPress under "
            "Tools → Export → All content, and give that file"
        )
    base = _text(channel.find("base_site_url")) or _text(channel.find("link"))
    names = {
        _text(author.find("author_login")): _text(author.find("author_display_name"))
        for author in channel.find_all("author", recursive=False)
    }
    excerpts = {}
    for item in channel.find_all("item"):
        status = _text(item.find("status"))
        title = _text(item.find("title")) or "(no title)"
        if status in NOT_IMPORTED:
            report.problems.append(
                f"“{title}”: not imported, its status in WordPress is {status}; "
                "publish or draft it there and export again if it belongs here"
            )
        key = _text(item.find("post_name")) or _text(item.find("post_id"))
        excerpts[key] = _text(item.find("excerpt:encoded"))
    incomplete = [
        f"{export}: item {number} (“{_text(item.find('title'))}”) lacks "
        f"{', '.join(f'<{tag}>' for tag in lacking)}, which every WordPress "
        "export has; export again from WordPress (Tools → Export → All content) "
        "rather than editing the file"
        for number, item in enumerate(channel.find_all("item"), 1)
        if (lacking := [tag for tag in ITEM_TAGS if item.find(tag) is None])
    ]
    if incomplete:
        raise ImportFailed("\n".join(incomplete))
    posts = []
    try:
        fields = list(wp2fields(str(export)))
    except ValueError:  # a post_date not written as WordPress writes it
        raise ImportFailed(
            f"{export}: a post's <wp:post_date> is not written YYYY-MM-DD HH:MM:SS, "
            "as WordPress writes it; export again from WordPress rather than "
            "editing the file"
        ) from None
    for title, body, name, date, login, categories, tags, _s, kind, _m in fields:
        if kind not in ("article", "page"):
            continue
        excerpt = _plain(excerpts.get(name, ""))
        # pelican-import gives bs4 strings, which keep their whole document.
        author = str(login or "")
        posts.append(
            Post(
                html.unescape(str(title)),
                str(body or ""),
                str(name or ""),
                str(date) if date else None,
                names.get(author) or author,
                tuple(str(category) for category in categories if category),
                tuple(str(tag) for tag in tags if tag),
                kind,
                excerpt,
            )
        )
    return posts, base


def import_wordpress(export: Path, content: Path) -> ImportReport:
    """Write each post of `export` as a draft under `content`; report what is left.

    Raises ImportFailed when the export cannot be read at all.
    """
    report = ImportReport()
    posts, base = read_export(export, report)
    taxonomy, taxonomy_problems = load_taxonomy_file(
        content / "taxonomy.yaml", "content/taxonomy.yaml"
    )
    report.problems += [str(problem) for problem in taxonomy_problems]
    known = {
        "categories": getattr(taxonomy, "categories", None) or (),
        "tags": getattr(taxonomy, "tags", None) or (),
        "authors": getattr(taxonomy, "author_names", None) or (),
    }
    images = content / "images"
    for post in posts:
        label = f"“{post.title}”"
        try:
            body = to_markdown(post.html, base, images, report, label)
        except ImportFailed as error:
            report.problems.append(f"{label}: not imported: {error}")
            continue
        slug = slug_from_title(_post_slug_source(post))
        given = {"title": _one_line(post.title), "slug": slug, "status": "draft"}
        summary = post.excerpt or SUMMARY_PLACEHOLDER
        if post.excerpt and len(post.excerpt) not in SUMMARY_LENGTH:
            report.problems.append(
                f"{label}: its WordPress excerpt, now its Summary, is "
                f"{len(post.excerpt)} characters; write one of 50 to 160"
            )
        folder = content / ("pages" if post.kind == "page" else "articles")
        if post.kind == "page":
            header = front_matter(PageMeta, {**given, "summary": summary})
        else:
            header = front_matter(
                ArticleMeta,
                {**given, **_article_fields(post, summary, label, report, known)},
            )
        target = folder / f"{slug}.md"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8") as new:
                new.write(f"{header}\n{body}")
        except FileExistsError:
            report.problems.append(
                f"{label}: {target.relative_to(content.parent)} already exists; "
                "nothing was written for it (rename that file, or delete it, and "
                "import again)"
            )
            continue
        report.written.append(target)
        for number, _field, message in debris_problems(_numbered(header, body)):
            report.problems.append(
                f"{target.relative_to(content.parent)}:{number}: {message}"
            )
    return report


def _article_fields(
    post: Post, summary: str, label: str, report: ImportReport, known: dict
) -> dict[str, str]:
    """Return an article's date, summary, author, category and tags, noting gaps."""
    date = post.date
    if date is None:
        date = dt.date.today().isoformat()
        report.problems.append(
            f"{label}: had no date in WordPress (a draft never published); dated "
            f"today, {date}: change it if another date is right"
        )
    category = post.categories[0] if post.categories else PLACEHOLDER
    if not post.categories:
        report.problems.append(
            f"{label}: has no category; write one from content/taxonomy.yaml"
        )
    elif len(post.categories) > 1:
        report.problems.append(
            f"{label}: had several categories ({', '.join(post.categories)}); an "
            f"article has one here, so it keeps {category}: choose another if "
            "that one is wrong"
        )
    report.propose("categories", post.categories[:1] and category, known["categories"])
    report.propose("authors", post.author, known["authors"])
    for tag in post.tags:
        report.propose("tags", tag, known["tags"])
    fields = {
        "date": date,
        "summary": _one_line(summary),
        "author": _one_line(post.author),
        "category": _one_line(category),
    }
    if post.tags:
        fields["tags"] = ", ".join(_one_line(tag) for tag in post.tags)
    return fields


def to_markdown(
    body: str, base: str, images: Path, report: ImportReport, label: str
) -> str:
    """Return a post's WordPress HTML as this site's Markdown.

    Images come out of their wrappers and point at `{static}/images/…`; remote
    ones are added to `report.downloads`. Raises ImportFailed when pandoc
    cannot run.
    """
    soup = BeautifulSoup(decode_wp_content(OLD_LINK_PREFIX.sub(r"{\1}", body)), "lxml")
    for paragraph in soup.find_all("p"):
        if paragraph.get_text(strip=True).upper() == "[TOC]" and not paragraph.find(
            "img"
        ):
            paragraph.decompose()
    for image in soup.find_all("img"):
        _local_image(image, base, images, report, label)
    for caption in soup.find_all("figcaption"):
        caption.name = "p"
        text = caption.get_text(" ", strip=True)
        caption.clear()
        if text:
            emphasis = soup.new_tag("em")
            emphasis.string = text
            caption.append(emphasis)
    for wrapper in soup.find_all(WRAPPERS):
        wrapper.unwrap()
    # A paragraph around a block (a former figure) would nest blocks: pandoc
    # keeps such HTML raw. Each part becomes its own paragraph instead, and
    # so does an image its wrapper left outside any paragraph.
    for paragraph in soup.find_all("p"):
        if paragraph.find("p"):
            paragraph.unwrap()
    for image in soup.find_all("img"):
        if image.parent is not None and image.parent.name in ("body", "[document]"):
            image.wrap(soup.new_tag("p"))
    markdown = _pandoc(str(soup.body or soup))
    # pandoc escapes the braces of {static}, {filename}, {attach} in addresses.
    markdown = ESCAPED_LINK_PREFIX.sub(r"{\1}", markdown)
    markdown = TOC_LINE.sub("", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    for shortcode in sorted({m["name"] for m in SHORTCODE.finditer(markdown)}):
        report.problems.append(
            f"{label}: the WordPress shortcode [{shortcode}] stays as text; "
            "replace it by hand (an image, a link) or remove it"
        )
    return markdown


def _local_image(
    image, base: str, images: Path, report: ImportReport, label: str
) -> None:
    """Point `image` at {static}/images/…, strip layout, give it alt text."""
    for attribute in LAYOUT_ATTRIBUTES:
        del image[attribute]
    link = image.parent
    if link.name == "a" and len(link.contents) == 1:
        link.unwrap()  # WordPress links an image to its own full-size file
    src = (image.get("src") or "").strip()
    if src.startswith("/") and not src.startswith("//") and base:
        src = urljoin(base, src)  # a path on the old site
    if src.startswith("//"):
        src = f"https:{src}"
    # Any scheme, not only http(s): file:, ftp:, data: images are remote too,
    # and must reach the to-do list (which says they get no command).
    if SCHEME.match(src):
        image["src"] = f"{{static}}/images/{_download_name(src, images, report)}"
    elif src and not src.startswith("{"):
        image["src"] = f"{{static}}/images/{PurePosixPath(src).name}"
    # A caption is not a description (and read twice if it were both): an
    # image without alt text gets the placeholder the check lists.
    if not (image.get("alt") or "").strip():
        image["alt"] = ALT_PLACEHOLDER
        report.problems.append(
            f"{label}: an image ({image['src']}) had no alt text; describe what it "
            f"shows in place of {PLACEHOLDER}"
        )


def _download_name(address: str, images: Path, report: ImportReport) -> str:
    """Return the content/images/ name for a remote image, listing its download."""
    for name, url in report.downloads.items():
        if url == address:
            return name
    try:
        path = urlsplit(address).path
    except ValueError:  # not a URL urllib reads ("http://[::1"): name from it all
        path = address
    original = PurePosixPath(unquote(path)).name or "image"
    stem, dot, suffix = original.rpartition(".")
    stem, suffix = (stem, suffix.lower()) if dot else (original, "")
    stem = slug_from_title(stem).replace("_", "-")
    suffix = re.sub(r"[^a-z0-9]", "", suffix)
    name = f"{stem}.{suffix}" if suffix else stem
    number = 1
    while name in report.downloads or (images / name).exists():
        number += 1
        name = f"{stem}-{number}.{suffix}" if suffix else f"{stem}-{number}"
    report.downloads[name] = address
    return name


def web_address_problem(url: str) -> str | None:
    """Return why `url` is not a public web address, in a few words; None if it is.

    Judged offline, as a URL parser and an IP parser read it (no DNS): an
    http(s) address, well formed, with no user name or password, whose host
    is a global IP address in any form, or a name that has a dot and is not
    one only this computer or a local network knows.
    """
    if any(unicodedata.category(character) in INVISIBLE for character in url):
        # urllib drops tabs and newlines silently: judge what is written.
        return "it holds control or invisible characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises when not a number, or past 65535
    except ValueError:
        return "it is not a well-formed address"
    if parts.scheme not in WEB_SCHEMES:
        return "it is not an http:// or https:// address"
    if "@" in parts.netloc:
        return "it holds a user name or password"
    return _host_problem(parts.hostname or "", parts.netloc.startswith("["))


def _host_problem(host: str, bracketed: bool) -> str | None:
    """Return why an http(s) address's host is not public; None when it is.

    `host` as urllib gives it (lower case, without brackets); `bracketed`
    when the address wrote it in brackets, as an IPv6 address.
    """
    # A backslash or a percent escape is read differently by curl, browsers
    # and urllib; a space ends a host.
    if not host or any(character in host for character in " \\%"):
        return "it is not a well-formed address"
    if bracketed:
        try:
            address = ip_address(host)  # ::ffff:127.0.0.1 is judged as 127.0.0.1
        except ValueError:
            return "it is not a well-formed address"
        return None if public_address(address) else "it is not on the public internet"
    # As IDNA reads a name: full-width digits and dots are ASCII ones.
    host = unicodedata.normalize("NFKC", host).translate(IDNA_DOTS).lower()
    host = host.rstrip(".")  # `localhost.` is localhost
    if not host or not HOST_NAME.fullmatch(host):
        return "it is not a well-formed address"
    if NUMERIC_LABEL.fullmatch(host.rpartition(".")[2]):
        try:
            # What the C library reads as IPv4: 2130706433, 0x7f.1, 0177.0.0.1.
            address = IPv4Address(socket.inet_aton(host))
        except (OSError, UnicodeError):
            return "it is not a well-formed address"
        return None if public_address(address) else "it is not on the public internet"
    if host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES):
        return "it names this computer or a local network"
    if "." not in host:
        return "it names a machine only a local network knows"
    return None


def _shown(address: str) -> str:
    """Return `address` on one line, its invisible characters as escapes, clipped."""
    shown = "".join(
        ESCAPES.get(character, f"\\u{ord(character):04x}")
        if unicodedata.category(character) in INVISIBLE
        else character
        for character in address
    )
    return shown if len(shown) <= SHOWN_LENGTH else shown[:SHOWN_LENGTH] + "…"


def _pandoc(body: str) -> str:
    """Convert HTML to GitHub-flavoured Markdown, keeping HTML Markdown cannot say."""
    try:
        done = subprocess.run(
            ["pandoc", "--from=html+raw_html", "--to=gfm-smart", "--wrap=none"],
            input=body,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise ImportFailed(
            "pandoc is missing; `make import-wordpress` installs it (Debian: "
            "`apt-get install pandoc`)"
        ) from None
    if done.returncode != 0:
        raise ImportFailed(f"pandoc could not convert it: {done.stderr.strip()}")
    return done.stdout


def _post_slug_source(post: Post) -> str:
    """Return what the slug is made from: WordPress's slug, else the title."""
    name = unquote(post.name or "")
    return post.title if not name or name.isdigit() else name.replace("-", " ")


def _numbered(header: str, body: str) -> tuple[tuple[int, str], ...]:
    """Return the body's lines with their line numbers in the written file."""
    first = header.count("\n") + 2  # the empty line after the header
    return tuple(enumerate(body.split("\n"), first))


def _one_line(text: str) -> str:
    """Return `text` on one line, without control characters."""
    return " ".join(CONTROL.sub(" ", text).split())


def _plain(fragment: str) -> str:
    """Return an HTML fragment's text on one line."""
    return _one_line(BeautifulSoup(fragment, "lxml").get_text(" ")) if fragment else ""


def _text(node) -> str:
    """Return the text of an XML node, stripped ("" when there is none)."""
    return node.get_text().strip() if node is not None else ""


def render(report: ImportReport, content: Path) -> str:
    """Return what `make import-wordpress` prints: files, problems, next steps."""
    root = content.parent
    lines = [f"Wrote {path.relative_to(root)}" for path in report.written]
    if report.problems:
        lines += ["", f"{len(report.problems)} things to do by hand:"]
        lines += [f"  {problem}" for problem in report.problems]
    commands = report.curl_lines()
    if commands:
        lines += [
            "",
            (
                "Download the images the articles show (they already link to "
                "{static}/images/…, so `make check` passes once these ran):"
            ),
        ]
        lines += [f"  {line}" for line in commands]
    by_hand = report.by_hand_lines()
    if by_hand:
        lines += [
            "",
            (
                "Images at an address that is not a public web address (the "
                "export named it; nothing here downloads it):"
            ),
        ]
        lines += [f"  {line}" for line in by_hand]
    snippet = report.taxonomy_snippet()
    if snippet:
        lines += [
            "",
            (
                "Add these to content/taxonomy.yaml (under the lists of the same "
                "name), or change the articles to names it has:"
            ),
        ]
        lines += [f"  {line}" for line in snippet.splitlines()]
    if report.written:
        lines += [
            "",
            (
                "The articles are drafts (Status: draft): `make check` lists what is "
                "left, `make serve` previews them."
            ),
        ]
    else:
        lines += ["", "Nothing was imported."]
    return "\n".join(lines)
