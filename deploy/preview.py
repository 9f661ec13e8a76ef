"""Pull-request previews: built as the site will be published, under previews/pr-N/.

`build_preview` builds with publishconf.py at the preview's address, asks
search engines not to index it, and can write the pull request's comment
(preview_report.py); `deploy_preview` and `remove_preview` change that one
folder of the gh-pages branch and nothing else.
"""

from __future__ import annotations

import os
from pathlib import Path

from content_schema import check_content
from invoke import Exit
from pelican.settings import read_settings

from deploy import gh_pages
from deploy.preview_report import changed_files, preview_report
from deploy.publish import deploy_errors, from_environment, pages_branch, say
from tools.build import build_site
from tools.config import CONFIG, ROOT


def build_preview(pr: int, base_url: str, base: str, report: str) -> str:
    """Build pull request `pr`'s preview into output/; return its address.

    A failed build stops the task. With `report`, the comment is written
    there first, and the build's problems are added to it when the build
    fails.
    """
    base_url = from_environment(base_url, "PAGES_URL", "--base-url").rstrip("/")
    preview_url = f"{base_url}/{gh_pages.preview_path(pr)}"
    # publishconf.py reads both: the preview's own address, and noindex.
    os.environ["SITEURL"] = preview_url
    os.environ["SITE_NOINDEX"] = "1"
    if report:
        _write_report(Path(report), base, preview_url)
    result = build_site(CONFIG["publish_settings"], CONFIG["output"])
    if not result.ok:
        if report:
            with Path(report).open("a", encoding="utf-8") as comment:
                comment.write(
                    "\n**The preview could not be built**, so it was not updated. "
                    "The problems:\n\n```\n" + result.messages + "\n```\n"
                )
        raise Exit("Preview build failed: nothing was deployed.", code=1)
    return preview_url


def _write_report(path: Path, base: str, preview_url: str) -> None:
    """Write the comment: pages and testimonials changed since `base`, warnings."""
    with deploy_errors():
        changes = changed_files(ROOT, base)
    settings = read_settings(str(CONFIG["publish_settings"]))
    path.write_text(
        preview_report(changes, check_content(settings), preview_url), encoding="utf-8"
    )


def deploy_preview(pr: int, site: Path) -> None:
    """Push the built preview in `site` to gh-pages under previews/pr-N/."""
    with deploy_errors():
        gh_pages.publish_preview(pages_branch(), site, pr)


def remove_preview(pr: int) -> None:
    """Delete pull request `pr`'s preview from gh-pages (and nothing else)."""
    with deploy_errors():
        removed = gh_pages.remove_preview(pages_branch(), pr)
    say(f"Preview pr-{pr} {'removed' if removed else 'was not on the branch'}.")
