"""The editor's API: Decap's protocol on content/ only, for the preview's own pages."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
import threading
import urllib.error
import urllib.request

from content_schema.parsing import load_yaml_file
from content_schema.problems import Reporter
import pytest
from tornado import httpserver, ioloop, web

from tests.support import DEV_SETTINGS, copy_fixture_site, free_port
from tools.editor_server import (
    EDITOR_CSP,
    ContentFolder,
    RefusedPath,
    editor_handlers,
)


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
    yield origin
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
    status, _ = call(
        editor,
        "persistEntry",
        {
            "dataFiles": [
                {
                    "path": "content/articles/first-visit.md",
                    "raw": changed,
                    "slug": "first-visit",
                }
            ],
            "assets": [],
        },
    )
    assert status == 200
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
    image = base64.b64encode(b"\x89PNG fake").decode()
    asset = {"path": "content/images/photo.png", "content": image, "encoding": "base64"}
    status, saved = call(editor, "persistMedia", {"asset": asset})
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
