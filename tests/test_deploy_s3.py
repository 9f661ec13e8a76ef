"""deploy.s3 against a real S3 API: moto's server on 127.0.0.1, fake credentials."""

from __future__ import annotations

from collections.abc import Iterator
import gzip
import json
import os
from pathlib import Path
import shutil
import urllib.request
import uuid

from botocore.stub import Stubber
from manifest import MANIFEST_FILE
from moto.server import ThreadedMotoServer
import pytest

from deploy.gh_pages import DeployError
from deploy.s3 import Bucket, SyncReport, make_client, sync
from tests.support import Site
from tests.test_manifest import PLANTED, planted_copy, record_as_built

PREFIX = "blog"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"  # ASSETS_HTML_MAX_AGE's default


@pytest.fixture(scope="module")
def aws_env(tmp_path_factory) -> Iterator[None]:
    """Fake credentials, and none of the machine's AWS settings: nothing leaves."""
    empty = tmp_path_factory.mktemp("no-aws-config")
    with pytest.MonkeyPatch.context() as patch:
        for variable in os.environ:
            if variable.startswith("AWS_") or variable == "S3_ENDPOINT_URL":
                patch.delenv(variable)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        patch.setenv("AWS_CONFIG_FILE", str(empty / "config"))
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty / "credentials"))
        patch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        yield


@pytest.fixture(scope="module")
def endpoint(aws_env) -> Iterator[str]:
    """Run moto's S3 server on a free port of 127.0.0.1; return its URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def new_bucket(endpoint: str) -> str:
    """Create an empty bucket of its own for one test; return its name."""
    name = f"site-{uuid.uuid4().hex[:12]}"
    make_client(endpoint).create_bucket(Bucket=name)
    return name


def keys(endpoint: str, bucket: str) -> set[str]:
    """Return every key in the bucket, under the prefix or not."""
    listed = make_client(endpoint).list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in listed.get("Contents", [])}


def site_files(output: Path) -> dict[str, Path]:
    """Return the files a visitor can ask for: no .br/.gz copy, _headers, manifest."""
    return {
        path.relative_to(output).as_posix(): path
        for path in output.rglob("*")
        if path.is_file()
        and path.suffix not in {".br", ".gz"}
        and path.name not in {"_headers", MANIFEST_FILE}
    }


def deploy(output: Path, bucket: str, endpoint: str, **options) -> SyncReport:
    """Sync `output` under PREFIX of `bucket` on the moto server."""
    return sync(output, bucket, prefix=PREFIX, endpoint_url=endpoint, **options)


@pytest.fixture(scope="module")
def published(endpoint, fixture_publish_site) -> tuple[str, SyncReport]:
    """Sync the fixture publish build once, under `blog/` of a fresh bucket."""
    bucket = new_bucket(endpoint)
    return bucket, deploy(fixture_publish_site.output, bucket, endpoint)


def css_bundle(site: Site) -> str:
    (bundle,) = site.output.glob("theme/css/site.*.css")
    return bundle.relative_to(site.output).as_posix()


def test_first_sync_uploads_every_file_and_nothing_else(
    published, endpoint, fixture_publish_site
):
    bucket, report = published
    expected = {f"{PREFIX}/{name}" for name in site_files(fixture_publish_site.output)}
    assert keys(endpoint, bucket) == expected
    assert set(report.uploaded) == expected
    assert report.unchanged == report.deleted == ()
    for page in fixture_publish_site.html_files():
        relative = page.relative_to(fixture_publish_site.output).as_posix()
        assert f"{PREFIX}/{relative}" in expected
    assert f"{PREFIX}/first-visit/index.html" in expected
    assert not [key for key in expected if key.endswith((".br", ".gz", "_headers"))]
    assert f"{PREFIX}/{MANIFEST_FILE}" not in keys(endpoint, bucket)


def test_each_kind_of_file_has_its_content_type(
    published, endpoint, fixture_publish_site
):
    bucket, _ = published
    output = fixture_publish_site.output
    (fragment,) = sorted(output.glob("pagefind/fragment/*.pf_fragment"))[:1]
    expected = {
        "index.html": "text/html; charset=utf-8",
        "first-visit/index.html": "text/html; charset=utf-8",
        css_bundle(fixture_publish_site): "text/css; charset=utf-8",
        "theme/js/search.js": "text/javascript; charset=utf-8",
        "pagefind/pagefind.js": "text/javascript; charset=utf-8",
        "pagefind/pagefind-entry.json": "application/json",
        "sitemap.xml": "application/xml",
        "feeds/all.atom.xml": "application/xml",
        "robots.txt": "text/plain; charset=utf-8",
        "theme/favicon.svg": "image/svg+xml",
        "images/pixel.png": "image/png",
        "images/window-light.jpg": "image/jpeg",
        "images/window-light-480w.webp": "image/webp",
        "pagefind/wasm.en.pagefind": "application/wasm",
        fragment.relative_to(output).as_posix(): "application/octet-stream",
    }
    client = make_client(endpoint)
    found = {
        name: client.head_object(Bucket=bucket, Key=f"{PREFIX}/{name}")["ContentType"]
        for name in expected
    }
    assert found == expected


def test_hashed_files_are_immutable_and_the_rest_short_lived(
    published, endpoint, fixture_publish_site
):
    bucket, _ = published
    output = fixture_publish_site.output
    hashed = {
        css_bundle(fixture_publish_site),
        *(
            path.relative_to(output).as_posix()
            for pattern in ("pagefind/*/*.pf_*", "pagefind/*.pf_meta")
            for path in output.glob(pattern)
        ),
    }
    assert len(hashed) >= 4  # the bundle, fragments, an index chunk, the meta file
    client = make_client(endpoint)
    for name in site_files(output):
        head = client.head_object(Bucket=bucket, Key=f"{PREFIX}/{name}")
        assert head["CacheControl"] == (IMMUTABLE if name in hashed else SHORT), name
    # The same rules as _headers gives hosts that read it.
    rules = (output / "_headers").read_text(encoding="utf-8")
    assert (
        f"/{css_bundle(fixture_publish_site)}\n  Cache-Control: {IMMUTABLE}\n" in rules
    )
    assert f"/*\n  Cache-Control: {SHORT}\n" in rules


def test_text_files_are_their_gzip_copies_and_decompress_to_the_file(
    published, endpoint, fixture_publish_site
):
    bucket, _ = published
    client = make_client(endpoint)
    compressed = 0
    for name, path in site_files(fixture_publish_site.output).items():
        answer = client.get_object(Bucket=bucket, Key=f"{PREFIX}/{name}")
        body = answer["Body"].read()
        if path.with_name(path.name + ".gz").is_file():
            compressed += 1
            assert answer["ContentEncoding"] == "gzip", name
            assert gzip.decompress(body) == path.read_bytes(), name
        else:
            assert "ContentEncoding" not in answer, name
            assert body == path.read_bytes(), name
    assert compressed >= 20  # every page, the stylesheet, scripts, feeds, sitemap


def test_a_page_over_plain_http_arrives_gzipped(
    published, endpoint, fixture_publish_site
):
    bucket, _ = published
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    make_client(endpoint).put_bucket_policy(
        Bucket=bucket, Policy=json.dumps(public_read)
    )
    request = urllib.request.Request(
        f"{endpoint}/{bucket}/{PREFIX}/first-visit/index.html",
        headers={"Accept-Encoding": "gzip"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Cache-Control"] == SHORT
        body = gzip.decompress(response.read())
    assert body == fixture_publish_site.path("first-visit/").read_bytes()


def test_a_second_sync_uploads_nothing_unless_forced(
    published, endpoint, fixture_publish_site
):
    bucket, first = published
    again = deploy(fixture_publish_site.output, bucket, endpoint)
    assert again.uploaded == again.deleted == ()
    assert again.unchanged == first.uploaded
    assert str(again) == f"0 uploaded, {len(first.uploaded)} unchanged, 0 deleted"
    forced = deploy(fixture_publish_site.output, bucket, endpoint, force=True)
    assert forced.uploaded == first.uploaded


def test_a_removed_page_is_deleted_and_keys_outside_the_prefix_stay(
    endpoint, fixture_publish_site, tmp_path
):
    bucket = new_bucket(endpoint)
    client = make_client(endpoint)
    outside = {"elsewhere/index.html", "blog-old/index.html", "blogroll.txt", "root"}
    for key in outside:
        client.put_object(Bucket=bucket, Key=key, Body=b"not the site's")
    output = shutil.copytree(fixture_publish_site.output, tmp_path / "output")
    deploy(output, bucket, endpoint)

    shutil.rmtree(output / "first-visit")
    report = deploy(record_as_built(output), bucket, endpoint)

    assert report.deleted == (f"{PREFIX}/first-visit/index.html",)
    assert report.uploaded == ()
    remaining = keys(endpoint, bucket)
    assert f"{PREFIX}/first-visit/index.html" not in remaining
    assert outside <= remaining
    assert f"{PREFIX}/index.html" in remaining


def test_a_changed_page_is_uploaded_alone(endpoint, fixture_publish_site, tmp_path):
    bucket = new_bucket(endpoint)
    output = shutil.copytree(fixture_publish_site.output, tmp_path / "output")
    deploy(output, bucket, endpoint)
    page = output / "about" / "index.html"
    changed = page.read_bytes() + b"<!-- edited -->"
    page.write_bytes(changed)
    (output / "about" / "index.html.gz").write_bytes(gzip.compress(changed))

    report = deploy(record_as_built(output), bucket, endpoint)

    assert report.uploaded == (f"{PREFIX}/about/index.html",)
    assert report.deleted == ()


def test_a_dry_run_changes_nothing_and_the_endpoint_can_come_from_the_environment(
    endpoint, fixture_publish_site, monkeypatch
):
    bucket = new_bucket(endpoint)
    monkeypatch.setenv("S3_ENDPOINT_URL", endpoint)  # no endpoint_url below
    report = sync(fixture_publish_site.output, bucket, prefix=PREFIX, dry_run=True)
    assert len(report.uploaded) == len(site_files(fixture_publish_site.output))
    assert str(report).endswith("(dry run: nothing was changed)")
    assert keys(endpoint, bucket) == set()


def test_the_prefix_is_a_folder_whatever_its_slashes():
    assert Bucket("b", "/blog/").key("index.html") == "blog/index.html"
    assert Bucket("b", "blog").key_prefix == "blog/"
    assert Bucket("b").key("index.html") == "index.html"


def test_a_missing_bucket_is_named(endpoint, fixture_publish_site):
    with pytest.raises(DeployError, match="bucket 'no-such-bucket' does not exist"):
        deploy(fixture_publish_site.output, "no-such-bucket", endpoint)


def test_access_denied_says_which_permissions(endpoint, fixture_publish_site):
    client = make_client(endpoint)
    with Stubber(client) as stub:
        stub.add_client_error(
            "list_objects_v2", service_error_code="AccessDenied", http_status_code=403
        )
        with pytest.raises(DeployError, match=r"access denied to bucket 'site'.*"):
            sync(fixture_publish_site.output, "site", client=client)


def test_missing_credentials_are_named(endpoint, fixture_publish_site, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(DeployError, match="no S3 credentials: set AWS_ACCESS_KEY_ID"):
        deploy(fixture_publish_site.output, "site", endpoint)


@pytest.mark.parametrize(
    ("make_output", "message"),
    [
        (lambda tmp: tmp / "never-built", "is not a folder: build the site first"),
        (lambda tmp: tmp, "has no index.html"),
    ],
    ids=["missing", "not-a-site"],
)
def test_a_missing_or_wrong_output_folder_is_refused(
    endpoint, tmp_path, make_output, message
):
    (tmp_path / "notes.txt").write_text("not a site")
    with pytest.raises(DeployError, match=message):
        deploy(make_output(tmp_path), "site", endpoint)


def test_a_stale_gzip_copy_is_refused(endpoint, fixture_publish_site, tmp_path):
    output = shutil.copytree(fixture_publish_site.output, tmp_path / "output")
    (output / "about" / "index.html").write_text("edited after the build")
    # As if the build had written it so: its manifest vouches for both files.
    with pytest.raises(DeployError, match=r"index.html.gz is not a gzip copy"):
        deploy(record_as_built(output), "site", endpoint)


def test_no_bucket_name_is_refused(fixture_publish_site):
    with pytest.raises(DeployError, match="no bucket given"):
        sync(fixture_publish_site.output, "")


@pytest.mark.parametrize("case", PLANTED, ids=PLANTED.keys())
def test_a_file_planted_after_the_build_is_refused_and_named(
    endpoint, fixture_publish_site, tmp_path, case
):
    bucket = new_bucket(endpoint)
    deploy(fixture_publish_site.output, bucket, endpoint)
    before = {
        item["Key"]: item["ETag"]
        for item in make_client(endpoint).list_objects_v2(Bucket=bucket)["Contents"]
    }
    plant, words = PLANTED[case]
    output, planted = planted_copy(fixture_publish_site.output, tmp_path, plant)
    with pytest.raises(DeployError) as refused:
        deploy(output, bucket, endpoint)
    assert f"output/{planted}: {words}" in str(refused.value)
    after = {
        item["Key"]: item["ETag"]
        for item in make_client(endpoint).list_objects_v2(Bucket=bucket)["Contents"]
    }
    assert after == before, "nothing was uploaded or deleted"
