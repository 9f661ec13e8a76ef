"""The one command surface of the blog: the Makefile and CI call these tasks.

Every build goes through tools/build.py: Pelican with fatal warnings, in a
child process, into a staging folder swapped into place only on success.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path
import shutil
import sys

from invoke import Exit, task
from pelican.settings import read_settings
from pelican.utils import slugify

from deploy import publish as gates
from tools import check_report, setup
from tools.build import build_or_exit, build_site, plugins_on_path
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
    from bench import bench_check as benchmark  # noqa: PLC0415 - only this task needs it

    section = benchmark.main([int(size) for size in sizes.split(",")])
    _write_performance_section("make check", section)
    sys.stdout.write(section)


@task(help={"runs": "Lighthouse runs per page and site (default 3; 1 is quicker)"})
def bench_web(c, runs=3):
    """Measure pages against stock Pelican (bytes, Lighthouse); docs/performance.md."""
    from bench import bench_web as benchmark  # noqa: PLC0415 - only this task needs it

    setup.ensure_chromium(c)
    setup.ensure_node_tools(c)
    section = benchmark.main(int(runs))
    _write_performance_section("make bench-web", section)
    sys.stdout.write(section)


@task(help={"sizes": "Comma-separated article counts (default 100,1000,5000)"})
def bench_build(c, sizes="100,1000,5000"):
    """Time builds, check and memory against stock Pelican; docs/performance.md."""
    from bench import bench_build as benchmark  # noqa: PLC0415 - only this task needs it

    section = benchmark.main([int(size) for size in sizes.split(",")])
    _write_performance_section("make bench-build", section)
    sys.stdout.write(section)


def _write_performance_section(name: str, section: str) -> None:
    """Replace the section `name` of docs/performance.md, keeping the others."""
    path = ROOT / "docs" / "performance.md"
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    text = path.read_text() if path.exists() else "# Performance\n\n"
    block = f"{begin}\n{section}{end}"
    if begin in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)


def _new_file(path: Path, text: str) -> None:
    """Create `path` with `text`, refusing to overwrite anything."""
    try:
        with path.open("x", encoding="utf-8") as new:
            new.write(text)
    except FileExistsError:
        raise Exit(
            f"{path.relative_to(ROOT)} already exists; nothing was written. Edit it, "
            "or choose another title or id.",
            code=1,
        ) from None
    sys.stdout.write(f"Wrote {path.relative_to(ROOT)}\n")


def _choose(value: str, allowed: tuple[str, ...], kind: str) -> str:
    """Return `value` if the taxonomy lists it (or its first entry if empty)."""
    if not value:
        return allowed[0]
    if value in allowed:
        return value
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise Exit(
        f"{value!r} is not a {kind} in content/taxonomy.yaml.{hint} Known: "
        f"{', '.join(allowed)}.",
        code=1,
    )


@task(
    help={
        "title": "The article's title",
        "category": "A category from content/taxonomy.yaml (default: the first)",
        "author": "An author from content/taxonomy.yaml (default: the first)",
    }
)
def new_article(c, title, category="", author=""):
    """Write content/articles/<slug>.md: a draft with valid front matter, today."""
    plugins_on_path()
    from content_schema.schema import load_taxonomy_file  # noqa: PLC0415 - plugins/

    from tools import scaffold  # noqa: PLC0415 - needs plugins/ on sys.path

    settings = read_settings(str(CONFIG["dev_settings"]))
    taxonomy_path = CONFIG["content"] / settings["CONTENT_TAXONOMY_FILE"]
    taxonomy, problems = load_taxonomy_file(taxonomy_path, "content/taxonomy.yaml")
    if taxonomy is None:
        raise Exit("\n".join(str(p) for p in problems), code=1)
    slug = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    text = scaffold.article(
        title,
        slug,
        _choose(author, taxonomy.authors, "author"),
        _choose(category, taxonomy.categories, "category"),
        dt.date.today(),
    )
    _new_file(CONFIG["content"] / "articles" / f"{slug}.md", text)
    _say(
        f"Preview it with `make serve` at http://{CONFIG['host']}:{CONFIG['port']}"
        f"/drafts/{slug}/ while it is a draft, and at /{slug}/ once you remove "
        "`Status: draft`."
    )


@task(help={"id": "The testimonial's id, e.g. jane-pasadena (also its file name)"})
def new_testimonial(c, id):
    """Write content/testimonials/<id>.yaml with the fields and consent to fill in."""
    plugins_on_path()
    from content_schema.schema import ID_PATTERN  # noqa: PLC0415 - needs plugins/

    from tools import scaffold  # noqa: PLC0415 - needs plugins/ on sys.path

    if not ID_PATTERN.fullmatch(id):
        raise Exit(
            f"{id!r} is not a valid id: use lowercase letters, digits and hyphens, "
            "e.g. jane-pasadena",
            code=1,
        )
    _new_file(
        CONFIG["content"] / "testimonials" / f"{id}.yaml", scaffold.testimonial(id)
    )
    _say(
        "Fill in every TO FILL IN; `make check` lists what is left. List the id in "
        "an article's `Testimonials:` line to show it there."
    )


DOCUMENTS_WITH_FIELD_TABLES = ("docs/writing.md", "content/testimonials/README.md")


@task
def docs(c):
    """Regenerate the field tables of the writers' documentation from the schema."""
    plugins_on_path()
    from content_schema.docs import render_tables  # noqa: PLC0415 - needs plugins/

    for name in DOCUMENTS_WITH_FIELD_TABLES:
        path = ROOT / name
        path.write_text(render_tables(path.read_text()))
        sys.stdout.write(f"Updated {name}\n")


@task
def nginx_headers(c):
    """Regenerate deploy/nginx-headers.conf from the publish settings' header policy."""
    from deploy.headers import NGINX_INCLUDE, write_nginx_include  # noqa: PLC0415 - deploys only

    changed = write_nginx_include()
    name = NGINX_INCLUDE.relative_to(ROOT)
    sys.stdout.write(f"{'Updated' if changed else 'Unchanged:'} {name}\n")


@task
def clean(c):
    """Remove generated files (output, caches)."""
    for path in (CONFIG["output"], ROOT / "cache", ROOT / ".output-staging"):
        shutil.rmtree(path, ignore_errors=True)


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
        return
    if target not in DEPLOY_TARGETS:
        raise Exit(f"--target must be one of {', '.join(DEPLOY_TARGETS)}", code=2)
    destination = destination or os.environ.get("RSYNC_DESTINATION", "")
    bucket = bucket or os.environ.get("S3_BUCKET", "")
    if target == "rsync" and not destination:
        raise Exit("rsync needs --destination or $RSYNC_DESTINATION", code=2)
    if target == "s3" and not bucket:
        raise Exit("s3 needs --bucket or $S3_BUCKET", code=2)
    gates.checked_publish_build(c, branch)
    with gates.deploy_errors():
        if target == "rsync":
            from deploy import rsync  # noqa: PLC0415 - only deploys need it

            release = rsync.publish(CONFIG["output"], destination)
            _say(
                f"Published release {release.stamp} to {destination}; undo with "
                f"`invoke rollback --target rsync --destination {destination}`."
            )
        else:
            from deploy import s3  # noqa: PLC0415 - only deploys need it
            from deploy.headers import publish_policy  # noqa: PLC0415 - ditto

            report = s3.sync(
                CONFIG["output"],
                bucket,
                prefix=prefix or os.environ.get("S3_PREFIX", ""),
                endpoint_url=endpoint_url or None,
                policy=publish_policy(),
                dry_run=dry_run,
                force=force,
            )
            _say(f"Published to s3://{bucket}: {report}")


@task
def serve(c):
    """Serve output/ as it is at http://127.0.0.1:8000/ (no rebuild)."""
    from tools.devserver import serve_output  # noqa: PLC0415 - only serving needs it

    serve_output(CONFIG["output"], CONFIG["host"], CONFIG["port"])


@task(help={"port": "Port on 127.0.0.1 (default 8000)"})
def livereload(c, port=CONFIG["port"]):
    """Build, serve at http://127.0.0.1:8000/ and rebuild and reload on every save."""
    from tools.devserver import live_preview  # noqa: PLC0415 - only serving needs it

    live_preview(
        CONFIG["dev_settings"],
        CONFIG["output"],
        [ROOT / path for path in CONFIG["watched"]],
        CONFIG["host"],
        int(port),
    )


@task
def regenerate(c):
    """Rebuild output/ on every save, without serving it."""
    from tools.devserver import regenerate as watch  # noqa: PLC0415 - only here

    watch(
        CONFIG["dev_settings"],
        CONFIG["output"],
        [ROOT / path for path in CONFIG["watched"]],
    )


# --- Publishing ---------------------------------------------------------------
DEPLOY_TARGETS = ("rsync", "s3")


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")


@task(help={"branch": "The branch allowed to go live (default main)"})
def gh_pages(c, branch=CONFIG["publish_branch"]):
    """Publish to the gh-pages branch: checked, tested, built, committed, pushed.

    The gates run cheapest first (see _checked_publish_build). Open previews
    (previews/pr-N/) and the CNAME on the branch are kept; the previous deploy
    stays in the branch history (`invoke rollback`).
    """
    from deploy.gh_pages import publish_site  # noqa: PLC0415 - only deploys need it

    gates.checked_publish_build(c, branch)
    with gates.deploy_errors():
        publish_site(
            gates.pages_branch(),
            CONFIG["output"],
            f"Publish site from {gates.head_commit()}",
        )
    _say(
        f"Published to {CONFIG['ghp_remote']}/{CONFIG['ghp_branch']}. "
        "Undo with `invoke rollback`."
    )


@task(
    help={
        "pr": "Pull request number: the preview goes to previews/pr-N/",
        "base_url": "Address of the gh-pages site (or $PAGES_URL), e.g. https://owner.github.io/repo",
        "base": "Branch the pull request targets, for the report (default origin/main)",
        "report": "Write the pull-request comment (Markdown) to this file",
        "deploy": "Push the preview to gh-pages (--no-deploy: build only)",
    }
)
def preview(c, pr, base_url="", base="origin/main", report="", deploy=True):
    """Build a pull request's preview with the publish settings; deploy it to gh-pages.

    The preview is what will be published, at BASE_URL/previews/pr-N/, and asks
    search engines not to index it. The report lists the pages and
    testimonials the pull request changes and the content warnings.
    """
    pr = int(pr)
    base_url = (base_url or os.environ.get("PAGES_URL", "")).rstrip("/")
    if not base_url:
        raise Exit(
            "preview needs --base-url or $PAGES_URL (the gh-pages site's address)",
            code=2,
        )
    from deploy.gh_pages import preview_path  # noqa: PLC0415 - only deploys need it

    preview_url = f"{base_url}/{preview_path(pr)}"
    os.environ["SITEURL"] = preview_url
    os.environ["SITE_NOINDEX"] = "1"
    if report:
        _write_preview_report(Path(report), base, preview_url)
    result = build_site(CONFIG["publish_settings"], CONFIG["output"])
    if not result.ok:
        if report:
            with Path(report).open("a", encoding="utf-8") as comment:
                comment.write(
                    "\n**The preview could not be built**, so it was not updated. "
                    "The problems:\n\n```\n" + result.messages + "\n```\n"
                )
        raise Exit("Preview build failed: nothing was deployed.", code=1)
    if deploy:
        preview_deploy(c, pr)
    _say(f"Preview: {preview_url}/")


def _write_preview_report(path: Path, base: str, preview_url: str) -> None:
    plugins_on_path()
    from content_schema import check_content  # noqa: PLC0415 - needs plugins/ on sys.path

    from deploy.preview_report import changed_files, preview_report  # noqa: PLC0415

    with gates.deploy_errors():
        changes = changed_files(ROOT, base)
    settings = read_settings(str(CONFIG["publish_settings"]))
    path.write_text(
        preview_report(changes, check_content(settings), preview_url), encoding="utf-8"
    )


@task(
    help={"pr": "Pull request number", "site": "Built preview folder (default output/)"}
)
def preview_deploy(c, pr, site=""):
    """Push an already built preview to gh-pages under previews/pr-N/."""
    from deploy.gh_pages import publish_preview  # noqa: PLC0415 - only deploys need it

    with gates.deploy_errors():
        publish_preview(
            gates.pages_branch(), Path(site) if site else CONFIG["output"], int(pr)
        )


@task(help={"pr": "Pull request number"})
def preview_remove(c, pr):
    """Delete a closed pull request's preview from gh-pages (and nothing else)."""
    from deploy.gh_pages import remove_preview  # noqa: PLC0415 - only deploys need it

    with gates.deploy_errors():
        removed = remove_preview(gates.pages_branch(), int(pr))
    _say(f"Preview pr-{pr} {'removed' if removed else 'was not on the branch'}.")


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
    with gates.deploy_errors():
        if target == "gh-pages":
            from deploy.gh_pages import rollback as restore  # noqa: PLC0415

            restored = restore(gates.pages_branch(), to)
            _say(f"gh-pages now serves the site of deploy {restored[:12]}.")
        elif target == "rsync":
            from deploy import rsync  # noqa: PLC0415 - only deploys need it

            destination = destination or os.environ.get("RSYNC_DESTINATION", "")
            if not destination:
                raise Exit("rsync needs --destination or $RSYNC_DESTINATION", code=2)
            release = rsync.rollback(destination, to)
            _say(f"{destination}/current now serves release {release.stamp}.")
        else:
            raise Exit(
                "S3 keeps no releases: check out the deployed commit to restore and "
                "run `invoke publish --target s3` from it (see README, Publishing).",
                code=2,
            )


@task
def lint(c):
    """Check Python style and formatting with ruff."""
    c.run(f"{BIN / 'ruff'} check .")
    c.run(f"{BIN / 'ruff'} format --check .")


@task
def format(c):
    """Reformat Python code and fix what ruff can fix."""
    c.run(f"{BIN / 'ruff'} check --fix .")
    c.run(f"{BIN / 'ruff'} format .")


@task
def setup_checks(c):
    """Install what the checks need: Chromium, Java, npm tools, rsync and nginx."""
    setup.ensure_check_tools(c)


@task(help={"pytest_args": "Extra arguments for pytest, e.g. '-k testimonials'"})
def test(c, pytest_args=""):
    """Run the whole suite: lint, then every test, browser and output checks too."""
    setup_checks(c)
    lint(c)
    c.run(f"{BIN / 'python'} -m pytest {pytest_args}")


@task(help={"pytest_args": "Extra arguments for pytest"})
def test_fast(c, pytest_args=""):
    """Run the tests that need no browser or Node tools (under a minute)."""
    setup.ensure_deploy_tools(c)
    lint(c)
    c.run(
        f"{BIN / 'python'} -m pytest -m 'not browser and not node_tools' {pytest_args}"
    )


@task
def lighthouse(c):
    """Print Lighthouse's four scores for home, article, testimonials, search, 404."""
    setup_checks(c)
    c.run(f"{BIN / 'python'} -m pytest -q -s tests/test_lighthouse.py")


@task
def lock(c):
    """Re-resolve both locks from pyproject.toml (exact versions, hashes).

    requirements.lock holds everything (the dev and deploy extras too);
    requirements-serve.lock only the site's own dependencies, for the writers'
    targets, resolved within the first so both pin the same versions.
    """
    options = (
        "--quiet --generate-hashes --allow-unsafe --strip-extras "
        "--no-emit-find-links --no-emit-index-url"
    )
    compile_lock = BIN / "pip-compile"
    # From the top of the repository: the locks record their command, paths too.
    with c.cd(ROOT):
        c.run(
            f"{compile_lock} {options} --extra dev --extra deploy "
            f"-o {CONFIG['lock'].name} pyproject.toml"
        )
        c.run(
            f"{compile_lock} {options} --constraint {CONFIG['lock'].name} "
            f"-o {CONFIG['serve_lock'].name} pyproject.toml"
        )
