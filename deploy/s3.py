"""S3-compatible storage: the objects under a bucket prefix become the built site.

Contract:
- `sync(output, bucket, prefix=...)` makes the objects under the prefix (the
  whole bucket when it is empty) exactly the files of the built folder `output`:
  it uploads new and changed files, then deletes the objects the new output no
  longer has. Uploads come before deletions, and HTML pages (with Pagefind's
  entry file) after the files they link to, so no page is ever missing or
  points at a missing file while a deploy runs. Keys outside the prefix are
  never read, written or deleted.
- A file whose bytes to upload have the MD5 of the object already there (its
  ETag) is not sent again: a redeploy uploads only what changed. `force=True`
  sends everything, for when only the header policy changed.
- Every object gets the Content-Type, Cache-Control and Content-Encoding that
  `policy` gives it (`HeaderPolicy.s3_metadata`, plugins/assets/headers.py:
  the policy `_headers` and the nginx include come from too). Without a
  `policy`, the policy's defaults; `invoke publish` passes the publish
  settings' (`deploy.headers.publish_policy()`).
- Precompressed copies: S3 sends every client the same bytes; it cannot pick a
  `.br` or `.gz` file by Accept-Encoding. Where the build wrote a `.gz` copy of
  a file (pelican-precompress, gzip -9), that copy is uploaded under the file's
  own key with `Content-Encoding: gzip`: every browser and crawler accepts
  gzip, and HTTP lets a server use an encoding when the request names none.
  The `.gz` and `.br` copies themselves are never uploaded (brotli would leave
  clients without it unable to read the page). Files without a `.gz` copy go
  up as they are; Pagefind's index files are compressed by Pagefind itself and
  carry no Content-Encoding.
- `_headers` (`HEADERS_FILE`) is not uploaded: it is the header rules of
  Netlify-style hosts. S3 has no such file and sends no
  Content-Security-Policy; the pages' meta tags carry the policy, and a CDN in
  front of the bucket can add the rest.
- Only a built site goes up: an output folder holding anything its build's
  manifest does not vouch for (a file added after the build, a changed one,
  a symbolic link: plugins/manifest) is refused, naming each file, before
  any request; the manifest itself (`MANIFEST_FILE`) is not uploaded.
- Credentials, region and profile come from the standard AWS settings
  (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE,
  AWS_DEFAULT_REGION, ~/.aws). Any S3-compatible host (Cloudflare R2, MinIO,
  Backblaze B2...) is reached through `endpoint_url`, else the S3_ENDPOINT_URL
  variable, else botocore's own AWS_ENDPOINT_URL_S3.
- Serving clean URLs (`/first-visit/` is `first-visit/index.html`) and the
  404 page is the host's part: S3 website hosting with index document
  `index.html` and error document `404.html`, or the CDN's equivalent.
- Failures raise DeployError with a message for the person deploying.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
import gzip
import hashlib
import os
from pathlib import Path
import re
import zlib

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
)
from manifest import MANIFEST_FILE, refusal, verify

from deploy.errors import DeployError
from deploy.headers import HEADERS_FILE, HeaderPolicy

# Uploaded last: they link to everything else.
ENTRY_POINTS = re.compile(r".*\.html|pagefind/pagefind-entry\.json")
# Header rules for Netlify-style hosts, meaningless on S3; the build's
# manifest, which names every file (unlisted pages too).
SKIPPED = frozenset({HEADERS_FILE, MANIFEST_FILE})
PRECOMPRESSED = (".gz", ".br")
UPLOAD_THREADS = 8
DELETE_BATCH = 1000  # the most keys one DeleteObjects request takes


@dataclass(frozen=True)
class Bucket:
    """Where the site goes: a bucket, and the key prefix the site owns in it."""

    name: str
    prefix: str = ""  # "" is the whole bucket; "blog" holds keys "blog/..."

    def key(self, name: str) -> str:
        """Return the object key of a file's output-relative path."""
        return self.key_prefix + name

    @property
    def key_prefix(self) -> str:
        """The prefix as keys start with it: "" or "blog/" (never "blog")."""
        cleaned = self.prefix.strip("/")
        return f"{cleaned}/" if cleaned else ""


@dataclass(frozen=True)
class SiteObject:
    """One object to upload: which file's bytes go up, under which headers."""

    name: str  # path relative to the output folder, with "/"
    source: Path  # the file whose bytes are uploaded: the file or its .gz copy
    metadata: dict[str, str]  # put_object's ContentType, CacheControl, …

    @cached_property
    def md5(self) -> str:
        """The hex MD5 of the bytes to upload: S3's ETag for them."""
        with self.source.open("rb") as body:
            return hashlib.file_digest(body, "md5").hexdigest()

    @property
    def is_entry_point(self) -> bool:
        """Whether it links to other files (a page), so goes up after them."""
        return bool(ENTRY_POINTS.fullmatch(self.name))


@dataclass(frozen=True)
class SyncReport:
    """What a sync did, or in a dry run would do: object keys, sorted."""

    uploaded: tuple[str, ...]
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]
    dry_run: bool = False

    def __str__(self) -> str:
        """Return one line for the person deploying."""
        line = (
            f"{len(self.uploaded)} uploaded, {len(self.unchanged)} unchanged, "
            f"{len(self.deleted)} deleted"
        )
        return f"{line} (dry run: nothing was changed)" if self.dry_run else line


def _gzip_copy(path: Path) -> Path | None:
    """Return the build's .gz copy of `path`, checked to hold the same bytes."""
    copy = path.with_name(path.name + ".gz")
    if not copy.is_file():
        return None
    try:
        same = gzip.decompress(copy.read_bytes()) == path.read_bytes()
    except (OSError, EOFError, zlib.error):
        same = False
    if not same:
        raise DeployError(
            f"{copy} is not a gzip copy of {path.name}: rebuild the site "
            "(make publish) rather than deploy stale compressed files"
        )
    return copy


def plan(output: Path, policy: HeaderPolicy | None = None) -> list[SiteObject]:
    """List the objects that publish `output` under `policy`, sorted by name."""
    policy = policy or HeaderPolicy()
    if not output.is_dir():
        raise DeployError(f"{output} is not a folder: build the site first")
    if not (output / "index.html").is_file():
        raise DeployError(
            f"{output} has no index.html, so it is not a built site; syncing it "
            "would delete the live site's pages"
        )
    problems = verify(output)
    if problems:
        raise DeployError(f"nothing was published: {refusal(output, problems)}")
    files = {
        path.relative_to(output).as_posix(): path
        for path in output.rglob("*")
        if path.is_file()
    }
    objects = []
    for name, path in files.items():
        original = name.removesuffix(Path(name).suffix)
        if name in SKIPPED or (name.endswith(PRECOMPRESSED) and original in files):
            continue
        copy = _gzip_copy(path)
        objects.append(
            SiteObject(
                name=name,
                source=copy or path,
                metadata=policy.s3_metadata(name, gzipped=copy is not None),
            )
        )
    return sorted(objects, key=lambda item: item.name)


def make_client(endpoint_url: str | None = None):
    """Return an S3 client for AWS or, with an endpoint, any S3-compatible host."""
    endpoint = endpoint_url or os.environ.get("S3_ENDPOINT_URL") or None
    config = Config(
        # botocore's default CRC32 checksums are refused by some S3-compatible
        # hosts; every upload sends Content-MD5, which all of them check.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"mode": "standard"},
        # Other hosts' endpoints take bucket names in the path, not the host name.
        s3={"addressing_style": "path"} if endpoint else None,
    )
    # A session of its own reads the environment now; boto3's shared default
    # session would keep the credentials it found first.
    session = boto3.session.Session()
    return session.client("s3", endpoint_url=endpoint, config=config)


@contextmanager
def _reported(bucket: Bucket) -> Iterator[None]:
    """Turn boto3's exceptions into a DeployError that says what to do."""
    where = f"bucket {bucket.name!r}"
    try:
        yield
    except NoCredentialsError as error:
        raise DeployError(
            "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "(or AWS_PROFILE)"
        ) from error
    except EndpointConnectionError as error:
        raise DeployError(f"cannot reach the S3 endpoint: {error}") from error
    except ClientError as error:
        details = error.response.get("Error", {})
        code = details.get("Code", "")
        if code == "NoSuchBucket":
            message = f"{where} does not exist (check its name and the endpoint)"
        elif code in {"AccessDenied", "AllAccessDisabled", "403"}:
            message = (
                f"access denied to {where}: the credentials need s3:ListBucket, "
                "s3:PutObject and s3:DeleteObject on it"
            )
        elif code in {"InvalidAccessKeyId", "SignatureDoesNotMatch"}:
            message = f"the S3 host refused the credentials for {where} ({code})"
        else:
            reason = details.get("Message") or error
            message = f"S3 refused a request on {where}: {code}: {reason}"
        raise DeployError(message) from error
    except BotoCoreError as error:
        raise DeployError(f"S3 request on {where} failed: {error}") from error


def _existing(client, bucket: Bucket) -> dict[str, str]:
    """Return {key: ETag without quotes} of every object under the prefix."""
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket.name, Prefix=bucket.key_prefix
    )
    return {
        item["Key"]: item["ETag"].strip('"')
        for page in pages
        for item in page.get("Contents", [])
    }


def _upload(client, bucket: Bucket, item: SiteObject) -> None:
    with item.source.open("rb") as body:
        client.put_object(
            Bucket=bucket.name,
            Key=bucket.key(item.name),
            Body=body,
            # S3 checks the bytes it stored against this, and refuses a mismatch.
            ContentMD5=base64.b64encode(bytes.fromhex(item.md5)).decode(),
            **item.metadata,
        )


def _upload_all(client, bucket: Bucket, items: Iterable[SiteObject]) -> None:
    with ThreadPoolExecutor(UPLOAD_THREADS) as pool:
        # list(): raise the first failure here, in the caller's thread.
        list(pool.map(lambda item: _upload(client, bucket, item), items))


def _delete(client, bucket: Bucket, keys: list[str]) -> None:
    for start in range(0, len(keys), DELETE_BATCH):
        batch = keys[start : start + DELETE_BATCH]
        answer = client.delete_objects(
            Bucket=bucket.name,
            Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
        )
        if answer.get("Errors"):
            failed = ", ".join(
                f"{error['Key']} ({error.get('Code', '?')})"
                for error in answer["Errors"]
            )
            raise DeployError(f"S3 did not delete: {failed}")


def sync(  # noqa: PLR0913 (one call's keyword options; a bundle would only move them)
    output: Path,
    bucket: str,
    *,
    prefix: str = "",
    endpoint_url: str | None = None,
    policy: HeaderPolicy | None = None,
    client=None,
    dry_run: bool = False,
    force: bool = False,
) -> SyncReport:
    """Make the objects under `prefix` in `bucket` the files of `output`.

    `endpoint_url` (else S3_ENDPOINT_URL) names an S3-compatible host; `client`
    replaces the one made from it; `policy` gives the objects' headers.
    `dry_run` only reports; `force` uploads unchanged files too (after the
    header policy changed).
    """
    if not bucket:
        raise DeployError("no bucket given: name the bucket to publish to")
    target = Bucket(bucket, prefix)
    objects = plan(output, policy)
    client = client or make_client(endpoint_url)
    with _reported(target):
        existing = _existing(client, target)
        changed = [
            item
            for item in objects
            if force or existing.get(target.key(item.name)) != item.md5
        ]
        wanted = {target.key(item.name) for item in objects}
        stale = sorted(set(existing) - wanted)
        if not dry_run:
            # Assets first, then the pages that link to them; deletions last.
            _upload_all(client, target, [i for i in changed if not i.is_entry_point])
            _upload_all(client, target, [i for i in changed if i.is_entry_point])
            _delete(client, target, stale)
    uploaded = {target.key(item.name) for item in changed}
    return SyncReport(
        uploaded=tuple(sorted(uploaded)),
        unchanged=tuple(sorted(wanted - uploaded)),
        deleted=tuple(stale),
        dry_run=dry_run,
    )
