"""One header policy: _headers, the S3 metadata and the nginx include all follow it."""

from __future__ import annotations

import re

from assets.headers import CSS_BUNDLE, HeaderPolicy
import pytest

from deploy.headers import NGINX_INCLUDE, publish_policy
from tests.support import ROOT

# Names of every kind the policy tells apart.
NAMES = (
    "index.html",
    "first-visit/index.html",
    "theme/css/site.0123456789.css",
    "theme/css/site.css",
    "theme/css/site.012345678.css",
    "theme/js/search.js",
    "pagefind/pagefind.js",
    "pagefind/pagefind-entry.json",
    "pagefind/wasm.en.pagefind",
    "pagefind/fragment/en_b6a5289.pf_fragment",
    "pagefind/index/en_1d9da21.pf_index",
    "pagefind/filter/en_1d9da21.pf_filter",
    "pagefind/pagefind.en_be5b4c824a.pf_meta",
    "images/pixel.png",
    "feeds/all.atom.xml",
)
# Where the policy's facts may be written: the policy, the CSP's own setting,
# and the include generated from them.
FACTS = {
    "max-age": {"plugins/assets/headers.py"},
    "immutable": {"plugins/assets/headers.py"},
    # The site's policy in pelicanconf.py; the local editor's own, separate
    # one (it is never published) in tools/editor_server.py.
    "default-src": {"pelicanconf.py", "tools/editor_server.py"},
}
GENERATED = {NGINX_INCLUDE.relative_to(ROOT).as_posix()}


def nginx_rules(include: str) -> tuple[str, str, re.Pattern[str]]:
    """Return the include's short and immutable Cache-Control, and its location."""
    (short,) = re.findall(r'^set \$cache_control "([^"]+)";$', include, re.MULTILINE)
    (immutable,) = re.findall(r'^    set \$cache_control "([^"]+)";$', include, re.M)
    (location,) = re.findall(r'^location ~ "([^"]+)" \{$', include, re.MULTILINE)
    return short, immutable, re.compile(location)


def nginx_cache_control(include: str, name: str) -> str:
    """Return the Cache-Control the include gives the output file `name`."""
    short, immutable, location = nginx_rules(include)
    return immutable if location.search("/" + name) else short


def headers_file_cache_control(text: str, name: str) -> str:
    """Return the Cache-Control of `name` in `_headers`: its own rule, else "/*"."""
    rules = re.findall(r"^(/\S*)\n  Cache-Control: (.+)$", text, re.MULTILINE)
    for path, value in rules:
        if path in {f"/{name}", "/*"}:
            return value
    raise AssertionError(f"no rule for {name}")


def test_the_checked_in_nginx_include_is_the_publish_policy():
    assert NGINX_INCLUDE.read_text(encoding="utf-8") == (
        publish_policy().nginx_include()
    ), "the header policy changed: run `invoke nginx-headers` and commit the file"


def test_the_build_writes_the_policy_as_its_headers_file(fixture_publish_site):
    output = fixture_publish_site.output
    (bundle,) = output.glob("theme/css/site.*.css")
    assert (output / "_headers").read_text(encoding="utf-8") == (
        publish_policy().headers_file([bundle.relative_to(output).as_posix()])
    )


@pytest.mark.parametrize(
    "policy",
    [
        HeaderPolicy(),
        HeaderPolicy.from_settings({"CONTENT_SECURITY_POLICY": "default-src 'self'"}),
        HeaderPolicy("default-src 'none'", 60, "css/all-{hash}.min.css"),
    ],
    ids=["defaults", "settings", "changed"],
)
def test_every_output_gives_each_file_the_policy_cache_life(policy):
    include = policy.nginx_include()
    bundle = policy.css_bundle.format(hash="0123456789")
    headers = policy.headers_file([bundle])
    for name in (*NAMES, bundle):
        expected = policy.cache_control(name)
        assert policy.s3_metadata(name, gzipped=False)["CacheControl"] == expected
        assert nginx_cache_control(include, name) == expected, name
        # _headers names the hash-named files the build gives it: the bundle.
        if name == bundle or expected == policy.short_lived:
            assert headers_file_cache_control(headers, name) == expected, name


def test_a_changed_policy_changes_every_output():
    changed = HeaderPolicy("default-src 'none'", 60, "css/all-{hash}.min.css")
    bundle = "css/all-0123456789.min.css"
    include, headers = changed.nginx_include(), changed.headers_file([bundle])
    assert nginx_rules(include)[0] == changed.short_lived == "public, max-age=60"
    assert f"/{bundle}\n  Cache-Control: {changed.immutable}\n" in headers
    assert "/*\n  Cache-Control: public, max-age=60\n" in headers
    assert changed.s3_metadata(bundle, gzipped=True) == {
        "ContentType": "text/css; charset=utf-8",
        "CacheControl": changed.immutable,
        "ContentEncoding": "gzip",
    }
    # The old bundle name is an ordinary file now, wherever it is served.
    old = CSS_BUNDLE.format(hash="0123456789")
    assert changed.cache_control(old) == nginx_cache_control(include, old)
    assert changed.cache_control(old) == changed.short_lived
    for text in (include, headers):
        assert "Content-Security-Policy" in text and "default-src 'none'" in text
        assert "max-age=300" not in text


def test_without_a_content_security_policy_none_is_sent():
    policy = HeaderPolicy()
    assert "Content-Security-Policy" not in policy.nginx_include()
    assert "Content-Security-Policy" not in policy.headers_file([])
    assert "X-Content-Type-Options" in policy.headers_file([])


def test_a_bundle_name_without_its_hash_is_refused():
    with pytest.raises(ValueError, match=r"needs \{hash\}"):
        HeaderPolicy(css_bundle="theme/css/site.css")


def test_the_headers_file_makes_only_hash_named_files_immutable():
    with pytest.raises(ValueError, match=r"theme/css/site\.css is not named"):
        HeaderPolicy().headers_file(["theme/css/site.css"])


def test_a_policy_nginx_cannot_quote_is_refused():
    with pytest.raises(ValueError, match="double quotes"):
        HeaderPolicy('default-src "self"')


def sources() -> dict[str, str]:
    """Return {path: text} of the project's code, settings and configuration."""
    found = {}
    for pattern in ("*.py", "plugins/**/*", "deploy/**/*", "tools/**/*", "theme/**/*"):
        for path in ROOT.glob(pattern):
            name = path.relative_to(ROOT).as_posix()
            if path.is_file() and path.suffix in {".py", ".conf", ".html", ".js"}:
                found[name] = path.read_text(encoding="utf-8")
    return found


@pytest.mark.parametrize("fact", FACTS)
def test_each_fact_of_the_policy_is_written_once(fact):
    holders = {name for name, text in sources().items() if fact in text}
    assert holders - GENERATED == FACTS[fact]
