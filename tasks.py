"""The one command surface of the blog: the Makefile and CI call these tasks.

Every build goes through tools/build.py: Pelican with fatal warnings, in a
child process, into a staging folder swapped into place only on success.
"""

from __future__ import annotations

from pathlib import Path
import shutil

from invoke import Exit, task

from deploy import headers, preview as previews, publish as publishing
from deploy.publish import DEPLOY_TARGETS, say
from tools import (
    check_report,
    ci_output,
    code_css as code_css_module,
    devserver,
    docs as docs_module,
    editor_server,
    editorial_report as editorial_report_module,
    preview_process,
    review as review_module,
    scaffold,
    setup,
)
from tools.build import build_or_exit, remove_leftovers
from tools.config import BIN, CONFIG, ROOT


@task(
    help={
        "publish": "Apply the publish build's rules (placeholders refused, "
        "testimonials without consent withheld)",
        "content": "Check another content folder (default: content/)",
        "only": "Show findings for this file only (repeat for several files)",
        "summary": "Also append the findings as Markdown to this file "
        "(CI passes $GITHUB_STEP_SUMMARY)",
    },
    iterable=["only"],
)
@ci_output.commands_stopped
def check(c, publish=False, content="", only=None, summary=""):
    """Check all content without building it: every problem, with file and line."""
    settings = CONFIG["publish_settings"] if publish else CONFIG["dev_settings"]
    code = check_report.run_check(
        settings, content, tuple(only or ()), Path(summary) if summary else None
    )
    if code != 0:
        raise Exit(code=code)


@task(help={"sizes": "Comma-separated article counts (default 100,1000)"})
def bench_check(c, sizes="100,1000"):
    """Benchmark `make check` on generated corpora; write docs/performance.md."""
    from bench import bench_check as benchmark, report  # noqa: PLC0415 - only here

    report.write_section(benchmark.SECTION, benchmark.main(_sizes(sizes)))


@task(help={"runs": "Lighthouse runs per page and site (default 3; 1 is quicker)"})
def bench_web(c, runs=3):
    """Measure pages against stock Pelican (bytes, Lighthouse); docs/performance.md."""
    from bench import bench_web as benchmark, report  # noqa: PLC0415 - only here

    setup.ensure_chromium(c)
    setup.ensure_node_tools(c)
    report.write_section(benchmark.SECTION, benchmark.main(int(runs)))


@task(help={"sizes": "Comma-separated article counts (default 100,1000,5000)"})
def bench_build(c, sizes="100,1000,5000"):
    """Time builds, check and memory against stock Pelican; docs/performance.md."""
    from bench import bench_build as benchmark, report  # noqa: PLC0415 - only here

    report.write_section(benchmark.SECTION, benchmark.main(_sizes(sizes)))


def _sizes(sizes: str) -> list[int]:
    """Read the article counts of a benchmark's --sizes option, `100,1000`."""
    return [int(size) for size in sizes.split(",")]


@task(
    help={
        "title": "The article's title",
        "category": "A category from content/taxonomy.yaml (default: the first)",
        "author": "An author from content/taxonomy.yaml (default: the first)",
    }
)
def new_article(c, title, category="", author=""):
    """Write content/articles/<slug>.md: a draft with valid front matter, today.

    Names its preview address: the running `make serve`'s, else the configured.
    """
    path = scaffold.new_article(title, category, author)
    slug = path.stem
    address, running = preview_process.preview_address(CONFIG["preview_state"])
    say(f"Wrote {path.relative_to(ROOT)}")
    if running:
        say(
            f"The running preview shows it at {address}drafts/{slug}/ while it is a "
            f"draft, and at /{slug}/ once you remove `Status: draft` (an open tab "
            "follows it there)."
        )
    else:
        say(
            f"Preview it with `make serve` at {address}drafts/{slug}/ while it is a "
            f"draft, and at /{slug}/ once you remove `Status: draft`."
        )


@task(help={"id": "The testimonial's id, e.g. jane-pasadena (also its file name)"})
def new_testimonial(c, id):
    """Write content/testimonials/<id>.yaml with the fields and consent to fill in.

    Names where the preview shows it: its card on the testimonials page.
    """
    path = scaffold.new_testimonial(id)
    address, running = preview_process.preview_address(CONFIG["preview_state"])
    card = f"{address}testimonials/#testimonial-{id}"
    say(f"Wrote {path.relative_to(ROOT)}")
    say(
        "Fill in every TO FILL IN; `make check` lists what is left. List the id in "
        "an article's `Testimonials:` line to show it there."
    )
    say(
        f"The running preview shows it on the testimonials page: {card}"
        if running
        else f"Preview it with `make serve` on the testimonials page: {card}"
    )


@task(
    help={
        "file": "The article, e.g. content/articles/ketamine-for-ptsd.md",
        "reviewer": "The reviewer's id in content/reviewers.yaml",
        "date": "The day of the review, YYYY-MM-DD (default: today)",
    }
)
def review(c, file="", reviewer="", date=""):
    """Record that the reviewer read this article's text (tools/review.py)."""
    say(review_module.record_review(file, reviewer, date))


@task(
    help={
        "output": "Write the report (Markdown) to this file (default: print it)",
        "offline": "Leave the reference links unchecked (no network), and say so",
    }
)
@ci_output.commands_stopped
def editorial_report(c, output="", offline=False):
    """Write the editorial report: reviews due, open questions, edits, dead links.

    Advisory: it exits 0 whatever it finds (tools/editorial_report.py).
    """
    code = editorial_report_module.run(CONFIG["dev_settings"], output, offline=offline)
    if code != 0:
        raise Exit(code=code)


@task(help={"file": "The WordPress export (Tools → Export → All content)"})
def import_wordpress(c, file):
    """Write each post of a WordPress export as a draft; list what is left to do.

    Stops with status 1 when nothing could be imported.
    """
    setup.ensure_pandoc(c)
    # Imported here: it needs beautifulsoup4, which only the full environment
    # has; every other task runs in the writers' (requirements-serve.lock).
    from tools import wordpress_import  # noqa: PLC0415

    content = CONFIG["content"]
    try:
        report = wordpress_import.import_wordpress(Path(file), content)
    except wordpress_import.ImportFailed as error:
        raise Exit(str(error), code=1) from None
    say(wordpress_import.render(report, content))
    if not report.written:
        raise Exit(code=1)


@task
def docs(c):
    """Regenerate the field tables of the writers' documentation from the schema."""
    for name in docs_module.update_field_tables():
        say(f"Updated {name}")


def _say_regenerated(changed: bool, path: Path) -> None:
    """Tell whether a generated file was rewritten or already up to date."""
    say(f"{'Updated' if changed else 'Unchanged:'} {path.relative_to(ROOT)}")


@task
def nginx_headers(c):
    """Regenerate deploy/nginx-headers.conf from the publish settings' header policy."""
    _say_regenerated(headers.write_nginx_include(), headers.NGINX_INCLUDE)


@task
def code_css(c):
    """Regenerate the code-highlighting stylesheet from its Pygments styles."""
    _say_regenerated(code_css_module.write(), code_css_module.CODE_CSS)


@task
def clean(c):
    """Remove generated files: output/, .preview/, their build leftovers, caches.

    A folder a build is writing right now is left alone, and said so.
    """
    for site in (CONFIG["output"], CONFIG["preview"]):
        if not remove_leftovers(site):
            say(f"{site.name}/ was left alone: a build of it is running.")
    shutil.rmtree(ROOT / "cache", ignore_errors=True)


@task
def build(c):
    """Build the local preview site into output/ (pelicanconf.py)."""
    build_or_exit(CONFIG["dev_settings"], CONFIG["output"])


@task
def rebuild(c):
    """Clean, then build the local preview."""
    clean(c)
    build(c)


@task(
    help={
        "target": "Also deploy: rsync or s3 (default: only build into output/)",
        "destination": "rsync target, e.g. me@host:/srv/blog (or $RSYNC_DESTINATION)",
        "bucket": "S3 bucket (or $S3_BUCKET)",
        "prefix": "Key prefix inside the bucket (or $S3_PREFIX), default none",
        "endpoint_url": "An S3-compatible host other than AWS (or $S3_ENDPOINT_URL)",
        "dry_run": "s3: only report what would be uploaded and deleted",
        "force": "s3: upload unchanged files too (after a header rule changed)",
        "branch": "The branch allowed to go live (default main)",
    }
)
def publish(  # noqa: PLR0913, PLR0917 - one option per deploy setting, as invoke needs
    c,
    target="",
    destination="",
    bucket="",
    prefix="",
    endpoint_url="",
    dry_run=False,
    force=False,
    branch=CONFIG["publish_branch"],
):
    """Build the production site into output/ (publishconf.py); deploy it with --target.

    With a target, publishing refuses, cheapest first, content the publish
    rules reject, another branch than `branch`, uncommitted changes, a
    failing test suite and a failed build, and then deploys nothing.
    """
    if not target:
        build_or_exit(CONFIG["publish_settings"], CONFIG["output"])
        placeholder = publishing.placeholder_siteurl()
        if placeholder:
            say(
                f"Warning: the site's address (SITEURL) is still the placeholder "
                f"{placeholder}; the links in output/ point there. "
                f"{publishing.how_to_set_siteurl('make publish')}"
            )
    elif target == "rsync":
        publishing.publish_rsync(c, branch, destination)
    elif target == "s3":
        publishing.publish_s3(
            c,
            branch,
            bucket,
            prefix=prefix,
            endpoint_url=endpoint_url,
            dry_run=dry_run,
            force=force,
        )
    else:
        raise Exit(f"--target must be one of {', '.join(DEPLOY_TARGETS)}", code=2)


@task
def serve(c):
    """Serve output/ as it is at http://127.0.0.1:8000/ (no rebuild)."""
    devserver.serve_output(CONFIG["output"], CONFIG["host"], CONFIG["port"])


@task(help={"port": "Port on 127.0.0.1 (default 8000; the next free one if taken)"})
def livereload(c, port=CONFIG["port"]):
    """Build .preview/, serve it at http://127.0.0.1:8000/, rebuild and reload on save.

    Its own folder: `make publish` and `make html` into output/ leave it alone.
    """
    _live_preview(int(port), editor=False)


def _live_preview(port: int, *, editor: bool) -> None:
    devserver.live_preview(
        CONFIG["dev_settings"],
        CONFIG["preview"],
        [ROOT / path for path in CONFIG["watched"]],
        CONFIG["host"],
        port,
        CONFIG["preview_state"],
        editor=editor,
    )


@task(help={"port": "Port on 127.0.0.1 (default 8000; the next free one if taken)"})
def edit(c, port=CONFIG["port"]):
    """Serve the preview with the browser editor at /admin/, forms that save files."""
    setup.ensure_node_tools(c)  # Decap CMS's bundle, as package-lock.json pins it
    _live_preview(int(port), editor=True)


@task
def editor_config(c):
    """Regenerate the editor's forms (tools/editor/config.json) from the schema."""
    _say_regenerated(editor_server.write_config(), editor_server.CONFIG_FILE)


@task
def editor_screenshots(c):
    """Retake docs/writing.md's screenshots of the editor, with its browser test."""
    setup.ensure_chromium(c)
    setup.ensure_node_tools(c)
    folder = ROOT / "docs" / "images" / "editor"
    test = "tests/test_browser_editor.py -k made_in_the_form"
    c.run(
        f"{BIN / 'python'} -m pytest -q {test}", env={"EDITOR_SCREENSHOTS": str(folder)}
    )


@task
def regenerate(c):
    """Rebuild output/ on every save, without serving it."""
    devserver.regenerate(
        CONFIG["dev_settings"],
        CONFIG["output"],
        [ROOT / path for path in CONFIG["watched"]],
    )


# --- Publishing ---------------------------------------------------------------


@task(help={"branch": "The branch allowed to go live (default main)"})
@ci_output.commands_stopped
def gh_pages(c, branch=CONFIG["publish_branch"]):
    """Publish to the gh-pages branch: checked, tested, built, committed, pushed."""
    publishing.publish_gh_pages(c, branch)


@task(
    help={
        "pr": "Pull request number",
        "base": "Branch the pull request targets, for the data (default origin/main)",
        "data": "Write the comment's data (JSON, for invoke preview-comment) here",
    }
)
@ci_output.commands_stopped
def preview(c, pr, base="origin/main", data=""):
    """Build a pull request's preview into output/ with the publish settings.

    For http://127.0.0.1:8000/, where a reviewer serves it (`invoke serve`);
    it goes to no website, and asks search engines not to index it. The
    data lists the pages and testimonials the pull request changes and what
    the content check found, as JSON, never as the comment's text.
    """
    address = previews.build_preview(pr, base, data)
    say(f"Preview built into output/ for {address}/: `invoke serve` serves it.")


@task(
    help={
        "data": "The comment's data, as invoke preview --data wrote it",
        "pull_requests": "The pull requests GitHub's event names, e.g. '12'",
        "run_url": "The address of the run that built the preview",
        "commit": "The commit it built (40 hexadecimal digits)",
        "output": "Write the comment (Markdown) to this file (default: print it)",
        "post": "Post it on the pull request ($GH_TOKEN, $GITHUB_REPOSITORY)",
    }
)
@ci_output.commands_stopped
def preview_comment(  # noqa: PLR0913, PLR0917 - one option per fact of the event
    c, data, pull_requests="", run_url="", commit="", output="", post=False
):
    """Check a preview's data and compose its comment; print, write or post it.

    Data that is not exactly what `invoke preview` writes is refused, in one
    line, and the comment says so (deploy/preview_report.py).
    """
    previews.comment(
        Path(data),
        pull_requests=pull_requests,
        run_url=run_url,
        commit=commit,
        output=output,
        post=post,
    )


@task(help={"pr": "Pull request number, or all"})
def preview_remove(c, pr):
    """Delete previews earlier workflows pushed to gh-pages (and nothing else)."""
    previews.remove_previews(pr)


@task(
    help={
        "target": "gh-pages (default) or rsync",
        "to": "The deploy to restore: a gh-pages commit or an rsync release name "
        "(default: the one before the live one)",
        "destination": "rsync target (or $RSYNC_DESTINATION)",
    }
)
def rollback(c, target="gh-pages", to="", destination=""):
    """Make the previous deploy live again (previews stay as they are)."""
    publishing.rollback(target, to, destination)


@task
def lint(c):
    """Check Python style (ruff), the theme's indentation, and conflict markers."""
    c.run(f"{BIN / 'ruff'} check .")
    c.run(f"{BIN / 'ruff'} format --check .")
    c.run(f"{BIN / 'djhtml'} --check {setup.theme_files('templates', '.html')}")
    c.run(f"{BIN / 'djcss'} --check {setup.theme_files('static', '.css')}")
    # A merge's leftover markers: docs are not Python, so nothing else sees them.
    merge_markers = f"{BIN / 'check-merge-conflict'} --assume-in-merge"
    c.run(f"git ls-files -z | xargs -0 {merge_markers}")


@task
def format(c):
    """Reformat Python code, fix what ruff can fix, and indent the theme."""
    c.run(f"{BIN / 'ruff'} check --fix .")
    c.run(f"{BIN / 'ruff'} format .")
    c.run(f"{BIN / 'djhtml'} {setup.theme_files('templates', '.html')}")
    c.run(f"{BIN / 'djcss'} {setup.theme_files('static', '.css')}")


@task
def setup_checks(c):
    """Install what the checks need: Chromium, Java, pandoc, npm tools, rsync, nginx."""
    setup.ensure_check_tools(c)


@task(help={"pytest_args": "Extra arguments for pytest, e.g. '-k testimonials'"})
@ci_output.commands_stopped
def test(c, pytest_args=""):
    """Run the whole suite: lint, then every test, browser and output checks too."""
    setup_checks(c)
    lint(c)
    # One worker per core: the suite spends its time waiting on builds,
    # browsers and servers, which share no state between tests.
    c.run(f"{BIN / 'python'} -m pytest -n auto {pytest_args}")


@task(help={"pytest_args": "Extra arguments for pytest"})
@ci_output.commands_stopped
def test_fast(c, pytest_args=""):
    """Run the tests that need no browser, Node tools or pandoc (under a minute)."""
    setup.ensure_deploy_tools(c)
    lint(c)
    left_out = "not browser and not node_tools and not pandoc"
    c.run(f"{BIN / 'python'} -m pytest -n auto -m '{left_out}' {pytest_args}")


@task
def lighthouse(c):
    """Print Lighthouse's four scores for home, article, testimonials, search, 404."""
    setup_checks(c)
    c.run(f"{BIN / 'python'} -m pytest -q -s tests/test_lighthouse.py")


@task
def lock(c):
    """Re-resolve both locks from pyproject.toml (exact versions, hashes)."""
    setup.compile_locks(c)
