"""The output manifest: each file a build writes has an origin; only those deploy.

Builds of the fixture site (development and publish settings) must account
for every file they write: a content file, the theme, or a named step of
the build. A file planted in the output after the build, a symlink, a
changed file, a missing one, or a missing manifest make `verify` name it;
the deploy tests (test_deploy_*.py) hold every deploy to refusing such an
output. The helpers here give hand-made test sites the manifest a build
would have left.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import shutil

from invoke import Exit
from manifest import (
    MANIFEST_FILE,
    entry,
    read_manifest,
    refusal,
    verify,
    write_manifest,
)
from manifest.listing import KINDS, walk
from pelican import signals
import pytest

from tests.support import (
    FIXTURE_CONTENT,
    ROOT,
    PelicanComplained,
    build,
    invoke,
    write_site,
)
from tools.devserver import serve_output

THEME = ROOT / "theme"


# --- helpers for the deploy tests ------------------------------------------------


def record_as_built(folder: Path) -> Path:
    """Write a manifest vouching for every file now in `folder`; return it.

    What a build would leave beside a hand-made test site, or a test's
    deliberate edit of a built one.
    """
    files = [path for path, _kind in walk(folder)]
    write_manifest(
        folder, [entry(folder, path, "generator", "tests") for path in files]
    )
    return folder


def built_site(folder: Path, files: dict[str, str]) -> Path:
    """Write a hand-made site, {relative path: text}, as a build leaves it."""
    return record_as_built(write_site(folder, files))


def add_a_page(output: Path) -> str:
    """Plant a page no build wrote; return its path."""
    (output / "evil.html").write_text("<p>DEFACED</p>")
    return "evil.html"


def add_a_symlink(output: Path) -> str:
    """Plant a symbolic link to a system file; return its path."""
    (output / "x").symlink_to("/etc/passwd")
    return "x"


def change_a_page(output: Path) -> str:
    """Change a page the build wrote; return its path."""
    page = output / "about" / "index.html"
    page.write_bytes(page.read_bytes() + b"<p>DEFACED</p>")
    return "about/index.html"


# Each way a file reaches output/ after the build: (plant, the words naming it).
PLANTED = {
    "a file added": (add_a_page, "not in the manifest"),
    "a symlink": (add_a_symlink, "a symbolic link"),
    "a changed file": (change_a_page, "changed since the build"),
}


def planted_copy(site: Path, folder: Path, plant) -> tuple[Path, str]:
    """Copy a built site to `folder/output`, plant one file; return (copy, its path)."""
    output = shutil.copytree(site, folder / "output")
    return output, plant(output)


# --- what a build records ----------------------------------------------------------


@pytest.mark.parametrize("site", ["fixture_site", "fixture_publish_site"])
def test_the_build_accounts_for_every_file_it_writes(site, request):
    output = request.getfixturevalue(site).output
    listed = read_manifest(output)
    written = {path for path, _kind in walk(output)}
    assert written == set(listed), "every file, and only those, is listed"
    assert MANIFEST_FILE not in listed, "the manifest does not list itself"
    assert verify(output) == []
    kinds = {item.kind for item in listed.values()}
    assert kinds == set(KINDS), "content, theme and generators all write files"
    for path, item in listed.items():
        assert item.source, path
        if item.kind == "content":
            assert (FIXTURE_CONTENT / item.source).is_file(), path
        elif item.kind == "theme":
            assert (THEME / item.source).is_file(), path
            # The theme's files are copied as they are.
            assert (THEME / item.source).read_bytes() == (output / path).read_bytes()
        if item.source.startswith(("images/", "extra/")) and item.kind == "content":
            assert (FIXTURE_CONTENT / item.source).read_bytes() == (
                output / path
            ).read_bytes(), path


def test_pages_name_their_source_and_the_rest_their_step(fixture_publish_site):
    listed = read_manifest(fixture_publish_site.output)
    # Each article's and page's own page comes from its Markdown file.
    assert listed["first-visit/index.html"].source == "articles/first-visit.md"
    assert listed["about/index.html"].source == "pages/about.md"
    # Everything else a step of the build wrote, each named.
    steps = {item.source for item in listed.values() if item.kind == "generator"}
    assert {
        "pelican:ArticlesGenerator",  # index, lists, archives, 404, search
        "pelican:feeds",
        "images:ImagesGenerator",
        "assets:AssetsGenerator",
        "seo:SeoGenerator",
        "pelican.plugins.sitemap",
        "search",
        "pelican.plugins.precompress",
    } <= steps
    assert listed["index.html"].source == "pelican:ArticlesGenerator"
    assert listed["sitemap.xml"].source == "pelican.plugins.sitemap"
    assert listed["index.html.gz"].source == "pelican.plugins.precompress"
    assert all(
        item.source == "search"
        for path, item in listed.items()
        if path.startswith("pagefind/")
    )


def test_each_line_of_the_manifest_is_one_json_object(fixture_site):
    lines = (fixture_site.output / MANIFEST_FILE).read_text().splitlines()
    header, *files = (json.loads(line) for line in lines)
    assert header == {"manifest": 1, "files": len(files)}
    assert [item["path"] for item in files] == sorted(item["path"] for item in files)
    assert set(files[0]) == {"path", "kind", "source", "size", "sha256"}


# --- the check every deploy makes ------------------------------------------------


@pytest.mark.parametrize("case", PLANTED, ids=PLANTED.keys())
def test_verify_names_a_file_planted_after_the_build(
    fixture_publish_site, tmp_path, case
):
    plant, words = PLANTED[case]
    output, planted = planted_copy(fixture_publish_site.output, tmp_path, plant)
    problems = verify(output)
    assert [problem.path for problem in problems] == [planted]
    assert words in problems[0].reason
    message = refusal(output, problems)
    assert f"output/{planted}: " in message
    assert "Rebuild with `make publish`; do not add" in message
    assert "\n" not in message


def test_verify_names_a_missing_file_and_a_symlinked_folder(
    fixture_publish_site, tmp_path
):
    output = shutil.copytree(fixture_publish_site.output, tmp_path / "output")
    (output / "first-visit" / "index.html").unlink()
    (output / "linked").symlink_to(output / "about", target_is_directory=True)
    found = {problem.path: problem.reason for problem in verify(output)}
    assert found.keys() == {"first-visit/index.html", "linked"}
    assert "missing" in found["first-visit/index.html"]
    assert "a symbolic link" in found["linked"]


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda path: path.unlink(), "there is no manifest"),
        (lambda path: path.write_text("not json\n"), "is damaged"),
        (lambda path: path.write_text('{"manifest": 1, "files": 9}\n'), "is damaged"),
    ],
    ids=["missing", "not JSON", "truncated"],
)
def test_a_missing_or_damaged_manifest_refuses_everything(
    fixture_site, tmp_path, damage, words
):
    output = shutil.copytree(fixture_site.output, tmp_path / "output")
    damage(output / MANIFEST_FILE)
    (problem,) = verify(output)
    assert problem.path == MANIFEST_FILE
    assert words in problem.reason


def test_a_long_list_is_cut_and_counted(tmp_path):
    output = built_site(tmp_path / "output", {"index.html": "home"})
    for number in range(25):
        (output / f"extra-{number:02d}.html").write_text("planted")
    message = refusal(output, verify(output))
    assert message.count("not in the manifest") == 20
    assert "; and 5 more." in message


def test_names_a_terminal_would_not_show_are_escaped(tmp_path):
    output = built_site(tmp_path / "output", {"index.html": "home"})
    (output / "line\nbreak.html").write_text("planted")
    message = refusal(output, verify(output))
    assert "output/line\\nbreak.html: not in the manifest" in message
    assert "\n" not in message


# --- what the build refuses to vouch for -------------------------------------------


def _write_after_the_generators(make):
    """Return a finalized receiver that calls `make(output folder)`."""

    def receiver(pelican) -> None:
        make(Path(pelican.output_path))

    return receiver


@pytest.mark.parametrize(
    ("make", "planted", "words"),
    [
        (
            lambda output: (output / "stray.html").write_text("x"),
            "stray.html",
            "has no known origin",
        ),
        (
            lambda output: (output / "link").symlink_to("/etc/passwd"),
            "link",
            "is a symbolic link",
        ),
    ],
    ids=["unknown file", "symlink"],
)
def test_a_file_of_no_known_origin_fails_the_build_and_stays_out(
    tmp_path, make, planted, words
):
    receiver = _write_after_the_generators(make)
    signals.finalized.connect(receiver)
    try:
        with pytest.raises(PelicanComplained) as complained:
            build(FIXTURE_CONTENT, tmp_path / "output")
    finally:
        signals.finalized.disconnect(receiver)
    message = str(complained.value)
    assert f"{planted} {words}" in message
    assert "cannot be published" in message
    output = tmp_path / "output"
    assert planted not in read_manifest(output), "left out of the manifest"
    assert [problem.path for problem in verify(output)] == [planted]


# --- the preview of output/ ------------------------------------------------------


@pytest.mark.parametrize("case", PLANTED, ids=PLANTED.keys())
def test_the_preview_of_output_refuses_a_planted_file(
    fixture_site, tmp_path, monkeypatch, case
):
    def never_served(*_arguments, **_options):
        raise AssertionError("output/ was served")

    # Refused before any server starts: a regression fails here, never hangs.
    monkeypatch.setattr("tools.devserver.ThreadingHTTPServer", never_served)
    plant, _words = PLANTED[case]
    output, planted = planted_copy(fixture_site.output, tmp_path, plant)
    with pytest.raises(Exit) as refused:
        serve_output(output, "127.0.0.1", 0)
    assert f"output/{planted}: " in str(refused.value.message)
    assert str(refused.value.message).startswith("Not serving: output/ is not")


def test_invoke_serve_refuses_a_planted_file_in_one_plain_line(project_copy):
    # `invoke serve` is how a reviewer looks at a built preview: it shows
    # only what the build wrote, as a deploy would publish it.
    assert invoke(project_copy, "build").returncode == 0
    output = project_copy / "output"
    assert verify(output) == []
    os.symlink("/etc/passwd", output / "passwd")
    (output / "evil.html").write_text("DEFACED")
    result = invoke(project_copy, "serve")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Not serving: output/ is not exactly what the build wrote")
    assert "output/evil.html: not in the manifest" in line
    assert "output/passwd: a symbolic link (to /etc/passwd)" in line
