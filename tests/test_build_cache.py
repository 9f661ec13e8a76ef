"""The build cache: rebuilds reuse work, and never serve what changed inputs outdate."""

from __future__ import annotations

from html import unescape
from pathlib import Path
import re
import shutil

from build_cache import build_cache, fingerprint as build_fingerprint
import images.images
from pelican.settings import read_settings
import pytest
import smartypants

from bench.sites import built_files
from tests.support import DEV_SETTINGS, FIXTURE_CONTENT, ROOT, build


def html_files(output: Path) -> dict[str, bytes]:
    """Return every HTML page of a build: {relative path: bytes}."""
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*.html"))
    }


def rebuild(content: Path, output: Path, **overrides) -> Path:
    """Build into `output` again (emptied first), keeping its build cache."""
    shutil.rmtree(output, ignore_errors=True)
    return build(content, output, **overrides)


@pytest.fixture
def count_smartypants(monkeypatch) -> list[int]:
    """Count the texts Typogrify's slowest step really processes."""
    calls = [0]
    original = smartypants.smartypants

    def counting(*arguments, **options):
        calls[0] += 1
        return original(*arguments, **options)

    monkeypatch.setattr(smartypants, "smartypants", counting)
    return calls


def test_a_warm_rebuild_writes_the_same_pages_without_redoing_typography(
    tmp_path, count_smartypants
):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "out"
    cold = html_files(build(content, output))
    assert count_smartypants[0] > 20
    count_smartypants[0] = 0
    warm = html_files(rebuild(content, output))
    assert warm == cold
    assert count_smartypants[0] == 0, "every text came from the typography cache"

    article = content / "articles" / "older-notes.md"
    article.write_text(article.read_text() + "\nA new paragraph -- with a dash.\n")
    edited = html_files(rebuild(content, output))
    assert "A new paragraph – with a" in unescape(
        edited["older-notes/index.html"].decode()
    )
    assert count_smartypants[0] == 1, "only the edited text is typeset again"


def test_cards_and_image_copies_come_from_the_cache(tmp_path, monkeypatch):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "out"
    build(content, output)
    card = (output / "images" / "social" / "older-notes.png").read_bytes()
    copy = (output / "images" / "window-light-480w.webp").read_bytes()

    def refuse(*_arguments, **_options):
        raise AssertionError("drawn or encoded again")

    monkeypatch.setattr(images.images, "draw_card", refuse)
    monkeypatch.setattr(images.images, "write_variant", refuse)
    rebuild(content, output)
    assert (output / "images" / "social" / "older-notes.png").read_bytes() == card
    assert (output / "images" / "window-light-480w.webp").read_bytes() == copy


def test_a_changed_markdown_setting_is_never_served_from_the_cache(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "out"
    before = (build(content, output) / "first-visit" / "index.html").read_text()
    assert 'class="headerlink"' not in before
    # Pelican's own reader cache knows only files' modification times: without
    # the fingerprint it would serve the Markdown rendered without permalinks.
    markdown = read_settings(str(DEV_SETTINGS))["MARKDOWN"]
    with_permalinks = {
        **markdown,
        "extension_configs": {
            **markdown["extension_configs"],
            "markdown.extensions.toc": {"permalink": True},
        },
    }
    after = rebuild(content, output, MARKDOWN=with_permalinks)
    assert 'class="headerlink"' in (after / "first-visit" / "index.html").read_text()


def test_a_changed_typography_setting_typesets_again(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    article = content / "articles" / "older-notes.md"
    article.write_text(article.read_text() + "\nOne -- two --- three.\n")
    output = tmp_path / "out"
    page = Path("older-notes", "index.html")
    oldschool = unescape((build(content, output) / page).read_text())
    assert "One – two —\xa0three." in oldschool
    default = rebuild(content, output, TYPOGRIFY_DASHES="default")
    assert "One — two —-\xa0three." in unescape((default / page).read_text())


def test_a_changed_template_or_theme_file_changes_the_output(tmp_path):
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "out"
    build(content, output, THEME=str(theme))
    card = (output / "images" / "social" / "older-notes.png").read_bytes()

    footer = theme / "templates" / "partials" / "site_footer.html"
    footer.write_text(
        footer.read_text().replace("</footer>", "<p>Edited.</p></footer>")
    )
    tokens = theme / "static" / "css" / "tokens.css"
    tokens.write_text(tokens.read_text().replace("#fbfaf7", "#fffaf0", 1))
    rebuild(content, output, THEME=str(theme))
    assert "<p>Edited.</p>" in (output / "index.html").read_text()
    # The card is drawn in the theme's colours: a new one, not the cached one.
    assert (output / "images" / "social" / "older-notes.png").read_bytes() != card


def test_the_fingerprint_covers_settings_theme_and_plugin_code(tmp_path):
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    plugins = shutil.copytree(
        ROOT / "plugins",
        tmp_path / "plugins",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    settings = read_settings(
        str(DEV_SETTINGS),
        override={"THEME": str(theme), "PLUGIN_PATHS": [str(plugins)]},
    )
    original = build_fingerprint(settings)
    assert build_fingerprint({**settings, "OUTPUT_PATH": "/elsewhere"}) == original
    # make serve indexes search after the reload: its rebuilds share the cache.
    assert build_fingerprint({**settings, "SEARCH_INDEX": False}) == original
    assert build_fingerprint({**settings, "TYPOGRIFY": False}) != original
    (theme / "templates" / "base.html").write_text("changed")
    changed_theme = build_fingerprint(settings)
    assert changed_theme != original
    (plugins / "seo" / "seo.py").write_text("changed")
    assert build_fingerprint(settings) not in (original, changed_theme)


def test_old_cache_folders_are_pruned(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "out"
    for name in ("A", "B", "C", "D"):
        rebuild(content, output, SITENAME=f"Site {name}", BUILD_CACHE_KEEP=2)
    cache = output.with_name(output.name + ".cache")
    fingerprints = [p for p in cache.iterdir() if p.is_dir() and p.name != "shared"]
    assert len(fingerprints) == 2
    assert (cache / "shared" / "cards").is_dir(), "the shared cache is kept"


def test_cards_and_copies_outlive_a_fingerprint_change_that_leaves_them_alone(
    tmp_path, monkeypatch
):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "out"
    build(content, output)
    drawn = []
    original = images.images.draw_card

    def counting(title, *arguments):
        drawn.append(title)
        return original(title, *arguments)

    def refuse(*_arguments, **_options):
        raise AssertionError("encoded again")

    monkeypatch.setattr(images.images, "draw_card", counting)
    monkeypatch.setattr(images.images, "write_variant", refuse)
    # Another footer text: a new fingerprint, the same cards and copies.
    rebuild(content, output, FOOTER_NOTE="Another footer")
    assert drawn == []
    article = content / "articles" / "older-notes.md"
    article.write_text(
        re.sub(
            r"^Title: .*$",
            "Title: A new title for older notes",
            article.read_text(),
            count=1,
            flags=re.MULTILINE,
        )
    )
    rebuild(content, output, FOOTER_NOTE="Another footer")
    assert drawn == ["A new title for older notes"]
    # Another site name is on every card: all are drawn again.
    drawn.clear()
    rebuild(content, output, SITENAME="Another name")
    assert len(drawn) > 2


def test_a_damaged_typography_file_is_ignored(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "out"
    cold = html_files(build(content, output))
    (stored,) = output.with_name(output.name + ".cache").glob(
        f"*/{build_cache.TYPOGRAPHY_FILE}"
    )
    stored.write_bytes(b"not a pickle")
    assert html_files(rebuild(content, output)) == cold


def test_sources_read_on_every_core_build_the_same_bytes_as_one_process(
    tmp_path, monkeypatch
):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    sent = []
    original = build_cache.prewarm

    def counted(settings, memo):
        sent.append(original(settings, memo))
        return sent[-1]

    monkeypatch.setattr(build_cache, "prewarm", counted)
    serial = build(content, tmp_path / "serial", BUILD_CACHE_PROCESSES=1)
    assert sent == [0]
    parallel = build(
        content,
        tmp_path / "parallel",
        BUILD_CACHE_PROCESSES=2,
        BUILD_CACHE_PREWARM_MIN=0,
    )
    assert sent[-1] == len(list((content / "articles").glob("*.md"))) + len(
        list((content / "pages").glob("*.md"))
    ), "the workers read every article and page"
    assert built_files(parallel) == built_files(serial)
