"""The running preview answers only its own addresses: Host and Origin checks.

A page elsewhere can make its own name resolve to 127.0.0.1 (DNS rebinding)
and then read the preview, drafts and testimonials waiting for consent
included, or open its live-reload socket. These tests send real requests with
forged Host headers and real websocket handshakes with foreign Origins to a
running `invoke livereload`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import concurrent.futures
from dataclasses import dataclass
import gc
import http.client
import json
import os
import signal
import subprocess
import sys
import warnings

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from tests.support import copy_project, free_port
from tests.test_preview_server import wait_until_serving

# A draft: what a rebinding page would be after.
DRAFT = "/drafts/unfinished-draft/"


@dataclass(frozen=True)
class Preview:
    """A running preview's port."""

    port: int


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[Preview]:
    """Run one preview of the fixture site for every test of this module."""
    project = copy_project(tmp_path_factory.mktemp("hosts") / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/", server, seconds=120)
        yield Preview(port)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.communicate(timeout=30)


def get(port: int, path: str, host: str | None) -> tuple[int, str, str]:
    """GET `path` from 127.0.0.1:`port` with this Host header (None: none at all)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        return response.status, response.getheader("Content-Type", ""), body
    finally:
        connection.close()


def handshake(port: int, headers: dict[str, str]) -> int | str:
    """Open /livereload with these headers; return the refusal's status, or "open".

    An accepted socket must also answer livereload's hello, as the browser's
    script expects.
    """

    async def attempt() -> int | str:
        request = HTTPRequest(
            f"ws://127.0.0.1:{port}/livereload", headers=headers, request_timeout=10
        )
        try:
            socket = await websocket_connect(request)
        except HTTPClientError as refused:
            return refused.code
        try:
            await socket.write_message(json.dumps({"command": "hello"}))
            reply = json.loads(await socket.read_message())
            assert reply["command"] == "hello"
            return "open"
        finally:
            socket.close()

    # In a thread of its own: after the browser tests, Playwright's event loop
    # runs in this one, and asyncio.run() refuses to start a second.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        answer = pool.submit(asyncio.run, attempt()).result()
    # Tornado leaves a refused handshake's client socket to the garbage
    # collector; collected later, inside whichever test runs then, its
    # ResourceWarning fails that test (filterwarnings = error). It is the test
    # client's socket, not the server's: collect it here, without the warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    return answer


OWN_HOSTS = ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"]
FOREIGN_HOSTS = [
    "attacker.example:{port}",  # a rebinding page, on the preview's port
    "attacker.example",
    "127.0.0.1.attacker.example:{port}",
    "localhost.:{port}",  # a trailing dot is another name to a browser
    "127.0.0.1:{other}",  # the right name, another port
    "",
]
# Not a host at all: Tornado answers 400 before any handler.
MALFORMED_HOSTS = ["127.0.0.1:{port}@attacker.example", None]  # None: no header
# Every kind of answer the preview gives: a page, a draft, a missing page, its
# own pages, the reload script, and the socket's address as plain HTTP.
PATHS = ["/", DRAFT, "/nowhere/", "/_preview/writing/", "/livereload.js", "/livereload"]


def fill(template: str | None, port: int) -> str | None:
    return None if template is None else template.format(port=port, other=port + 1)


@pytest.mark.parametrize("host", OWN_HOSTS)
def test_the_preview_answers_its_own_names(preview, host):
    status, _, body = get(preview.port, DRAFT, fill(host, preview.port))
    assert status == 200
    assert "Draft fixture" in body
    status, kind, _ = get(preview.port, "/livereload.js", fill(host, preview.port))
    assert (status, kind) == (200, "application/javascript")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_foreign_host_gets_a_short_plain_refusal(preview, host, path):
    status, kind, body = get(preview.port, path, fill(host, preview.port))
    assert status == 403
    assert kind == "text/plain; charset=utf-8"
    assert body.startswith("Refused: this address is not the preview's.")
    assert f"http://127.0.0.1:{preview.port}/" in body
    assert "Draft fixture" not in body
    assert "livereload" not in body.lower()  # no script either
    assert "Traceback" not in body


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("host", MALFORMED_HOSTS)
def test_a_malformed_host_gets_nothing_of_the_site(preview, host, path):
    status, _, body = get(preview.port, path, fill(host, preview.port))
    assert status in {400, 403}
    assert "Draft fixture" not in body
    assert "<script" not in body


def test_the_preview_still_refuses_paths_outside_its_folder(preview):
    own = f"127.0.0.1:{preview.port}"
    for path in ("/../../pelicanconf.py", "/%2e%2e/%2e%2e/pelicanconf.py"):
        status, _, body = get(preview.port, path, own)
        assert status == 404
        assert "SITEURL" not in body


def test_the_reload_socket_opens_for_the_preview_s_own_pages(preview):
    port = preview.port
    for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
        assert handshake(port, {"Origin": origin}) == "open", origin
    # A client that is no browser sends no Origin: nothing to protect from it.
    assert handshake(port, {}) == "open"


@pytest.mark.parametrize(
    "origin",
    [
        "http://attacker.example",
        "http://attacker.example:{port}",
        "http://127.0.0.1:{port}.attacker.example",
        "https://127.0.0.1:{port}",  # another scheme is another origin
        "http://127.0.0.1:{other}",
        "null",  # a sandboxed frame or a file:// page
    ],
)
@pytest.mark.parametrize("fetch_site", [None, "same-origin", "cross-site"])
def test_the_reload_socket_refuses_a_foreign_origin(preview, origin, fetch_site):
    headers = {"Origin": fill(origin, preview.port)}
    if fetch_site:
        # A rebinding page is same-origin with the name it rebound.
        headers["Sec-Fetch-Site"] = fetch_site
    assert handshake(preview.port, headers) == 403


@pytest.mark.parametrize("host", ["attacker.example:{port}", "attacker.example"])
def test_the_reload_socket_refuses_a_foreign_host(preview, host):
    port = preview.port
    headers = {"Host": fill(host, port), "Origin": f"http://{fill(host, port)}"}
    assert handshake(port, headers) == 403
    headers["Sec-Fetch-Site"] = "same-origin"
    assert handshake(port, headers) == 403
