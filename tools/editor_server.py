"""The browser editor of `make edit`: Decap CMS at /admin/, on the writer's own files.

Two tornado handlers join the preview server (tools/devserver.py):

- `EditorFiles` serves /admin/: the page (tools/editor/index.html), its
  script and stylesheet, the configuration generated from the schema
  (tools/editor/config.json) and Decap CMS's bundle from node_modules, as
  package-lock.json pins it. Every answer says noindex and carries the
  editor's own Content-Security-Policy (EDITOR_CSP); the public site never
  links or loads any of it, and the build never copies it into output/.
- `EditorAPI` answers /admin/api/v1 the way Decap's proxy backend expects
  (decap-server's local file-system protocol: `info`, `entriesByFolder`,
  `getEntry`, `persistEntry`, media, deletes), plus `check`: the content
  check's findings for one file, `path:line: field: message`, as `make check`
  prints them.

Why not decap-server itself: it listens on a second port of every network
interface unless told otherwise, and writes any file of the repository
(Makefile, tasks.py, .git/hooks), so a page elsewhere on the network or on
another localhost port could make the next `make` run its code. This API
answers only POSTs from the preview's own pages (Host and Origin checked, a
JSON body), and reads and writes only inside content/: no hidden file, no
link out of it, only Markdown, YAML and image files, each written whole
(a temporary file renamed), so the preview never builds half a file.

What a save promises:

- Nothing it leaves blocks the build. The temporary file is written in the
  repository's `.editor-work/` (ignored by git through its own .gitignore),
  beside content/ and so on its file system, and renamed into place; a save
  killed before its rename leaves a file there, never in content/, and the
  next start removes it. Only when content/ is on another file system than
  the repository (a rename would not be atomic) is it written beside its
  file, as `.editor-XXXXXXXX`; such leftovers, and those of earlier versions,
  are removed at start-up and before every request, and `deleteFile` may
  name one.
- A saved file has mode 0644 less the umask, as any editor's new file.
- One tab never overwrites another's work. Every read gives each file's
  version, `file.id`: the sha256 of its bytes. A save of a text file names
  the version it edited, as `version` in each of persistEntry's dataFiles
  (admin.js adds it to Decap's requests); a save naming another version
  than the file's, or naming none while the file exists, is refused with 409
  and leaves the file as it was. A save answers the new versions,
  `versions`: {path: sha256}.
- A folder named like a file (content/articles/x.md/) is left out of
  listings and refused in plain words (409), never a server error.
- An image is saved only if Pillow reads it as the kind its suffix names
  (PNG, JPEG, GIF, WebP); anything else is refused with 422 and nothing of
  the save is written.

Every refusal is JSON, `{"error": message}`, in plain words; a failure of the
file system too (500), never a traceback.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import io
import json
import os
from pathlib import Path, PurePosixPath
import re
import struct
import tempfile

from content_schema import check_content
from content_schema.editor import editor_config_text
from content_schema.safety import IMAGE_FORMATS
from content_schema.schema import load_references_file
from content_schema.settings import with_defaults
from pelican.settings import read_settings
from PIL import Image, UnidentifiedImageError
from tornado import web

from tools.config import CONFIG

ADMIN = "/admin/"
API = ADMIN + "api/v1"
PAGE = CONFIG["editor"] / "index.html"
CONFIG_FILE = CONFIG["editor"] / "config.json"  # generated: `invoke editor-config`
# The editor's own files, by name, and their types.
OWN_FILES = {
    "admin.js": "text/javascript",
    "admin.css": "text/css",
    "pelican-format.js": "text/javascript",
    "config.json": "application/json",
}
# Decap's bundle: its entry point, the chunks it loads next to it, and two
# WebAssembly modules; never its source maps (25 MB each).
BUNDLE_FILE = re.compile(r"(?:\d+\.)?decap-cms\.js|[0-9a-f]{20}\.wasm")
TEXT_SUFFIXES = frozenset({".md", ".yaml", ".yml"})
MEDIA_SUFFIXES = frozenset(IMAGE_FORMATS)  # the raster images content/ holds
MAX_REQUEST_BYTES = 20 * 1024 * 1024  # a photo, base64-encoded
# Where saves write their temporary files: a folder of the repository, so
# that the rename into content/ stays on one file system (atomic), and out of
# content/, so that a save killed before its rename leaves nothing the content
# check refuses (it names every hidden file).
WORK_FOLDER = ".editor-work"
# A temporary file's name: mkstemp's eight random characters after the prefix.
# Earlier versions wrote these beside the file in content/; so does a save when
# content/ is on another file system than WORK_FOLDER.
TEMPORARY_PREFIX = ".editor-"
TEMPORARY = re.compile(re.escape(TEMPORARY_PREFIX) + r"[a-z0-9_]{8}")


def _umask() -> int:
    # The only way to read the umask is to set it; put it back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# The mode of a saved file, as any editor gives a new one: mkstemp's own 0600
# left saved files unreadable to the group and others, unlike the clone's rest.
FILE_MODE = 0o644 & ~_umask()
# Decap runs its scripts and inline styles (React, emotion), compiles its
# configuration schema (ajv: eval) and two WebAssembly modules, and shows
# uploaded images from blob: URLs. Nothing leaves the preview's origin.
EDITOR_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
EDITOR_HEADERS = {
    "Content-Security-Policy": EDITOR_CSP,
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def write_config() -> bool:
    """Write the editor's configuration from the schema; True if it changed."""
    text = editor_config_text()
    if CONFIG_FILE.is_file() and CONFIG_FILE.read_text(encoding="utf-8") == text:
        return False
    CONFIG_FILE.write_text(text, encoding="utf-8")
    return True


class RefusedPath(Exception):
    """A path the editor may not read or write; its message says why."""


class Conflict(Exception):
    """A save or read the file's present state forbids (409); the message says why."""


class NotAnImage(Exception):
    """Uploaded bytes that are not an image of their suffix's kind (422)."""


def image_problem(data: bytes, suffix: str) -> str:
    """Return why `data` may not be saved as an image named `*suffix`, or "".

    The bytes must be an image Pillow reads and verifies, of the format the
    suffix names: HTML or script named `.png` would otherwise be published.
    """
    expected = IMAGE_FORMATS[suffix.lower()]
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()  # reads the whole file: a damaged one is refused too
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        struct.error,
        Image.DecompressionBombError,
    ):
        return "is not an image the site can publish (PNG, JPEG, GIF or WebP)"
    if found != expected:
        return (
            f"is a {found} image, not the {expected} image its name says: "
            f"save it with the suffix of its kind"
        )
    return ""


class ContentFolder:
    """The files the editor may read and write: the content folder, nothing else.

    Paths are given as the repository shows them, e.g.
    `content/articles/first-visit.md`, relative to `repository`.
    """

    def __init__(self, repository: Path, content: Path) -> None:
        """Allow the files under `content`, a folder of `repository`."""
        self.repository = repository.resolve()
        self.content = content.resolve()
        self.work = self.repository / WORK_FOLDER
        # The text file saved last: Decap's save event does not name a new one.
        self.last_written = ""
        self.sweep(start=True)

    def sweep(self, start: bool = False) -> None:
        """Remove the temporary files interrupted saves left in content/.

        With `start`, also those in the work folder: one server saves at a
        time (tornado runs one request at a time), so at its start none of
        them is being written.
        """
        for directory, _folders, files in os.walk(self.content):
            for name in files:
                if TEMPORARY.fullmatch(name):
                    Path(directory, name).unlink(missing_ok=True)
        if start and self.work.is_dir():
            for left in self.work.iterdir():
                if left.name != ".gitignore" and not left.is_dir():
                    left.unlink(missing_ok=True)

    def resolve(self, path: str, suffixes=TEXT_SUFFIXES | MEDIA_SUFFIXES) -> Path:
        """Return the file at repository path `path` if the editor may use it.

        Refused (RefusedPath): a path out of content/, through a link or
        `..`, a hidden file, or a file whose suffix is not in `suffixes`.
        """
        target = self._inside(path)
        if target.suffix.lower() not in suffixes:
            raise RefusedPath(f"{path!r} is not a Markdown, YAML or image file")
        return target

    def file(self, path: str, suffixes=TEXT_SUFFIXES | MEDIA_SUFFIXES) -> Path:
        """Return `resolve(path, suffixes)`, refused (Conflict) if it is a folder."""
        target = self.resolve(path, suffixes)
        if target.is_dir():
            raise Conflict(
                f"{self.shown(target)} is a folder, not a file: the editor cannot "
                f"open or save it; rename the folder so its name does not end "
                f"in {target.suffix}"
            )
        return target

    def version(self, path: str) -> str | None:
        """Return the version of the text file at `path`, or None if there is none."""
        target = self.file(path, TEXT_SUFFIXES)
        return _digest(target.read_bytes()) if target.exists() else None

    def expect(self, path: str, version: str | None) -> None:
        """Refuse (Conflict) to save `path` unless it is still at `version`.

        No version means a new file, refused if one is there already.
        """
        current = self.version(path)
        if current == version:
            return
        if version is None:
            raise Conflict(
                f"{path} already exists, so nothing was saved: open it from "
                f"the list to change it, or give the new one another title"
            )
        if current is None:
            raise Conflict(
                f"{path} was deleted or moved since you opened it, so nothing "
                f"was saved: copy your text, reload the page and start it again"
            )
        raise Conflict(
            f"{path} was changed since you opened it (in another tab or "
            f"another program), so nothing was saved: copy your changes, "
            f"reload the page and make them again on the newer text"
        )

    def _inside(self, path: str) -> Path:
        """Return repository path `path` if it is a plain path inside content/."""
        relative = PurePosixPath(str(path).replace("\\", "/"))
        if relative.is_absolute() or any(
            part in ("", "..") or part.startswith(".") for part in relative.parts
        ):
            raise RefusedPath(f"{path!r} is not a plain path inside content/")
        target = self.repository.joinpath(*relative.parts)
        # A link inside content/ may not lead out of it.
        if not target.resolve().is_relative_to(self.content):
            raise RefusedPath(f"{path!r} is outside content/")
        return target

    def shown(self, target: Path) -> str:
        """Return the repository path of `target`, as requests give it."""
        return target.relative_to(self.repository).as_posix()

    def listing(
        self, folder: str, suffixes: tuple[str, ...], depth: int, ignored=()
    ) -> list[Path]:
        """List the files ending in one of `suffixes` under `folder`, `depth` deep.

        Hidden files, and the names the build ignores (`ignored`: its
        IGNORE_FILES patterns, README.md among them), are left out.
        """
        try:
            start = self._inside(folder)
        except RefusedPath:
            return []
        found = []

        def walk(directory: Path, levels: int) -> None:
            if levels <= 0 or not directory.is_dir():
                return
            for child in sorted(directory.iterdir()):
                if child.name.startswith(".") or any(
                    fnmatch.fnmatch(child.name, pattern) for pattern in ignored
                ):
                    continue
                if child.is_dir():
                    # Never listed, even named x.md: only its files may be.
                    walk(child, levels - 1)
                elif child.name.endswith(suffixes) and child.resolve().is_relative_to(
                    self.content
                ):
                    found.append(child)

        walk(start, depth)
        return found

    def entry(self, path: str) -> dict:
        """One file as Decap reads it: its text and an id of its bytes."""
        target = self.file(path, TEXT_SUFFIXES)
        if not target.is_file():
            return {"data": None, "file": {"path": path, "id": None}}
        data = target.read_bytes()
        return {
            "data": data.decode("utf-8", errors="replace"),
            "file": {"path": self.shown(target), "id": _digest(data)},
        }

    def media(self, path: str) -> dict:
        """One image as Decap reads it: base64 bytes, name and id."""
        target = self.file(path, MEDIA_SUFFIXES)
        data = target.read_bytes()
        return {
            "id": _digest(data),
            "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64",
            "path": self.shown(target),
            "name": target.name,
        }

    def write(self, path: str, data: bytes, suffixes=TEXT_SUFFIXES) -> str:
        """Write `data` to `path` whole, mode FILE_MODE; return its version.

        A temporary file in the work folder, then a rename (see the module).
        """
        target = self.file(path, suffixes)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=TEMPORARY_PREFIX, dir=self._temporary_folder(target.parent)
        )
        try:
            os.fchmod(handle, FILE_MODE)
            with os.fdopen(handle, "wb") as written:
                written.write(data)
                written.flush()
                os.fsync(written.fileno())  # the bytes are on disk before the name
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return _digest(data)

    def _temporary_folder(self, folder: Path) -> Path:
        """Return the work folder, or `folder` if a rename from there is not atomic."""
        self.work.mkdir(exist_ok=True)
        ignore = self.work / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# The browser editor's unfinished saves.\n*\n")
        if self.work.stat().st_dev != folder.stat().st_dev:
            return folder
        return self.work

    def deletable(self, path: str) -> Path:
        """Return the file `delete` may remove at `path` (see `resolve`).

        A temporary file an interrupted save left in content/ may be named too,
        though it is hidden: the writer can then clear what blocks the build.
        """
        relative = PurePosixPath(str(path).replace("\\", "/"))
        if TEMPORARY.fullmatch(relative.name) and len(relative.parts) > 1:
            return self._inside(relative.parent.as_posix()) / relative.name
        return self.file(path)

    def delete(self, path: str) -> None:
        """Remove the file at `path`, if it is there."""
        self.deletable(path).unlink(missing_ok=True)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_settings(settings: Path, content: Path) -> dict:
    """Return the build's settings from file `settings`, for content folder `content`.

    Read afresh for each request, so an edited settings file counts at once.
    """
    return with_defaults(read_settings(str(settings), override={"PATH": str(content)}))


def findings_for(values: dict, source: str) -> dict:
    """Return the check's findings for `source`, with the build's settings `values`.

    They are worded as `make check` words them: `problems` block the build;
    `todos` are placeholders still to fill in; `advice` is the editorial
    report; `elsewhere` counts problems in other
    files (the build stops for them too); `address` is the page's address in
    the preview, or "" for a file that is not a page.
    """
    result = check_content(values)
    mine = [p for p in result.problems if p.source == source]
    pages = [item for item in result.items if item.source == source]
    return {
        # Where the preview shows it (drafts under drafts/), once it builds.
        "address": "/"
        + "".join(
            ("drafts/" if item.status == "draft" else "") + item.url for item in pages
        )
        if pages
        else "",
        "problems": [str(p) for p in mine],
        "todos": [str(p) for p in result.todos if p.source == source],
        "advice": [str(p) for p in result.warnings if p.source == source],
        "elsewhere": len(result.problems) - len(mine),
    }


def cited_sources(values: dict) -> list[dict]:
    """Return each reference's key and a one-line description, in key order.

    Read with the loader the build uses; a file that does not read gives the
    references that do (its problems are `make check`'s to report).
    """
    path = Path(values["PATH"]) / values["CONTENT_REFERENCES_FILE"]
    records, _problems = load_references_file(path, path.name)
    return [
        {
            "key": key,
            "text": f"{', '.join(record.authors)} ({record.year}). {record.title}",
        }
        for key, record in sorted(records.items())
    ]


class EditorAPI(web.RequestHandler):
    """Decap CMS's proxy backend for the writer's content folder (see the module)."""

    def initialize(self, folder: ContentFolder, settings: Path, origins) -> None:
        """Serve `folder`; check content with `settings`; answer pages of `origins`."""
        self.folder, self.settings_file, self.origins = folder, settings, origins

    def set_default_headers(self) -> None:
        """No caching, no sniffing: every answer is JSON for the editor alone."""
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def prepare(self) -> None:
        """Refuse what does not come from the editor's own page, as JSON it reads."""
        origin = self.request.headers.get("Origin", "").lower()
        kind = self.request.headers.get("Content-Type", "")
        if origin not in self.origins:
            self._fail(403, "the editor's API answers only the preview's own pages")
        elif not kind.startswith("application/json"):
            self._fail(415, "the editor's API takes JSON")
        elif len(self.request.body) > MAX_REQUEST_BYTES:
            self._fail(413, "the file is larger than the editor accepts (20 MB)")
        else:
            # A leftover in content/ stops every build: clear it at once.
            self.folder.sweep()

    def _settings(self) -> dict:
        return content_settings(self.settings_file, self.folder.content)

    def _fail(self, status: int, message: str) -> None:
        self.set_status(status)
        self.finish({"error": message})

    def post(self) -> None:
        """Answer one action of Decap's proxy protocol, or `check`."""
        try:
            body = json.loads(self.request.body)
            name = ACTIONS.get(str(body.get("action")))
            if name is None:
                self._fail(422, f"unknown action {body.get('action')!r}")
                return
            answer = getattr(self, name)(body.get("params") or {})
        except RefusedPath as refused:
            self._fail(403, str(refused))
            return
        except Conflict as conflict:
            self._fail(409, str(conflict))
            return
        except NotAnImage as refused:
            self._fail(422, str(refused))
            return
        except OSError as failed:
            # The file system's own words (no room, no permission), no traceback.
            reason = failed.strerror or str(failed)
            where = f" ({failed.filename})" if failed.filename else ""
            self._fail(500, f"the file could not be read or written: {reason}{where}")
            return
        except (ValueError, TypeError, KeyError, AttributeError) as malformed:
            self._fail(400, f"malformed request: {malformed}")
            return
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(answer))

    def info(self, _params) -> dict:
        """Name the repository and say it is the local file system."""
        return {
            "repo": self.folder.repository.name,
            "publish_modes": ["simple"],
            "type": "local_fs",
        }

    def entries_by_folder(self, params) -> list:
        """Every entry of a folder collection: its files, read."""
        files = self.folder.listing(
            params["folder"],
            (params.get("extension", ""),),
            int(params.get("depth", 1)),
            self._settings()["IGNORE_FILES"],
        )
        return [self.folder.entry(self.folder.shown(path)) for path in files]

    def entries_by_files(self, params) -> list:
        """Read the entries of a files collection."""
        return [self.folder.entry(file["path"]) for file in params["files"]]

    def get_entry(self, params) -> dict:
        """One entry, read."""
        return self.folder.entry(params["path"])

    def persist_entry(self, params) -> dict:
        """Save an entry's files and images, if all may be saved.

        Every path, version and image is judged before any write. Each data
        file names the `version` it edited (none for a new file); the answer
        gives each saved file's new version, by path.
        """
        data_files = params.get("dataFiles") or [params["entry"]]
        assets = params.get("assets") or []
        for data_file in data_files:
            self.folder.expect(data_file["path"], data_file.get("version"))
            new_path = data_file.get("newPath")
            if new_path and new_path != data_file["path"]:
                self.folder.expect(new_path, None)  # a move never overwrites
        images = [self._image(asset) for asset in assets]
        for asset, data in zip(assets, images, strict=True):
            self.folder.write(asset["path"], data, MEDIA_SUFFIXES)
        versions = {}
        for data_file in data_files:
            version = self.folder.write(
                data_file["path"], data_file["raw"].encode("utf-8")
            )
            saved = data_file["path"]
            if data_file.get("newPath"):
                new_path = self.folder.resolve(data_file["newPath"], TEXT_SUFFIXES)
                os.replace(self.folder.resolve(saved), new_path)
                saved = self.folder.shown(new_path)
            versions[saved] = version
            self.folder.last_written = saved
        return {"message": "entry persisted", "versions": versions}

    def _image(self, asset: dict) -> bytes:
        """Return an uploaded image's bytes, refused (NotAnImage) unless it is one."""
        target = self.folder.file(asset["path"], MEDIA_SUFFIXES)
        data = base64.b64decode(asset["content"])
        problem = image_problem(data, target.suffix)
        if problem:
            raise NotAnImage(f"{asset['path']} {problem}; nothing was saved")
        return data

    def get_media(self, params) -> list:
        """Every image of the media folder."""
        found = self.folder.listing(
            params.get("mediaFolder", ""), tuple(MEDIA_SUFFIXES), 1
        )
        return [self.folder.media(self.folder.shown(path)) for path in found]

    def get_media_file(self, params) -> dict:
        """One image."""
        return self.folder.media(params["path"])

    def persist_media(self, params) -> dict:
        """Save one uploaded image."""
        asset = params["asset"]
        self.folder.write(asset["path"], self._image(asset), MEDIA_SUFFIXES)
        return self.folder.media(asset["path"])

    def delete_file(self, params) -> dict:
        """Delete one entry's file or one image."""
        self.folder.delete(params["path"])
        return {"message": f"deleted file {params['path']}"}

    def delete_files(self, params) -> dict:
        """Delete several files; every path is judged before any is removed."""
        for path in params["paths"]:
            self.folder.deletable(path)
        for path in params["paths"]:
            self.folder.delete(path)
        return {"message": "deleted files"}

    def get_deploy_preview(self, _params) -> None:
        """Say there is no deploy preview: the local preview is the writer's own."""

    def check(self, params) -> dict:
        """Give the check's findings for the file at `path`, or the one saved last."""
        path = params.get("path") or self.folder.last_written
        if not path:
            return {"error": "nothing has been saved yet"}
        target = self.folder.resolve(path, TEXT_SUFFIXES)
        shown = self.folder.shown(target)
        findings = findings_for(self._settings(), shown)
        return {"path": shown, **findings}

    def references(self, _params) -> list:
        """List the sources the text may cite, `[@key]`, for the editor's panel."""
        return cited_sources(self._settings())


# Decap's action names -> EditorAPI's methods.
ACTIONS = {
    "info": "info",
    "entriesByFolder": "entries_by_folder",
    "entriesByFiles": "entries_by_files",
    "getEntry": "get_entry",
    "persistEntry": "persist_entry",
    "getMedia": "get_media",
    "getMediaFile": "get_media_file",
    "persistMedia": "persist_media",
    "deleteFile": "delete_file",
    "deleteFiles": "delete_files",
    "getDeployPreview": "get_deploy_preview",
    "check": "check",
    "references": "references",
}


class EditorFiles(web.RequestHandler):
    """The editor's page, its own files and Decap's bundle, under /admin/."""

    def initialize(self, bundle: Path) -> None:
        """Serve Decap's files from `bundle` (node_modules/decap-cms/dist)."""
        self.bundle = bundle

    def set_default_headers(self) -> None:
        """Send the editor's own policy, and noindex, with every answer."""
        for name, value in EDITOR_HEADERS.items():
            self.set_header(name, value)

    def get(self, name: str) -> None:
        """Answer /admin/NAME."""
        if name == "":
            self._send(PAGE, "text/html; charset=utf-8")
        elif name in OWN_FILES:
            self._send(CONFIG["editor"] / name, OWN_FILES[name])
        elif BUNDLE_FILE.fullmatch(name):
            kind = "application/wasm" if name.endswith(".wasm") else "text/javascript"
            self._send(self.bundle / name, kind)
        else:
            self._send(None, "")

    def _send(self, path: Path | None, kind: str) -> None:
        if path is None or not path.is_file():
            self.set_status(404)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            missing_bundle = path is not None and path.parent == self.bundle
            self.finish(
                "Not found. The editor's files come from npm: run `make edit`, "
                "which installs them."
                if missing_bundle
                else "Not found"
            )
            return
        self.set_header("Content-Type", kind)
        self.finish(path.read_bytes())


def editor_handlers(settings: Path, content: Path, origins) -> list:
    """Return the editor's tornado routes, for the preview server's application."""
    folder = ContentFolder(content.parent, content)
    return [
        (API, EditorAPI, {"folder": folder, "settings": settings, "origins": origins}),
        (r"/admin", web.RedirectHandler, {"url": ADMIN}),
        (ADMIN + r"(.*)", EditorFiles, {"bundle": CONFIG["decap_bundle"]}),
    ]
