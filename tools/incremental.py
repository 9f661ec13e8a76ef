"""Incremental builds for the preview: render again only the pages whose inputs changed.

One long-lived process (tools/preview_worker.py) builds the site again and
again. Pelican still reads every source on every build, from its reader cache
(build_cache: a Markdown file is parsed again only when it changed), and every
plugin still shapes the whole site, so every page's data is as a cold build
would make it. What is skipped is the expensive end: rendering a page's
template and writing it, when nothing the page shows has changed.

The dependency rules, explicit and in one place:

1. A page reads exactly the context variables its template tree reads
   (`template_variables`: the template, and everything it extends, includes
   or imports, found by Jinja's own parser). A template whose includes are
   not literal names reads everything.
2. A page's fingerprint (`page_fingerprint`) is the digest of its template's
   name, its output name, and the value of each of those variables
   (`ValueDigest`). A value is digested whole, whatever it holds: an article
   is every attribute a plugin gave it (related articles, neighbours, review,
   testimonials shown, page_meta…); a list page is the articles on it and its
   paginator.
3. An article, page or other content item named inside another (a neighbour,
   a related article, a translation, a list's entries) counts with its own
   attributes, not with the items it names in turn: a page shows the title
   of its neighbour, never its neighbour's neighbours.
4. A text that links by `{filename}`, `{static}` and the like also depends on
   where every source is published (`address_digest`): a changed slug
   renders again every page whose text may link to it.
5. The settings and the site-wide context count by identity: a change to the
   settings, the theme, the plugins or the package versions changes the
   build's fingerprint (build_cache.fingerprint), and the worker starts
   afresh, a cold build (tools/preview_worker.py).
6. Feeds, and every file that is not a template page (static files, image
   copies, social cards, the stylesheet bundle, the sitemap), are written on
   every build; only the changed ones reach the served folder
   (`mirror_changes`).

A page whose fingerprint equals the one it had when it was last written is
not rendered: its file from that build stays. Everything else is. The
acceptance test (tests/test_incremental.py) holds the incremental output to a
cold build's, byte for byte, over random sequences of edits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
import datetime as dt
import hashlib
import os
from pathlib import Path
import shutil
import types

from jinja2 import meta, nodes
from manifest import Signature, snapshot
from pelican.contents import Content
from pelican.paginator import Paginator
from pelican.plugins import signals
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url, sanitised_join

# Attributes never digested: the site-wide settings and context that every
# item holds a reference to (they count by rule 5).
GLOBAL_ATTRIBUTES = frozenset({"settings", "_context"})
# A variable name meaning "reads every variable" (rule 1's fallback).
EVERYTHING = "*"


def template_variables(environment, name: str) -> frozenset[str]:
    """Return the context variables template `name` and its tree can read (rule 1)."""
    found: set[str] = set()
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        source = environment.loader.get_source(environment, current)[0]
        tree = environment.parse(source)
        found |= meta.find_undeclared_variables(tree)
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                return frozenset({EVERYTHING})
            pending.append(referenced)
        # {% extends %} / {% include %} of a list of names: every one of them.
        for node in tree.find_all(
            (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
        ):
            if not isinstance(node.template, nodes.Const):
                return frozenset({EVERYTHING})
    return frozenset(found)


class ValueDigest:
    """Digests of template values for one build (rules 2 to 5).

    `digest(value)` is stable from one build to the next when the value's
    data is the same. Items are digested once per build (memoised by
    identity: the build's objects live until it ends).
    """

    def __init__(self, globals_: Iterable[object], addresses: bytes) -> None:
        """Count `globals_` by identity; `addresses` is rule 4's digest."""
        self.global_ids = {id(value) for value in globals_}
        self.addresses = addresses
        # id → (shallow digest, the items it names); id → whole digest.
        self.shallow: dict[int, tuple[bytes, list[Content]]] = {}
        self.whole: dict[int, bytes] = {}

    def digest(self, value: object) -> bytes:
        """Return the digest of one template value."""
        hasher = hashlib.blake2b(digest_size=16)
        self._feed(hasher, value, set(), None)
        return hasher.digest()

    def item(self, item: Content, nested: bool) -> bytes:
        """Return an item's digest: whole at the top, shallow when named (rule 3).

        Shallow: its own attributes, the items it names counted by source.
        Whole: its shallow digest and the shallow digest of each item it names.
        """
        shallow, named = self._shallow(item)
        if nested:
            return shallow
        key = id(item)
        if key not in self.whole:
            hasher = hashlib.blake2b(shallow, digest_size=16)
            for other in named:
                hasher.update(self._shallow(other)[0])
            self.whole[key] = hasher.digest()
        return self.whole[key]

    def _shallow(self, item: Content) -> tuple[bytes, list[Content]]:
        key = id(item)
        if key not in self.shallow:
            hasher = hashlib.blake2b(digest_size=16)
            hasher.update(type(item).__qualname__.encode())
            named: list[Content] = []
            attributes = vars(item)
            for name in sorted(attributes):
                if name not in GLOBAL_ATTRIBUTES:
                    hasher.update(name.encode() + b"=")
                    self._feed(hasher, attributes[name], {key}, named)
            text = (
                f"{attributes.get('_content') or ''}{attributes.get('_summary') or ''}"
            )
            # Pelican's own pattern, every delimiter form (`{filename|x` too):
            # whatever it would rewrite depends on where sources are published.
            if item._get_intrasite_link_regex().search(text):
                hasher.update(b"addresses=" + self.addresses)
            self.shallow[key] = (hasher.digest(), named)
        return self.shallow[key]

    def _feed(
        self, hasher, value: object, stack: set[int], named: list[Content] | None
    ) -> None:
        """Feed one value; inside an item (`named` a list), items go by source."""
        if id(value) in self.global_ids:
            hasher.update(b"<global>")
            return
        atom = _atom(value)
        if atom is not None:
            hasher.update(atom)
        elif isinstance(value, Content):
            if named is None:
                hasher.update(b"item:" + self.item(value, nested=bool(stack)))
            else:
                named.append(value)
                hasher.update(f"ref:{getattr(value, 'source_path', '')};".encode())
        elif id(value) in stack:
            hasher.update(b"<cycle>")
        else:
            inner = stack | {id(value)}
            hasher.update(f"{type(value).__qualname__}(".encode())
            for key, entry in _parts(value):
                self._feed(hasher, key, inner, named)
                self._feed(hasher, entry, inner, named)
            hasher.update(b")")


CODE = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    type,
    types.ModuleType,
)


def _atom(value: object) -> bytes | None:
    """Return the bytes of a value digested whole, or None for a container."""
    if isinstance(value, str):
        encoded = value.encode("utf-8", "surrogatepass")
        return f"s{len(encoded)}:".encode() + encoded
    if value is None or isinstance(value, (bool, int, float, complex)):
        return f"{type(value).__name__}:{value!r};".encode()
    if isinstance(value, bytes):
        return f"b{len(value)}:".encode() + value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return f"t:{value.isoformat()}:{getattr(value, 'tzinfo', '')};".encode()
    if isinstance(value, Paginator):
        # A page's paginator counts by its shape: the entries of the other
        # pages are not on this one.
        return (
            f"paginator:{value.name}:{value.url}:{value.count}:{value.per_page}:"
            f"{value.orphans};".encode()
        )
    if isinstance(value, URLWrapper):
        return f"{type(value).__name__}:{value.name}:{value.slug};".encode()
    if isinstance(value, CODE):
        name = getattr(value, "__qualname__", getattr(value, "__name__", ""))
        return f"code:{getattr(value, '__module__', '')}.{name};".encode()
    if isinstance(value, (Mapping, list, tuple, set, frozenset)) or is_dataclass(value):
        return None
    if hasattr(value, "__dict__"):
        return None
    # The repr of an object of unknown shape: one carrying its address differs
    # on every build, so its pages are always rendered (slow, never stale).
    return f"repr:{type(value).__qualname__}:{value!r};".encode()


def _parts(value: object) -> list[tuple[object, object]]:
    """Return a container's (key, entry) pairs in a stable order."""
    if isinstance(value, Mapping):
        return [(key, value[key]) for key in sorted(value, key=repr)]
    if isinstance(value, (set, frozenset)):
        return [(None, entry) for entry in sorted(value, key=repr)]
    if isinstance(value, (list, tuple)):
        return [(None, entry) for entry in value]
    if is_dataclass(value):
        return [(entry.name, getattr(value, entry.name)) for entry in fields(value)]
    return [
        (name, attribute)
        for name, attribute in sorted(vars(value).items())
        if name not in GLOBAL_ATTRIBUTES
    ]


def address_digest(context: Mapping) -> bytes:
    """Return a digest of where every source is published (rule 4)."""
    hasher = hashlib.blake2b(digest_size=16)
    for kind in ("generated_content", "static_content"):
        for source, item in sorted((context.get(kind) or {}).items()):
            hasher.update(f"{source}\0{getattr(item, 'url', '')}\0".encode())
    return hasher.digest()


def page_fingerprint(
    digests: ValueDigest,
    template_name: str,
    variables: frozenset[str],
    output_name: str,
    localcontext: Mapping,
) -> bytes:
    """Return the fingerprint of one page (rule 2)."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{template_name}\0{output_name}\0".encode())
    names = localcontext.keys() if EVERYTHING in variables else variables
    for name in sorted(names):
        hasher.update(name.encode() + b"=")
        if name in localcontext:
            hasher.update(digests.digest(localcontext[name]))
        else:
            hasher.update(b"<absent>")
    return hasher.digest()


@dataclass
class RenderMemory:
    """What the worker remembers between builds: each page's fingerprint.

    `fingerprints` maps an output name (relative to the output folder) to the
    fingerprint its file was rendered from. `rendered` and `kept` list this
    build's pages that were rendered and left as they were.
    """

    fingerprints: dict[str, bytes] = field(default_factory=dict)
    variables: dict[str, frozenset[str]] = field(default_factory=dict)
    rendered: set[str] = field(default_factory=set)
    kept: set[str] = field(default_factory=set)

    def start(self) -> None:
        """Begin a build: nothing rendered or kept yet."""
        self.rendered, self.kept = set(), set()

    def forget(self) -> None:
        """Forget every fingerprint: the next build renders every page."""
        self.fingerprints.clear()


class IncrementalWriterMixin:
    """A Pelican writer that renders a page only when its fingerprint changed.

    Mixed in front of the build's own writer class (plugins' feed writer
    included) by `incremental_writer`. Pages are rendered exactly as
    Pelican's Writer.write_file renders them, pagination included; the
    content_written signal is sent for every page, rendered or kept, so
    plugins that list pages (the sitemap) see them all.
    """

    memory: RenderMemory
    digests: ValueDigest | None = None

    def write_file(  # noqa: PLR0913, PLR0917 - Pelican's Writer.write_file
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        """Render and write the page(s) `name`, or keep them (see the module)."""
        if not name:
            return
        if self.digests is None:
            self.digests = ValueDigest(
                (self.settings, context), address_digest(context)
            )
        if paginated is None:
            paginated = {
                key: value
                for key, value in kwargs.items()
                if key in {"articles", "dates"}
            }
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            local = _local_context(context, name, kwargs, relative_urls)
            self._write_page(template, context, local, name, override_output)
            return
        per_page = (
            self.settings["PAGINATED_TEMPLATES"][template_name]
            or self.settings["DEFAULT_PAGINATION"]
        )
        paginators = {
            key: Paginator(name, url, value, self.settings, per_page)
            for key, value in paginated.items()
        }
        pages = next(iter(paginators.values())).num_pages
        for number in range(1, pages + 1):
            page_kwargs = dict(kwargs)
            for key, paginator in paginators.items():
                page = paginator.page(number)
                page_kwargs.update(
                    {
                        f"{key}_paginator": paginator,
                        f"{key}_page": page,
                        f"{key}_previous_page": paginator.page(number - 1)
                        if number > 1
                        else None,
                        f"{key}_next_page": paginator.page(number + 1)
                        if number < pages
                        else None,
                    }
                )
            local = _local_context(context, page.save_as, page_kwargs, relative_urls)
            self._write_page(template, context, local, page.save_as, override_output)

    def _write_page(
        self, template, context: dict, local: dict, name: str, override: bool
    ) -> None:
        memory = self.memory
        if template.name not in memory.variables:
            memory.variables[template.name] = template_variables(
                template.environment, template.name
            )
        fingerprint = page_fingerprint(
            self.digests, template.name, memory.variables[template.name], name, local
        )
        path = sanitised_join(self.output_path, name)
        if local["localsiteurl"]:
            # As Pelican's writer: items resolve their links against it.
            context["localsiteurl"] = local["localsiteurl"]
        if memory.fingerprints.get(name) == fingerprint and os.path.isfile(path):
            self._claim(path, override)
            memory.kept.add(name)
        else:
            memory.fingerprints.pop(name, None)
            output = template.render(local)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with self._open_w(path, "utf-8", override=override) as handle:
                handle.write(output)
            memory.fingerprints[name] = fingerprint
            memory.rendered.add(name)
        signals.content_written.send(path, context=local)

    def _claim(self, path: str, override: bool) -> None:
        """Book a kept file as written, with the checks Pelican's _open_w makes."""
        if path in self._overridden_files:
            if override:
                raise RuntimeError(f'Failed to overwrite "{path}" a second time')
            return
        if path in self._written_files and not override:
            raise RuntimeError(
                f'Failed to overwrite "{path}" as Pelican has already written to it'
            )
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)


def _local_context(context: dict, name: str, kwargs: dict, relative_urls: bool) -> dict:
    """Return a page's template context, as Pelican's Writer makes it."""
    local = context.copy()
    local["localsiteurl"] = local.get("localsiteurl", None)
    if relative_urls:
        relative = path_to_url(get_relative_path(name))
        local["SITEURL"] = relative
        local["localsiteurl"] = relative
    local["output_file"] = name
    local.update(kwargs)
    return local


def incremental_writer(base: type, memory: RenderMemory) -> type:
    """Return `base` (the build's writer class) rendering only changed pages."""
    return type(
        f"Incremental{base.__name__}",
        (IncrementalWriterMixin, base),
        {"memory": memory},
    )


# --- the served folder ----------------------------------------------------------


def mirror_changes(
    work: Path,
    served: Path,
    before: Mapping[str, Signature],
    after: Mapping[str, Signature],
    kept: Iterable[str],
    untouched: Iterable[str] = (),
) -> tuple[list[str], list[str]]:
    """Bring `served` level with `work` after a good build; return (copied, removed).

    A file of `work` whose signature changed since `before` was written by
    this build: it is copied to `served` when its bytes differ there (each
    through a temporary file renamed into place, so a reader never sees half
    a page). A file neither written now nor `kept` (a page whose fingerprint
    held) is stale, a page no longer built: it goes from both folders. Paths
    under `untouched` (the search index) are never removed from `served`.
    With an empty `before` (a worker's first build), every file of `served`
    that `work` lacks goes too. An OSError (a full disk) is raised with
    every file copied so far whole and none half-written: the caller starts
    again from an empty `before`, which brings everything level.
    """
    kept = set(kept)
    written = {
        path for path, signature in after.items() if before.get(path) != signature
    }
    stale = {path for path in after if path not in written and path not in kept}
    copied = []
    for relative in sorted(written - stale):
        source, target = work / relative, served / relative
        if target.is_file() and _same_bytes(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_into_place(source, target)
        copied.append(relative)
    removed = sorted(stale)
    for relative in removed:
        (work / relative).unlink(missing_ok=True)
    if not before:
        removed += sorted(
            path
            for path in snapshot(served)
            if path not in after
            and not any(path.startswith(f"{prefix}/") for prefix in untouched)
        )
    else:
        removed += sorted(path for path in before if path not in after)
    for relative in removed:
        if not any(relative.startswith(f"{prefix}/") for prefix in untouched):
            (served / relative).unlink(missing_ok=True)
            _remove_empty_parents(served, relative)
        _remove_empty_parents(work, relative)
    return copied, sorted(set(removed))


# How the bytes are copied (a seam: the tests fill the disk here).
_copy_bytes = shutil.copyfile


def _copy_into_place(source: Path, target: Path) -> None:
    """Copy `source` over `target` through a temporary file renamed into place.

    A copy that fails (a full disk) leaves `target` as it was and no
    temporary file behind; the error is raised.
    """
    partial = target.with_name(f".{target.name}.partial")
    try:
        _copy_bytes(source, partial)
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def _remove_empty_parents(root: Path, relative: str) -> None:
    """Remove the folders of `relative` left empty, up to `root` (a page's folder)."""
    folder = (root / relative).parent
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return  # not empty, or already gone
        folder = folder.parent


def _same_bytes(first: Path, second: Path) -> bool:
    if first.stat().st_size != second.stat().st_size:
        return False
    return first.read_bytes() == second.read_bytes()
