"""A writer's and the clinic's normal work keeps CI green and the site publishable.

Each scenario copies the repository with the seed content (the clinic's first
article and its testimonials), does what writers and the clinic do with the
make targets' tasks, then runs what CI runs over content: the publish check,
the publish build, and every content invariant (tests marked real_content),
pointed at the edited copy through BLOG_CONTENT.
"""

from __future__ import annotations

import os
from pathlib import Path
import re
import shutil
import subprocess
import sys

from bs4 import BeautifulSoup

from tests.scaffolds import ARTICLE_FILLS, TESTIMONIAL_FILLS, consented, fill
from tests.support import ROOT, SEED_CONTENT, copy_project, invoke, text

SEED_ARTICLE = Path("articles") / "ketamine-for-ptsd.md"
CONSENT_RECORDED = (
    "  status: obtained\n  record: CONSENT-TEST-{n}\n  date: 2026-11-30\n"
    "  scope: [website]\n"
)


def seed_project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "content")
    shutil.copytree(SEED_CONTENT, project / "content")
    return project


def run_ok(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    result = invoke(project, *arguments)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def content_invariants_pass(content: Path) -> None:
    """Run CI's content tests (no browser) against `content`; fail with their output."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "real_content and not browser and not node_tools",
        ],
        cwd=ROOT,
        env={**os.environ, "BLOG_CONTENT": str(content)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert " passed" in result.stdout


def page_words(project: Path, url: str) -> str:
    html = (project / "output" / url / "index.html").read_text(encoding="utf-8")
    return text(BeautifulSoup(html, "html.parser"))


def test_a_new_article_a_new_testimonial_a_correction_and_consent(tmp_path):
    project = seed_project(tmp_path)
    content = project / "content"

    run_ok(project, "new-article", "What to Expect at Your First Infusion")
    article = content / "articles" / "what-to-expect-at-your-first-infusion.md"
    article.write_text(
        fill(article.read_text(), ARTICLE_FILLS).replace(
            "Status: draft\n", "Testimonials: jo-pasadena\n"
        )
    )
    run_ok(project, "new-testimonial", "--id", "jo-pasadena")
    testimonial = content / "testimonials" / "jo-pasadena.yaml"
    testimonial.write_text(consented(fill(testimonial.read_text(), TESTIMONIAL_FILLS)))
    # The editorial question asks for it: the study is from 2014.
    seed = content / SEED_ARTICLE
    seed.write_text(
        seed.read_text().replace("JAMA Psychiatry in 2022", "JAMA Psychiatry in 2014")
    )
    # The clinic records consent for every testimonial, and when and how each
    # was collected.
    for number, path in enumerate(sorted((content / "testimonials").glob("*.yaml"))):
        recorded = re.sub(
            r"^  status: pending\n",
            CONSENT_RECORDED.format(n=number),
            path.read_text(),
            flags=re.MULTILINE,
        )
        recorded = re.sub(
            r"^  date: TO FILL IN$", "  date: 2026-01-02", recorded, flags=re.MULTILINE
        )
        recorded = re.sub(
            r"^  material_connection: TO FILL IN$",
            "  material_connection: none",
            recorded,
            flags=re.MULTILINE,
        )
        path.write_text(recorded)
    # The clinic says who its editorial team is.
    taxonomy = content / "taxonomy.yaml"
    filled = re.sub(
        r'"TO FILL IN: [^"]*"', '"Filled in by the clinic"', taxonomy.read_text()
    )
    assert filled != taxonomy.read_text()
    taxonomy.write_text(filled)
    # The clinic's medical reviewer writes the standard risks text.
    settings = project / "pelicanconf.py"
    assert "RISKS_NOTES = (" in settings.read_text()
    with settings.open("a", encoding="utf-8") as file:
        file.write(
            '\nRISKS_NOTES = ({"terms": ("ketamine",), '
            '"text": "The reviewer\'s words on risks."},)\n'
        )

    publish_check = run_ok(project, "check", "--publish")
    assert "withheld:" not in publish_check.stderr
    assert "todo:" not in publish_check.stderr
    run_ok(project, "publish")
    new_page = page_words(project, "what-to-expect-at-your-first-infusion")
    assert "My first paragraph." in new_page
    assert "My own words about my treatment." in new_page
    assert "My own words about my treatment." in page_words(project, "testimonials")
    corrected = page_words(project, "ketamine-for-ptsd")
    assert "JAMA Psychiatry in 2014" in corrected
    assert "JAMA Psychiatry in 2022" not in corrected
    assert "Risks and side effects" in corrected
    assert "The reviewer's words on risks." in corrected
    content_invariants_pass(content)


def test_the_clinic_may_retire_the_seed_article_and_its_testimonials(tmp_path):
    project = seed_project(tmp_path)
    content = project / "content"
    (content / SEED_ARTICLE).unlink()
    for path in (content / "testimonials").glob("*.yaml"):
        path.unlink()
    # git keeps no empty folder: a clone of this commit has no articles/ at all.
    for folder in (content / "articles", content / "testimonials"):
        if not any(folder.iterdir()):
            folder.rmdir()

    run_ok(project, "check", "--publish")
    run_ok(project, "build")
    run_ok(project, "publish")
    assert (project / "output" / "index.html").is_file()
    content_invariants_pass(content)


def test_a_pending_testimonial_never_holds_back_a_correction(tmp_path):
    project = seed_project(tmp_path)
    content = project / "content"
    seed = content / SEED_ARTICLE
    seed.write_text(
        seed.read_text().replace("JAMA Psychiatry in 2022", "JAMA Psychiatry in 2014")
    )
    result = run_ok(project, "publish")
    assert "withheld (left out of this build): content/testimonials/" in result.stderr
    assert "JAMA Psychiatry in 2014" in page_words(project, "ketamine-for-ptsd")
    content_invariants_pass(content)
