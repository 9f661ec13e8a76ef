"""The preview's incremental builds equal cold builds, byte for byte.

tools/incremental.py renders again only the pages whose inputs changed;
tools/preview_worker.py keeps one process building. The acceptance test
applies random sequences of a writer's edits to a generated site and, after
each, holds the worker's served folder to a cold build of the same content:
the same files, the same bytes. The other tests pin the dependency rules one
by one, and the worker's ways of failing.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
import re
import select
import shutil
import sys
import tempfile

from hypothesis import HealthCheck, given, settings, strategies as st
from jinja2 import Environment, FileSystemLoader
from pelican import signals
import pytest

from bench import corpus as generated
from bench.corpus import TAGS, article_slug, write_corpus
from bench.sites import built_files, write_our_settings
from tests.support import disconnect_plugins
from tools import incremental
from tools.build import build_here
from tools.config import ROOT
from tools.incremental import (
    EVERYTHING,
    ValueDigest,
    mirror_changes,
    snapshot,
    template_variables,
)
from tools.preview_worker import (
    PreviewWorker,
    Worker as PreviewBuilds,
    forget_settings_modules,
)

ARTICLES = 8


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Write a generated site of ARTICLES articles, linking to each other."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, articles=ARTICLES)
    return folder


def _site_copy(corpus: Path, into: Path) -> Path:
    """Copy the corpus into `into`; return its settings file."""
    shutil.copytree(corpus / "content", into / "content")
    return write_our_settings(into / "settings.py", into / "content", into / "cache")


class Worker(PreviewBuilds):
    """The worker's builds, each started as in a process of its own.

    A test process runs other builds too (publish builds connect minify and
    precompress): each build here starts with only its own plugins.
    """

    def build(self) -> dict:
        """Make one build, with the plugins of this one alone."""
        disconnect_plugins()
        return super().build()


def _cold_build(settings_file: Path, into: Path) -> int:
    """Build afresh into `into`, with a cache of its own: a cold build."""
    disconnect_plugins()
    forget_settings_modules(str(settings_file))
    code, _addresses, _problems = build_here(
        str(settings_file),
        {
            "OUTPUT_PATH": str(into),
            "CACHE_PATH": str(into.with_name("cold-cache")),
            "SEARCH_INDEX": False,
        },
    )
    return code


def assert_same_site(served: Path, cold: Path) -> None:
    """Fail, naming the files, unless both folders hold the same files and bytes."""
    ours, theirs = built_files(served), built_files(cold)
    assert sorted(ours) == sorted(theirs), (
        f"only incremental: {sorted(set(ours) - set(theirs))}; "
        f"only cold: {sorted(set(theirs) - set(ours))}"
    )
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert not differing, f"stale pages: {differing}"


# --- the writer's edits ---------------------------------------------------------


def _article(content: Path, number: int) -> Path:
    return content / "articles" / f"{article_slug(number)}.md"


def _replace_header(path: Path, field: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    if re.search(rf"^{field}:", text, flags=re.MULTILINE):
        text = re.sub(
            rf"^{field}:.*$", f"{field}: {value}", text, count=1, flags=re.MULTILINE
        )
    else:
        text = f"{field}: {value}\n" + text
    path.write_text(text, encoding="utf-8")


def apply_edit(content: Path, edit: tuple) -> None:
    """Make one edit as a writer would save it."""
    kind, number, value = edit
    article = _article(content, number % ARTICLES)
    if kind == "append":
        with article.open("a", encoding="utf-8") as handle:
            handle.write(f"\nA new paragraph about {value} for readers.\n")
    elif kind == "title":
        _replace_header(article, "Title", f"A retitled article on {value}")
    elif kind == "tags":
        _replace_header(article, "Tags", ", ".join(value))
    elif kind == "date":
        _replace_header(article, "Date", f"2021-{value:02d}-15")
    elif kind == "status":
        _replace_header(article, "Status", value)
    elif kind == "summary":
        _replace_header(
            article,
            "Summary",
            f"Plain words about {value} for readers who want to know what comes next.",
        )
    elif kind == "testimonial":
        path = (
            content / "testimonials" / f"{generated.testimonial_id(number % 20)}.yaml"
        )
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(
                r"^quote:.*$",
                f"quote: New words about {value}, for tests only.",
                text,
                count=1,
                flags=re.MULTILINE,
            ),
            encoding="utf-8",
        )
    elif kind == "new":
        (content / "articles" / f"added-{number}.md").write_text(
            f"Title: An added article on {value}\nDate: 2022-03-0{number % 9 + 1}\n"
            f"Summary: Plain words about {value} for readers who want to know more.\n"
            "Author: Editorial team\nCategory: Research\nTags: sleep\n"
            f"Slug: added-{number}\n\nA first paragraph about {value}.\n",
            encoding="utf-8",
        )
    elif kind == "remove":
        (content / "articles" / f"added-{number}.md").unlink(missing_ok=True)
    elif kind == "page":
        with (content / "pages" / f"page-{number % 3}.md").open("a") as handle:
            handle.write(f"\nMore about {value} for readers.\n")


WORD = st.sampled_from(("sleep", "family", "calm", "research", "hope"))
EDITS = st.one_of(
    st.tuples(st.just("append"), st.integers(0, 7), WORD),
    st.tuples(st.just("title"), st.integers(0, 7), WORD),
    st.tuples(
        st.just("tags"),
        st.integers(0, 7),
        st.lists(st.sampled_from(TAGS), min_size=1, max_size=3, unique=True),
    ),
    st.tuples(st.just("date"), st.integers(0, 7), st.integers(1, 12)),
    st.tuples(
        st.just("status"), st.integers(0, 7), st.sampled_from(("draft", "published"))
    ),
    st.tuples(st.just("summary"), st.integers(0, 7), WORD),
    st.tuples(st.just("testimonial"), st.integers(0, 19), WORD),
    st.tuples(st.just("new"), st.integers(0, 2), WORD),
    st.tuples(st.just("remove"), st.integers(0, 2), WORD),
    st.tuples(st.just("page"), st.integers(0, 2), WORD),
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(EDITS, min_size=1, max_size=4))
def test_after_any_edits_the_incremental_preview_equals_a_cold_build(corpus, edits):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        settings_file = _site_copy(corpus, root)
        worker = Worker(str(settings_file), root / "served")
        assert worker.build()["ok"]
        for step, edit in enumerate(edits):
            apply_edit(root / "content", edit)
            reply = worker.build()
            cold = root / f"cold-{step}"
            assert (_cold_build(settings_file, cold) == 0) == reply["ok"], edit
            if reply["ok"]:
                assert_same_site(root / "served", cold)


def test_an_edit_renders_its_page_and_the_pages_that_show_it_not_the_rest(
    corpus, tmp_path
):
    settings_file = _site_copy(corpus, tmp_path)
    worker = Worker(str(settings_file), tmp_path / "served")
    first = worker.build()
    assert first["kept"] == 0 and first["rendered"] > 20
    unchanged = worker.build()
    assert unchanged["rendered"] == 0, "nothing changed, yet pages were rendered"
    apply_edit(tmp_path / "content", ("append", 3, "sleep"))
    edited = worker.build()
    assert 0 < edited["rendered"] < first["rendered"] // 2
    assert edited["copied"] >= 1
    page = tmp_path / "served" / article_slug(3) / "index.html"
    assert "A new paragraph about sleep" in page.read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_served_site_as_it_was(corpus, tmp_path):
    settings_file = _site_copy(corpus, tmp_path)
    worker = Worker(str(settings_file), tmp_path / "served")
    assert worker.build()["ok"]
    before = built_files(tmp_path / "served")
    article = _article(tmp_path / "content", 2)
    _replace_header(article, "Date", "2021-13-45")
    reply = worker.build()
    assert not reply["ok"]
    assert any(problem["field"] == "date" for problem in reply["problems"])
    assert built_files(tmp_path / "served") == before
    _replace_header(article, "Date", "2021-02-03")
    assert worker.build()["ok"]
    cold = tmp_path / "cold"
    assert _cold_build(settings_file, cold) == 0
    assert_same_site(tmp_path / "served", cold)


def test_a_full_disk_leaves_no_half_page_and_the_next_build_heals(
    corpus, tmp_path, monkeypatch
):
    settings_file = _site_copy(corpus, tmp_path)
    served = tmp_path / "served"
    assert Worker(str(settings_file), served).build()["ok"]
    worker = Worker(str(settings_file), served)
    assert worker.build()["ok"]
    _replace_header(_article(tmp_path / "content", 2), "Title", "After a full disk")
    tried: list[Path] = []

    def full_disk(_source, target):
        tried.append(Path(target))
        Path(target).write_bytes(b"half a pa")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(incremental, "_copy_bytes", full_disk)
    reply = worker.build()
    assert tried
    assert not reply["ok"]
    assert not [path for path in served.rglob("*") if path.name.endswith(".partial")]
    monkeypatch.undo()
    # The worker asked for a fresh process: the next build is a new Worker's.
    assert Worker(str(settings_file), served).build()["ok"]
    cold = tmp_path / "cold"
    assert _cold_build(settings_file, cold) == 0
    assert_same_site(served, cold)


# --- the rules, one by one ------------------------------------------------------


def _environment(tmp_path: Path, templates: dict[str, str]) -> Environment:
    for name, text in templates.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return Environment(loader=FileSystemLoader(str(tmp_path)))


def test_a_page_reads_the_variables_of_its_whole_template_tree(tmp_path):
    env = _environment(
        tmp_path,
        {
            "base.html": "{{ SITENAME }}{% block body %}{% endblock %}"
            "{% include 'foot.html' %}",
            "foot.html": "{{ FOOTER_TEXT }}",
            "page.html": "{% extends 'base.html' %}"
            "{% block body %}{{ page.title }}{% endblock %}",
        },
    )
    assert template_variables(env, "page.html") == {"SITENAME", "FOOTER_TEXT", "page"}


def test_a_template_with_a_computed_include_reads_everything(tmp_path):
    env = _environment(tmp_path, {"page.html": "{% include chosen %}"})
    assert template_variables(env, "page.html") == {EVERYTHING}


def _article_items(tmp_path, corpus):
    """Build the corpus once in this process; return its articles by slug."""
    found = {}

    def keep(generators):
        for generator in generators:
            for article in getattr(generator, "articles", ()):
                found[article.slug] = article

    settings_file = _site_copy(corpus, tmp_path)
    signals.all_generators_finalized.connect(keep)
    try:
        assert _cold_build(settings_file, tmp_path / "out") == 0
    finally:
        signals.all_generators_finalized.disconnect(keep)
    return found


def test_an_item_counts_with_what_it_names_but_not_what_those_name(corpus, tmp_path):
    articles = _article_items(tmp_path, corpus)
    article = next(a for a in articles.values() if a.newer_article and a.older_article)
    digests = ValueDigest((), b"")
    whole = digests.digest(article)
    # A neighbour's title is on the page: changing it changes the page's digest.
    article.newer_article.title = "Another title"
    assert ValueDigest((), b"").digest(article) != whole
    # The neighbour's own neighbours are not on the page.
    seen_again = ValueDigest((), b"").digest(article)
    far = article.newer_article.newer_article or article.newer_article.related_articles
    if far:
        target = far if not isinstance(far, (list, tuple)) else far[0]
        if target is not article:
            target.title = "Far away"
            assert ValueDigest((), b"").digest(article) == seen_again


def test_a_text_that_links_to_another_source_depends_on_every_address(corpus, tmp_path):
    articles = _article_items(tmp_path, corpus)
    article = next(a for a in articles.values() if "{filename}" in a._content)
    assert ValueDigest((), b"a").digest(article) != ValueDigest((), b"b").digest(
        article
    )
    for each in articles.values():  # the items it names count with their own texts
        each._content = re.sub(
            r"\{filename\}[^\"]*", "https://example.org/", each._content
        )
    assert ValueDigest((), b"a").digest(article) == ValueDigest((), b"b").digest(
        article
    )


@pytest.mark.parametrize("form", ["{filename|", "|filename}", "|filename|"])
def test_every_delimiter_form_of_a_link_depends_on_every_address(
    corpus, tmp_path, form
):
    """Pelican resolves `{filename|x` like `{filename}x`: so must the digest."""
    articles = _article_items(tmp_path, corpus)
    article = next(a for a in articles.values() if "{filename}" in a._content)
    for each in articles.values():
        each._content = each._content.replace("{filename}", form)
    assert ValueDigest((), b"a").digest(article) != ValueDigest((), b"b").digest(
        article
    )


def test_settings_and_context_count_by_identity():
    settings_ = {"SITENAME": "A"}
    digests = ValueDigest((settings_,), b"")
    first = digests.digest({"site": settings_})
    settings_["SITENAME"] = "B"
    assert ValueDigest((settings_,), b"").digest({"site": settings_}) == first


def test_mirror_copies_what_changed_and_removes_pages_no_longer_built(tmp_path):
    work, served = tmp_path / "work", tmp_path / "served"
    for folder in (work, served):
        (folder / "a").mkdir(parents=True)
        (folder / "a" / "index.html").write_text("old a")
        (folder / "gone").mkdir()
        (folder / "gone" / "index.html").write_text("old gone")
    (served / "pagefind").mkdir()
    (served / "pagefind" / "index.json").write_text("{}")
    before = snapshot(work)
    (work / "a" / "index.html").write_text("new a")
    (work / "b.html").write_text("new b")
    copied, removed = mirror_changes(
        work, served, before, snapshot(work), kept=(), untouched=("pagefind",)
    )
    assert copied == ["a/index.html", "b.html"]
    assert removed == ["gone/index.html"]
    assert (served / "a" / "index.html").read_text() == "new a"
    assert not (served / "gone").exists(), "an empty page folder would stop a redirect"
    assert (served / "pagefind" / "index.json").is_file()


# --- the worker process ---------------------------------------------------------


# A worker killed during its parallel read: its forked reader keeps the pipe
# open. It writes the reader's process id, then dies without a reply.
KILLED_DURING_ITS_READ = """
import os, signal, sys
sys.stdin.readline()
reader = os.fork()
if reader == 0:
    signal.pause()
with open(sys.argv[1], "a") as readers:
    readers.write(f"{reader}\\n")
os._exit(9)
"""


def _ends(pid: int) -> bool:
    """Whether process `pid` ends: waits for the event itself (a pidfd), not a time.

    The bound only keeps a broken build from hanging the suite.
    """
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([handle], [], [], 120)[0])
    finally:
        os.close(handle)


def test_a_worker_killed_mid_build_ends_with_its_readers_and_is_replaced(tmp_path):
    readers = tmp_path / "readers.txt"
    worker = PreviewWorker(ROOT / "pelicanconf.py", tmp_path / "served")
    worker.command = [sys.executable, "-c", KILLED_DURING_ITS_READ, str(readers)]
    result = worker.build()  # returns: it never waits on the pipe alone
    assert not result.ok
    assert "stopped unexpectedly, three times" in result.messages
    started = [int(line) for line in readers.read_text().split()]
    assert len(started) == 3
    assert all(_ends(pid) for pid in started)


def test_the_worker_process_builds_and_starts_afresh_when_the_theme_changes(
    corpus, tmp_path, monkeypatch
):
    settings_file = _site_copy(corpus, tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    with settings_file.open("a", encoding="utf-8") as handle:
        handle.write(f"THEME = {str(theme)!r}\n")
    worker = PreviewWorker(settings_file, tmp_path / "served")
    try:
        assert worker.build().ok
        first_process = worker.process.pid
        assert worker.build().ok and worker.last["rendered"] == 0
        footer = theme / "templates" / "partials" / "site_footer.html"
        footer.write_text(footer.read_text() + "<!-- a theme edit -->\n")
        assert worker.build().ok
        assert worker.process.pid != first_process
        assert worker.last["kept"] == 0, "a theme change renders every page"
        home = (tmp_path / "served" / "index.html").read_text(encoding="utf-8")
        assert "a theme edit" in home
    finally:
        worker.close()


def test_a_worker_that_dies_is_started_again_and_says_so_when_it_cannot(tmp_path):
    broken = tmp_path / "settings.py"
    broken.write_text("raise SystemExit(3)\n")
    worker = PreviewWorker(broken, tmp_path / "served")
    try:
        result = worker.build()
    finally:
        worker.close()
    assert not result.ok
    assert "Traceback" not in result.messages
    assert "make serve" in result.messages
