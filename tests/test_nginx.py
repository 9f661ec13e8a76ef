"""deploy/nginx.conf serves the publish build: Debian's nginx on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
import gzip
import http.client
from pathlib import Path
import re
import shutil
import socket
import subprocess
import time

import pytest

from deploy.headers import HEADERS_FILE, NGINX_INCLUDE, publish_policy
import pelicanconf
from tests.support import ROOT, Site, free_port

NGINX = Path("/usr/sbin/nginx")
EXAMPLE = ROOT / "deploy" / "nginx.conf"
# The example's include of the header policy, relative to nginx's
# configuration folder: the folder of the -c file below.
INCLUDE = re.compile(r"^\s*include (snippets/[^;]+);$", re.MULTILINE)
# The two lines a host adapts (marked HOST in the example).
LISTEN = re.compile(r"^\s*listen [^;]+;\n", re.MULTILINE)
DOCUMENT_ROOT = re.compile(r"^(\s*)root [^;]+;$", re.MULTILINE)
IMMUTABLE = "public, max-age=31536000, immutable"
# Around the example: what Debian's nginx.conf gives it (mime.types), and
# temporary files and the pid file kept out of the system's folders.
WRAPPER = """\
worker_processes 1;
master_process off;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


def example_for(site: Path, port: int) -> str:
    """Return the example server block with its listen lines and root replaced."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert len(LISTEN.findall(text)) == 2
    assert len(DOCUMENT_ROOT.findall(text)) == 1
    return DOCUMENT_ROOT.sub(
        lambda match: f"{match[1]}listen 127.0.0.1:{port};\n{match[1]}root {site};",
        LISTEN.sub("", text),
    )


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx stopped at once:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            time.sleep(0.05)
        else:
            return
    pytest.fail(f"nginx did not listen on port {port}:\n{log.read_text()}")


@pytest.fixture(scope="module")
def nginx(fixture_publish_site, tmp_path_factory) -> Iterator[str]:
    """Serve the publish build with the example config; yield host:port."""
    if not NGINX.is_file():
        pytest.fail(
            f"nginx not found at {NGINX}: run `make test`, which installs it "
            "(Debian: apt-get install nginx)"
        )
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    example = example_for(fixture_publish_site.output, port)
    (tmp / "site.conf").write_text(example)
    (included,) = INCLUDE.findall(example)
    (tmp / included).parent.mkdir(parents=True)
    shutil.copy(NGINX_INCLUDE, tmp / included)
    (tmp / "nginx.conf").write_text(WRAPPER.format(tmp=tmp))
    log = tmp / "stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [
                str(NGINX),
                "-e",
                "stderr",
                "-p",
                str(tmp),
                "-c",
                str(tmp / "nginx.conf"),
                "-g",
                f"daemon off; pid {tmp}/nginx.pid;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        wait_for(port, process, log)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(
    address: str, path: str, **headers: str
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """GET `path`; return status, headers and the body as sent (not decoded)."""
    connection = http.client.HTTPConnection(address, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def headers_rules(site: Site) -> dict[str, str]:
    """Return the headers `_headers` gives every path ("/*"), but Cache-Control."""
    text = (site.output / "_headers").read_text(encoding="utf-8")
    block = text.split("/*\n", 1)[1]
    pairs = (line.strip().split(": ", 1) for line in block.splitlines())
    return {name: value for name, value in pairs if name != "Cache-Control"}


def test_the_example_sends_the_settings_policy():
    text = NGINX_INCLUDE.read_text(encoding="utf-8")
    (policy,) = re.findall(
        r'add_header Content-Security-Policy "([^"]+)" always;', text
    )
    assert policy == pelicanconf.HEADERS_CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/", "/first-visit/"])
def test_pages_are_html_with_the_headers_of_the_headers_file(
    nginx, fixture_publish_site, path
):
    status, headers, body = get(nginx, path)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == fixture_publish_site.path(path).read_bytes()
    rules = headers_rules(fixture_publish_site)
    assert "Content-Security-Policy" in rules
    assert {name: headers[name] for name in rules} == rules
    assert headers["Cache-Control"] == "public, max-age=300"


def test_a_missing_page_is_a_404_with_the_404_page(nginx, fixture_publish_site):
    status, headers, body = get(nginx, "/no-such-page/")
    assert status == 404
    assert body == fixture_publish_site.path("404.html").read_bytes()
    assert headers["Content-Security-Policy"]


def test_a_page_comes_gzipped_from_its_gzip_copy(nginx, fixture_publish_site):
    status, headers, body = get(nginx, "/first-visit/", **{"Accept-Encoding": "gzip"})
    page = fixture_publish_site.path("first-visit/")
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert body == page.with_name("index.html.gz").read_bytes()  # the build's gzip copy
    assert gzip.decompress(body) == page.read_bytes()


def test_a_clean_url_without_its_slash_redirects_relatively(nginx):
    status, headers, _ = get(nginx, "/first-visit")
    assert status == 301
    assert headers["Location"] == "/first-visit/"


def test_the_css_bundle_is_immutable(nginx, fixture_publish_site):
    (bundle,) = fixture_publish_site.output.glob("theme/css/site.*.css")
    status, headers, _ = get(nginx, f"/theme/css/{bundle.name}")
    assert status == 200
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert headers["Cache-Control"] == IMMUTABLE
    assert headers["Content-Security-Policy"]  # the location keeps the others


def test_pagefind_files_have_their_types_and_cache_lives(nginx, fixture_publish_site):
    status, headers, body = get(nginx, "/pagefind/wasm.en.pagefind")
    assert status == 200
    assert headers["Content-Type"] == "application/wasm"
    assert headers["Cache-Control"] == "public, max-age=300"  # same name each build
    assert (
        body == (fixture_publish_site.output / "pagefind/wasm.en.pagefind").read_bytes()
    )
    output = fixture_publish_site.output
    for chunk in [
        *output.glob("pagefind/*/*.pf_*"),
        *output.glob("pagefind/*.pf_meta"),
    ]:
        status, headers, _ = get(nginx, "/" + chunk.relative_to(output).as_posix())
        assert status == 200
        assert headers["Content-Type"] == "application/octet-stream"
        assert headers["Cache-Control"] == IMMUTABLE


def test_the_headers_file_is_not_served(nginx):
    status, _, _ = get(nginx, "/_headers")
    assert status == 404


def test_every_file_has_the_cache_life_of_the_header_policy(
    nginx, fixture_publish_site
):
    policy = publish_policy()
    output = fixture_publish_site.output
    names = {
        path.relative_to(output).as_posix()
        for path in output.rglob("*")
        if path.is_file() and path.suffix not in {".br", ".gz"}
    } - {HEADERS_FILE}
    served = {name: get(nginx, "/" + name)[1]["Cache-Control"] for name in names}
    assert served == {name: policy.cache_control(name) for name in served}
    assert set(served.values()) == {policy.immutable, policy.short_lived}
