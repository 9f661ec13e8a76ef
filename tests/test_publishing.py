"""Publishing as maintainers and CI do it: the invoke tasks, real git and rsync.

A copy of the project is a git repository whose `origin` is a local bare
repository standing in for GitHub. PUBLISH_TEST_COMMAND stands in for the test
suite (`make test`, run by the publishing tasks), so these tests can make it
pass or fail in a moment.
"""

from __future__ import annotations

import gzip
from pathlib import Path
import shutil
import subprocess

import boto3
from bs4 import BeautifulSoup
from moto.server import ThreadedMotoServer
import pytest

from tests.support import ROOT, git, invoke, text

PAGES_URL = "https://clinic.github.io/blog"


@pytest.fixture
def project(project_copy, tmp_path, monkeypatch, isolated_git) -> Path:
    """Return the project copy as a committed git repository with a bare `origin`."""
    monkeypatch.setenv("PUBLISH_TEST_COMMAND", "true")
    # The site's real address: publishconf.py's placeholder is refused.
    monkeypatch.setenv("SITEURL", PAGES_URL)
    shutil.copy(ROOT / ".gitignore", project_copy)
    git(project_copy, "init", "--quiet", "-b", "main")
    git(project_copy, "config", "user.name", "Clinic Deploys")
    git(project_copy, "config", "user.email", "deploys@clinic.example")
    git(project_copy, "add", "-A")
    git(project_copy, "commit", "--quiet", "-m", "The site")
    remote = tmp_path / "github.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(project_copy, "remote", "add", "origin", str(remote))
    return project_copy


def pages(project: Path) -> dict[str, str]:
    """Return the remote gh-pages branch's files: {path: text} (text files only)."""
    remote = project.parent / "github.git"
    names = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    return {
        name: git(remote, "show", f"gh-pages:{name}")
        for name in names
        if name.endswith((".html", ".txt", "CNAME", ".nojekyll", ".xml"))
    }


def words(html: str) -> str:
    """Return the text a reader sees in an HTML page."""
    return text(BeautifulSoup(html, "html.parser"))


def pages_tip(project: Path) -> str:
    remote = project.parent / "github.git"
    result = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "gh-pages"],
        cwd=remote,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def deploy(project: Path) -> subprocess.CompletedProcess[str]:
    result = invoke(project, "gh-pages")
    assert result.returncode == 0, result.stderr
    return result


def test_gh_pages_publishes_the_built_site_with_nojekyll_and_an_identity(project):
    deploy(project)
    files = pages(project)
    assert ".nojekyll" in files and "index.html" in files
    assert "first-visit/index.html" in files
    remote = project.parent / "github.git"
    head = git(project, "rev-parse", "--short=12", "HEAD").strip()
    assert git(remote, "log", "-1", "--format=%cn <%ce>|%s", "gh-pages") == (
        f"Clinic Deploys <deploys@clinic.example>|Publish site from {head}\n"
    )


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("bad content", "the content has the problems listed above"),
        ("feature branch", "this is branch 'article/new', and the site is published"),
        ("dirty", "the working tree has uncommitted changes"),
        ("failing tests", "the tests failed"),
        ("failing build", "Build failed: nothing was published"),
    ],
)
def test_publishing_refuses_and_leaves_gh_pages_untouched(
    project, monkeypatch, breakage, message
):
    deploy(project)
    before = pages_tip(project)
    article = project / "content" / "articles" / "older-notes.md"
    if breakage == "bad content":
        article.write_text(article.read_text().replace("Mental health", "Mental"))
        git(project, "commit", "--quiet", "-am", "A category that does not exist")
    elif breakage == "feature branch":
        git(project, "switch", "--quiet", "-c", "article/new")
    elif breakage == "dirty":
        article.write_text(article.read_text() + "\nAn edit not yet committed.\n")
    elif breakage == "failing tests":
        monkeypatch.setenv("PUBLISH_TEST_COMMAND", "false")
    else:
        template = project / "theme" / "templates" / "base.html"
        template.write_text(template.read_text() + "{% endif %}")
        git(project, "commit", "--quiet", "-am", "A template that cannot render")
    result = invoke(project, "gh-pages")
    assert result.returncode == 1
    assert message in result.stderr
    if breakage != "failing build":  # a broken template is a developer's to read
        assert "Traceback" not in result.stderr
    assert pages_tip(project) == before


@pytest.mark.parametrize(
    ("task", "command"),
    [
        (["gh-pages"], "make github"),
        (["publish", "--target", "rsync", "--destination", "HOST"], "--target rsync"),
        (["publish", "--target", "s3", "--bucket", "clinic-blog"], "--target s3"),
    ],
)
def test_deploys_refuse_the_placeholder_site_address(
    project, monkeypatch, tmp_path, task, command
):
    monkeypatch.delenv("SITEURL")  # publishconf.py's TO FILL IN placeholder
    ran = tmp_path / "the-tests-ran"
    monkeypatch.setenv("PUBLISH_TEST_COMMAND", f"touch {ran}")
    host = tmp_path / "host"
    result = invoke(project, *(str(host) if a == "HOST" else a for a in task))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "Nothing was published: the site's address (SITEURL) is still the "
        "placeholder https://blog.clinic.example" in result.stderr
    )
    assert "SITEURL=https://blog.your-clinic.com " in result.stderr
    assert command in result.stderr
    assert "publishconf.py" in result.stderr
    assert not ran.exists()  # refused before the minutes of tests
    assert not host.exists()
    assert pages_tip(project) == ""


def test_a_publish_build_warns_about_the_placeholder_site_address(project, monkeypatch):
    monkeypatch.delenv("SITEURL")
    result = invoke(project, "publish")
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip()
        .splitlines()[-1]
        .startswith(
            "Warning: the site's address (SITEURL) is still the placeholder "
            "https://blog.clinic.example; the links in output/ point there. Set the "
            "live site's address, either for one run, "
            "`SITEURL=https://blog.your-clinic.com make publish`"
        )
    )
    monkeypatch.setenv("SITEURL", PAGES_URL)
    result = invoke(project, "publish")
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stdout + result.stderr


def test_publishing_asks_the_cheap_questions_before_running_the_tests(
    project, monkeypatch, tmp_path
):
    ran = tmp_path / "the-tests-ran"
    monkeypatch.setenv("PUBLISH_TEST_COMMAND", f"touch {ran}")
    article = project / "content" / "articles" / "older-notes.md"
    article.write_text(article.read_text().replace("Mental health", "Mental"))
    git(project, "commit", "--quiet", "-am", "A category that does not exist")
    git(project, "switch", "--quiet", "-c", "article/new")
    article.write_text(article.read_text() + "\nAn edit not yet committed.\n")
    result = invoke(project, "gh-pages")
    assert result.returncode == 1
    # The content comes first: the writer fixes that before anything else.
    assert "error: content/articles/older-notes.md:5: category:" in result.stderr
    assert "the content has the problems listed above" in result.stderr
    assert "this is branch" not in result.stderr
    assert not ran.exists()
    assert pages_tip(project) == ""


def test_another_branch_publishes_only_when_named(project):
    git(project, "switch", "--quiet", "-c", "release")
    result = invoke(project, "gh-pages", "--branch", "release")
    assert result.returncode == 0, result.stderr
    assert "first-visit/index.html" in pages(project)


def test_rollback_restores_the_previous_deploy(project):
    deploy(project)
    first = pages(project)["older-notes/index.html"]
    article = project / "content" / "articles" / "older-notes.md"
    article.write_text(article.read_text() + "\nA paragraph published by mistake.\n")
    git(project, "commit", "--quiet", "-am", "A mistake")
    deploy(project)
    assert "published by mistake" in words(pages(project)["older-notes/index.html"])
    result = invoke(project, "rollback")
    assert result.returncode == 0, result.stderr
    assert pages(project)["older-notes/index.html"] == first


def test_publish_to_an_rsync_host_and_roll_back(project, tmp_path):
    host = tmp_path / "host"
    result = invoke(project, "publish", "--target", "rsync", "--destination", str(host))
    assert result.returncode == 0, result.stderr
    live = host / "current"
    assert (live / "first-visit" / "index.html").is_file()
    assert (live / "first-visit" / "index.html.gz").is_file()
    first_release = live.resolve()
    article = project / "content" / "articles" / "older-notes.md"
    article.write_text(article.read_text() + "\nA second release.\n")
    git(project, "commit", "--quiet", "-am", "Second release")
    result = invoke(project, "publish", "--target", "rsync", "--destination", str(host))
    assert result.returncode == 0, result.stderr
    assert "A second release." in words(
        (live / "older-notes" / "index.html").read_text()
    )
    result = invoke(
        project, "rollback", "--target", "rsync", "--destination", str(host)
    )
    assert result.returncode == 0, result.stderr
    assert live.resolve() == first_release


def test_publish_to_s3_through_the_task(project, tmp_path, monkeypatch):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        for variable, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
            "S3_ENDPOINT_URL": endpoint,
        }.items():
            monkeypatch.setenv(variable, value)
        client = boto3.client("s3", endpoint_url=endpoint)
        client.create_bucket(Bucket="clinic-blog")
        result = invoke(project, "publish", "--target", "s3", "--bucket", "clinic-blog")
        assert result.returncode == 0, result.stderr
        page = client.get_object(Bucket="clinic-blog", Key="first-visit/index.html")
        assert page["ContentType"] == "text/html; charset=utf-8"
        assert page["CacheControl"] == "public, max-age=300"
        assert page["ContentEncoding"] == "gzip"
        built = (project / "output" / "first-visit" / "index.html").read_bytes()
        assert gzip.decompress(page["Body"].read()) == built
    finally:
        server.stop()
