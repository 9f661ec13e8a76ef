"""Bad content fails the build: each with its own message, all in one run.

These build the fixture site with one bad file added, in-process (to assert on
the exact problems) and through `invoke build` (to assert what a writer sees:
the exit code, the message, no traceback, and output/ left as it was).
"""

from __future__ import annotations

from pathlib import Path
import shutil

from content_schema import ContentError
import pytest

from tests.support import (
    BAD_FIXTURES,
    DEV_SETTINGS,
    build,
    invoke,
)

EXPECTED = {
    "invalid-syntax.yaml": [
        "content/testimonials/invalid-syntax.yaml:3: a quote mark that opens a value "
        "is never closed; close it at the end of the value, or remove it"
    ],
    "missing-field.yaml": [
        "content/testimonials/missing-field.yaml: condition: missing required field; "
        "add `condition: …`"
    ],
    "wrong-type.yaml": [
        "content/testimonials/wrong-type.yaml:9: consent.date: 'last spring' is not a "
        "date; write it as YYYY-MM-DD, e.g. 2026-03-14"
    ],
    "unknown-key.yaml": [
        "content/testimonials/unknown-key.yaml:6: raiting: unknown field; the fields "
        "are: collection, condition, consent, id, name, place, quote"
    ],
    "duplicate-id.yaml": [
        "content/testimonials/duplicate-id.yaml:1: id: duplicate id 'ana-fixture', "
        "already used by content/testimonials/ana-fixture.yaml; give each "
        "testimonial its own id"
    ],
    "missing-consent.yaml": [
        "content/testimonials/missing-consent.yaml: consent: missing required field; "
        "every testimonial needs a `consent:` block with status, record, date and "
        "scope (see content/testimonials/README.md)"
    ],
    "undated-consent.yaml": [
        "content/testimonials/undated-consent.yaml:6: consent.date: required when "
        "status is 'obtained': a consent record needs its form's identifier and the "
        "date it was signed"
    ],
}
UNKNOWN_ID = (
    "content/articles/unknown-testimonial.md:6: testimonials: unknown testimonial id "
    "'no-such-person'; known ids: ana-fixture, ben-fixture, script-fixture"
)


def problems_of(content: Path, output: Path, settings=DEV_SETTINGS) -> list[str]:
    with pytest.raises(ContentError) as raised:
        build(content, output, settings)
    return [str(p) for p in raised.value.problems]


@pytest.mark.parametrize("fixture", EXPECTED)
def test_bad_testimonial_fails_the_build_with_its_message(
    scratch_content, tmp_path, fixture
):
    shutil.copy(BAD_FIXTURES / fixture, scratch_content / "testimonials")
    assert problems_of(scratch_content, tmp_path / "out") == EXPECTED[fixture]
    assert not (tmp_path / "out" / "index.html").exists()


def test_unknown_testimonial_id_in_an_article_fails_the_build(
    scratch_content, tmp_path
):
    shutil.copy(BAD_FIXTURES / "unknown-testimonial.md", scratch_content / "articles")
    assert problems_of(scratch_content, tmp_path / "out") == [UNKNOWN_ID]


def test_marker_without_testimonials_fails_the_build(scratch_content, tmp_path):
    article = scratch_content / "articles" / "second-opinion.md"
    article.write_text(article.read_text() + "\n[testimonials]\n")
    assert problems_of(scratch_content, tmp_path / "out") == [
        "content/articles/second-opinion.md:13: testimonials: the text has a "
        "[testimonials] marker but the metadata lists no testimonials; add "
        "`Testimonials: id-1, id-2` or remove the marker"
    ]


def test_every_problem_of_a_run_is_reported_together(scratch_content, tmp_path):
    for fixture in EXPECTED:
        shutil.copy(BAD_FIXTURES / fixture, scratch_content / "testimonials")
    shutil.copy(BAD_FIXTURES / "unknown-testimonial.md", scratch_content / "articles")
    problems = problems_of(scratch_content, tmp_path / "out")
    # Testimonial files in name order, then the article references.
    assert problems == [*(EXPECTED[name][0] for name in sorted(EXPECTED)), UNKNOWN_ID]


def test_failed_build_exits_non_zero_and_keeps_the_last_good_output(project_copy):
    first = invoke(project_copy, "build")
    assert first.returncode == 0, first.stderr
    home = (project_copy / "output" / "index.html").read_text()

    for fixture in ("missing-consent.yaml", "wrong-type.yaml"):
        shutil.copy(BAD_FIXTURES / fixture, project_copy / "content" / "testimonials")
    second = invoke(project_copy, "build")

    assert second.returncode == 1
    assert EXPECTED["missing-consent.yaml"][0] in second.stderr
    assert EXPECTED["wrong-type.yaml"][0] in second.stderr
    assert "2 content problems to fix:" in second.stderr
    assert "previous output/ is unchanged" in second.stderr
    assert "Traceback" not in second.stderr + second.stdout
    assert (project_copy / "output" / "index.html").read_text() == home
    assert (
        sorted(p.name for p in project_copy.iterdir() if p.name.startswith(".output"))
        == []
    )


def test_a_pelican_warning_also_fails_the_build(project_copy):
    # Content problems are ours to report; this one is Pelican's own warning.
    settings = project_copy / "pelicanconf.py"
    settings.write_text(
        settings.read_text() + '\nFEED_ALL_ATOM = "feeds/all.atom.xml"\n'
    )
    result = invoke(project_copy, "build")
    assert result.returncode == 1
    assert "Feeds generated without SITEURL" in result.stdout + result.stderr
    assert "The build stopped at the warning above." in result.stderr
    assert not (project_copy / "output").exists()


def test_successful_build_replaces_the_output(project_copy):
    stale = project_copy / "output" / "renamed-article" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("stale")
    result = invoke(project_copy, "build")
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert (project_copy / "output" / "first-visit" / "index.html").is_file()


def test_an_error_in_the_tools_is_one_plain_line_not_a_traceback(
    monkeypatch, tmp_path, capsys
):
    from tools import build as build_module  # noqa: PLC0415 - patched here only

    def crash(*_arguments):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(build_module, "run_pelican", crash)
    monkeypatch.setattr(build_module, "FAILURE_LOG", tmp_path / "failure.log")
    assert build_module.build_or_report("pelicanconf.py", str(tmp_path / "out")) == 1
    said = capsys.readouterr().err
    assert "report it to a maintainer" in said
    assert "Traceback" not in said
    assert "Traceback" in (tmp_path / "failure.log").read_text()
