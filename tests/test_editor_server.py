"""The editor's API: Decap's protocol on content/ only, for the preview's own pages."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from contextlib import contextmanager
import hashlib
import io
import json
import os
from pathlib import Path
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request

from content_schema import check_content
from content_schema.parsing import load_yaml_file
from content_schema.problems import Reporter
from PIL import Image
import pytest
from tornado import httpserver, ioloop, web

from tests.support import DEV_SETTINGS, ROOT, copy_fixture_site, free_port, git
from tools.editor_server import (
    EDITOR_CSP,
    WORK_FOLDER,
    ContentFolder,
    RefusedPath,
    content_settings,
    editor_handlers,
)

ARTICLE = "content/articles/first-visit.md"


@pytest.fixture
def repository(tmp_path) -> Path:
    """Make a writer's clone: fixture content, and files the editor must not touch."""
    copy_fixture_site(tmp_path / "content")
    (tmp_path / "Makefile").write_text("all:\n")
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.fixture
def editor(repository):
    """Serve the editor's routes for `repository` on a free port; yield its base URL."""
    with serving(repository) as base:
        yield base


@contextmanager
def serving(repository: Path) -> Iterator[str]:
    """Serve the editor's routes for `repository` on a free port; yield its base URL."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    started = threading.Event()
    holder = {}

    def serve():
        asyncio.set_event_loop(asyncio.new_event_loop())
        routes = editor_handlers(DEV_SETTINGS, repository / "content", {origin})
        server = httpserver.HTTPServer(web.Application(routes))
        server.listen(port, address="127.0.0.1")
        holder["loop"] = ioloop.IOLoop.current()
        started.set()
        holder["loop"].start()
        server.stop()
        holder["loop"].close(all_fds=True)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield origin
    finally:
        holder["loop"].add_callback(holder["loop"].stop)
        thread.join(10)


def call(
    base: str,
    action: str,
    params: dict,
    origin: str | None = None,
    kind="application/json",
):
    """POST one action to the API; return (status, JSON answer)."""
    request = urllib.request.Request(
        f"{base}/admin/api/v1",
        data=json.dumps({"action": action, "params": params}).encode(),
        headers={"Content-Type": kind, "Origin": origin or base},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, json.loads(refused.read())


def save(base: str, path: str, raw: str, version: str | None = None, **more):
    """Save one text file as Decap does, naming the version it edited."""
    data_file = {"path": path, "raw": raw, **more}
    if version is not None:
        data_file["version"] = version
    return call(base, "persistEntry", {"dataFiles": [data_file], "assets": []})


def version_of(base: str, path: str) -> str:
    """Return the version the editor's read gives for `path`."""
    return call(base, "getEntry", {"path": path})[1]["file"]["id"]


def image_bytes(kind: str = "PNG") -> bytes:
    """Return a small real image of Pillow format `kind`."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, kind)
    return buffer.getvalue()


def asset(path: str, data: bytes) -> dict:
    """Return an image as Decap uploads it."""
    return {
        "path": path,
        "content": base64.b64encode(data).decode(),
        "encoding": "base64",
    }


def hidden_file_problems(repository: Path) -> list[str]:
    """Return `make check`'s problems with hidden files in `repository`."""
    result = check_content(content_settings(DEV_SETTINGS, repository / "content"))
    return [str(p) for p in result.problems if "hidden file" in str(p)]


def umask() -> int:
    """Return the process's umask (read by setting it, then put back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_it_lists_and_reads_entries_as_decap_expects(editor, repository):
    status, entries = call(
        editor,
        "entriesByFolder",
        {"folder": "content/articles", "extension": "md", "depth": 1},
    )
    assert status == 200
    paths = [e["file"]["path"] for e in entries]
    on_disk = sorted(
        f"content/articles/{p.name}"
        for p in (repository / "content/articles").glob("*.md")
    )
    assert sorted(paths) == on_disk
    first = entries[0]
    assert first["data"] == (repository / first["file"]["path"]).read_text()
    assert len(first["file"]["id"]) == 64


def test_it_leaves_out_readmes_and_hidden_files(editor, repository):
    (repository / "content/pages/.secret.md").write_text("Title: x\n")
    status, entries = call(
        editor,
        "entriesByFolder",
        {"folder": "content/pages", "extension": "md", "depth": 1},
    )
    names = {Path(e["file"]["path"]).name for e in entries}
    assert status == 200 and "README.md" not in names and ".secret.md" not in names


def test_a_saved_entry_is_written_whole_and_then_checked(editor, repository):
    raw = (repository / "content/articles/first-visit.md").read_text()
    changed = raw.replace("Title: What to Expect", "Title: What to Know", 1)
    status, saved = save(
        editor, ARTICLE, changed, version_of(editor, ARTICLE), slug="first-visit"
    )
    assert status == 200
    assert saved["versions"] == {ARTICLE: hashlib.sha256(changed.encode()).hexdigest()}
    assert (repository / "content/articles/first-visit.md").read_text() == changed
    assert not list((repository / "content/articles").glob(".editor-*"))
    status, found = call(editor, "check", {})
    assert status == 200
    assert found["path"] == "content/articles/first-visit.md"
    assert found["problems"] == [] and found["address"] == "/first-visit/"


def test_the_check_reports_the_saved_files_problems_as_make_check_does(
    editor, repository
):
    broken = "Title: Broken\nDate: 2026-13-45\nSummary: short\n\nText.\n"
    call(
        editor,
        "persistEntry",
        {
            "dataFiles": [{"path": "content/articles/broken.md", "raw": broken}],
            "assets": [],
        },
    )
    status, found = call(editor, "check", {"path": "content/articles/broken.md"})
    assert status == 200
    assert any(
        p.startswith("content/articles/broken.md:2: date: ") for p in found["problems"]
    )
    assert any(": author: " in p for p in found["problems"]), found["problems"]
    assert found["address"] == ""  # not a page until it builds


@pytest.mark.parametrize(
    "path",
    [
        "Makefile",
        "tasks.py",
        "../outside.md",
        "content/../Makefile",
        "/etc/passwd",
        ".git/hooks/pre-commit.md",
        "content/.hidden.md",
        "content/articles/script.py",
        "content/articles/page.html",
    ],
)
def test_nothing_outside_content_or_of_another_kind_is_written(
    editor, repository, path
):
    before = sorted(p.relative_to(repository) for p in repository.rglob("*"))
    status, answer = call(
        editor,
        "persistEntry",
        {"dataFiles": [{"path": path, "raw": "echo owned\n"}], "assets": []},
    )
    assert status == 403, answer
    assert "content/" in answer["error"] or "Markdown" in answer["error"]
    assert sorted(p.relative_to(repository) for p in repository.rglob("*")) == before


def test_a_link_out_of_content_is_neither_read_nor_written(editor, repository):
    (repository / "content/articles/escape.md").symlink_to(repository / "Makefile")
    assert call(editor, "getEntry", {"path": "content/articles/escape.md"})[0] == 403
    status, _ = call(
        editor,
        "persistEntry",
        {
            "dataFiles": [{"path": "content/articles/escape.md", "raw": "x"}],
            "assets": [],
        },
    )
    assert status == 403
    assert (repository / "Makefile").read_text() == "all:\n"


def test_one_refused_path_writes_nothing_of_the_entry(editor, repository):
    image = base64.b64encode(b"\x89PNG fake").decode()
    status, _ = call(
        editor,
        "persistEntry",
        {
            "dataFiles": [{"path": "content/articles/new.md", "raw": "Title: x\n"}],
            "assets": [
                {"path": "theme/evil.png", "content": image, "encoding": "base64"}
            ],
        },
    )
    assert status == 403
    assert not (repository / "content/articles/new.md").exists()


def test_images_are_saved_in_content_and_listed_as_media(editor, repository):
    photo = asset("content/images/photo.png", image_bytes("PNG"))
    status, saved = call(editor, "persistMedia", {"asset": photo})
    assert status == 200 and saved["name"] == "photo.png"
    status, media = call(editor, "getMedia", {"mediaFolder": "content/images"})
    assert "content/images/photo.png" in [m["path"] for m in media]


def test_requests_from_elsewhere_are_refused(editor, repository):
    assert call(editor, "info", {}, origin="http://evil.example")[0] == 403
    assert call(editor, "info", {}, origin="http://127.0.0.1:1")[0] == 403
    assert call(editor, "info", {}, kind="text/plain")[0] == 415
    assert call(editor, "info", {})[1]["type"] == "local_fs"


def test_unknown_actions_and_malformed_requests_get_plain_errors(editor):
    status, answer = call(editor, "format_disk", {})
    assert status == 422 and "unknown action" in answer["error"]
    status, answer = call(editor, "getEntry", {})
    assert status == 400 and "malformed" in answer["error"]


def test_the_editor_page_has_its_own_policy_and_is_never_indexed(editor):
    with urllib.request.urlopen(f"{editor}/admin/", timeout=10) as answer:
        headers, page = answer.headers, answer.read().decode()
    assert headers["Content-Security-Policy"] == EDITOR_CSP
    assert "frame-ancestors 'none'" in EDITOR_CSP and "connect-src 'self'" in EDITOR_CSP
    assert headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "http" not in page.replace("http-equiv", "")  # nothing from elsewhere
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{editor}/admin/decap-cms.js.map", timeout=10)
    missing.value.close()
    assert missing.value.code == 404


def test_content_folder_refuses_in_plain_words(tmp_path):
    folder = ContentFolder(tmp_path, tmp_path / "content")
    (tmp_path / "content").mkdir()
    with pytest.raises(RefusedPath, match="outside content/"):
        folder.resolve("tasks.md")
    with pytest.raises(RefusedPath, match="not a Markdown, YAML or image file"):
        folder.resolve("content/run.sh")


def test_the_sources_panel_lists_every_reference_key(editor, repository):
    status, sources = call(editor, "references", {})
    assert status == 200
    written = load_yaml_file(repository / "content/references.yaml", Reporter(""))
    assert [source["key"] for source in sources] == sorted(written)
    first = sources[0]
    assert str(written[first["key"]]["year"]) in first["text"]


# --- Issue 29, item 10: saves that never block the build or lose work ---------


KILLED_AT_RENAME = """
import os, signal, sys
from pathlib import Path
from tools.editor_server import ContentFolder

repository = Path(sys.argv[1])
folder = ContentFolder(repository, repository / "content")
# The process dies at the rename, as a save does when the machine stops there.
os.replace = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
folder.write(sys.argv[2], b"Title: Half a save\\n")
"""


def test_a_save_killed_at_its_rename_leaves_nothing_that_blocks_the_build(repository):
    before = (repository / ARTICLE).read_bytes()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT_RENAME, str(repository), ARTICLE],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join((str(ROOT / "plugins"), str(ROOT))),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (repository / ARTICLE).read_bytes() == before
    assert hidden_file_problems(repository) == []
    with serving(repository) as base:
        # The next start clears what the killed save left in its work folder.
        left = [p.name for p in (repository / WORK_FOLDER).iterdir()]
        assert left == [".gitignore"]
        status, _ = save(base, ARTICLE, "Title: Saved\\n", version_of(base, ARTICLE))
        assert status == 200
    assert (repository / ARTICLE).read_text() == "Title: Saved\\n"
    assert hidden_file_problems(repository) == []
    # The work folder ignores itself: the writer's `git status` never shows it.
    git(repository, "init", "-q")
    assert WORK_FOLDER not in git(repository, "status", "--porcelain", "-uall")


def test_leftovers_of_earlier_saves_are_cleared_and_may_be_deleted(repository):
    stale = repository / "content/articles/.editor-k3x_9q2z"
    stale.write_text("Title: half\\n")
    assert hidden_file_problems(repository)  # what blocked every build
    with serving(repository) as base:
        assert not stale.exists()  # cleared at start-up
        stale.write_text("Title: half\\n")
        status, answer = call(
            base, "deleteFile", {"path": "content/articles/.editor-k3x_9q2z"}
        )
        assert status == 200, answer
        assert not stale.exists()
        assert hidden_file_problems(repository) == []
        # Other hidden files stay refused.
        assert call(base, "deleteFile", {"path": "content/.hidden.md"})[0] == 403
    folder = ContentFolder(repository, repository / "content")
    stale.write_text("Title: half\\n")
    folder.delete("content/articles/.editor-k3x_9q2z")
    assert not stale.exists()


def test_a_stale_save_from_a_second_tab_is_refused_and_changes_nothing(
    editor, repository
):
    first_tab = version_of(editor, ARTICLE)
    second_tab = version_of(editor, ARTICLE)
    assert first_tab == hashlib.sha256((repository / ARTICLE).read_bytes()).hexdigest()
    status, saved = save(editor, ARTICLE, "Title: First tab\\n", first_tab)
    assert status == 200
    status, answer = save(editor, ARTICLE, "Title: Second tab\\n", second_tab)
    assert status == 409
    assert "changed since you opened it" in answer["error"]
    assert "Traceback" not in answer["error"]
    assert (repository / ARTICLE).read_text() == "Title: First tab\\n"
    # The version the first save answered is the one to save on from.
    status, _ = save(editor, ARTICLE, "Title: Again\\n", saved["versions"][ARTICLE])
    assert status == 200


def test_a_save_naming_no_version_never_overwrites_a_file(editor, repository):
    before = (repository / ARTICLE).read_bytes()
    status, answer = save(editor, ARTICLE, "Title: New\\n")
    assert status == 409 and "already exists" in answer["error"]
    assert (repository / ARTICLE).read_bytes() == before
    # A move onto an existing file is refused too.
    other = "content/articles/moved.md"
    assert save(editor, other, "Title: Moved\\n")[0] == 200
    status, answer = save(
        editor, other, "Title: Moved\\n", version_of(editor, other), newPath=ARTICLE
    )
    assert status == 409 and "already exists" in answer["error"]
    assert (repository / ARTICLE).read_bytes() == before
    assert (repository / other).read_text() == "Title: Moved\\n"


def test_a_save_of_a_file_deleted_meanwhile_is_refused(editor, repository):
    version = version_of(editor, ARTICLE)
    (repository / ARTICLE).unlink()
    status, answer = save(editor, ARTICLE, "Title: Back\\n", version)
    assert status == 409 and "deleted or moved" in answer["error"]
    assert not (repository / ARTICLE).exists()


def test_saved_files_are_readable_by_all(editor, repository):
    mode = 0o644 & ~umask()
    assert save(editor, "content/articles/new.md", "Title: New\\n")[0] == 200
    assert save(editor, ARTICLE, "Title: Old\\n", version_of(editor, ARTICLE))[0] == 200
    photo = asset("content/images/photo.png", image_bytes())
    assert call(editor, "persistMedia", {"asset": photo})[0] == 200
    for path in ("content/articles/new.md", ARTICLE, "content/images/photo.png"):
        assert os.stat(repository / path).st_mode & 0o777 == mode, path


def test_a_folder_named_like_a_file_gets_a_plain_refusal(editor, repository):
    folder = repository / "content/articles/x.md"
    folder.mkdir()
    (folder / "inside.md").write_text("Title: inside\\n")
    (repository / "content/images/y.png").mkdir(parents=True)
    status, entries = call(
        editor,
        "entriesByFolder",
        {"folder": "content/articles", "extension": "md", "depth": 1},
    )
    assert status == 200
    assert "content/articles/x.md" not in [e["file"]["path"] for e in entries]
    status, media = call(editor, "getMedia", {"mediaFolder": "content/images"})
    assert status == 200
    assert "content/images/y.png" not in [m["path"] for m in media]
    answers = [
        call(editor, "getEntry", {"path": "content/articles/x.md"}),
        save(editor, "content/articles/x.md", "Title: x\\n"),
        call(editor, "deleteFile", {"path": "content/articles/x.md"}),
        call(editor, "getMediaFile", {"path": "content/images/y.png"}),
        call(
            editor,
            "persistMedia",
            {"asset": asset("content/images/y.png", image_bytes())},
        ),
    ]
    for status, answer in answers:
        assert status == 409, answer
        assert "is a folder, not a file" in answer["error"]
    assert (folder / "inside.md").read_text() == "Title: inside\\n"


def test_only_real_images_of_their_suffixs_kind_are_saved(editor, repository):
    evil = asset("content/images/evil.png", b"<html><script>alert(1)</script></html>")
    status, answer = call(editor, "persistMedia", {"asset": evil})
    assert status == 422 and "not an image" in answer["error"]
    assert not (repository / "content/images/evil.png").exists()
    status, answer = call(
        editor,
        "persistEntry",
        {
            "dataFiles": [{"path": "content/articles/new.md", "raw": "Title: x\\n"}],
            "assets": [evil],
        },
    )
    assert status == 422 and "nothing was saved" in answer["error"]
    assert not (repository / "content/articles/new.md").exists()
    assert not (repository / "content/images/evil.png").exists()
    jpeg = asset("content/images/photo.png", image_bytes("JPEG"))
    status, answer = call(editor, "persistMedia", {"asset": jpeg})
    assert status == 422 and "JPEG" in answer["error"]
    assert not (repository / "content/images/photo.png").exists()
    for name, kind in (
        ("photo.png", "PNG"),
        ("photo.jpg", "JPEG"),
        ("photo.webp", "WEBP"),
        ("photo.gif", "GIF"),
    ):
        data = image_bytes(kind)
        status, _ = call(
            editor, "persistMedia", {"asset": asset(f"content/images/{name}", data)}
        )
        assert status == 200, name
        assert (repository / "content/images" / name).read_bytes() == data
