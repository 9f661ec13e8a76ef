"""The two locks of the set-up: writers install less, with the same pins."""

from __future__ import annotations

from importlib import metadata
import re
import subprocess
import sys
import tomllib

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", re.MULTILINE)
WRITERS_TARGETS = (
    "check",
    "check-publish",
    "new-article",
    "new-testimonial",
    "html",
    "serve",
    "regenerate",
    "publish",
    "editorial-report",
)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {canonicalize_name(n): v for n, v in PIN.findall(text)}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_serve_lock_pins_what_the_full_lock_pins():
    serve, full = pins("requirements-serve.lock"), pins("requirements.lock")
    assert serve
    assert {name: full.get(name) for name in serve} == serve


def test_the_serve_lock_holds_the_site_dependencies_and_no_extra():
    serve = pins("requirements-serve.lock")
    for requirement in project()["dependencies"]:
        assert canonicalize_name(Requirement(requirement).name) in serve, requirement
    extras_only = {
        canonicalize_name(Requirement(requirement).name)
        for extra in project()["optional-dependencies"].values()
        for requirement in extra
    } - _needed_by_the_site()
    assert extras_only  # pytest, playwright, boto3…
    assert extras_only & set(serve) == set()


def _needed_by_the_site() -> set[str]:
    """Every package the site's dependencies need, as installed in this venv."""
    environment = default_environment()
    needed, queue = set(), [Requirement(r) for r in project()["dependencies"]]
    while queue:
        requirement = queue.pop()
        name = canonicalize_name(requirement.name)
        if name in needed:
            continue
        needed.add(name)
        extras = requirement.extras or {""}
        for line in metadata.requires(requirement.name) or []:
            dependency = Requirement(line)
            if dependency.marker is None or any(
                dependency.marker.evaluate({**environment, "extra": extra})
                for extra in extras
            ):
                queue.append(dependency)
    return needed


def test_the_serve_lock_is_complete():
    missing = _needed_by_the_site() - set(pins("requirements-serve.lock"))
    assert missing == set(), "run `make lock`"


def test_writers_targets_install_only_the_serve_lock():
    makefile = (ROOT / "Makefile").read_text()
    for target in WRITERS_TARGETS:
        assert re.search(rf"^{target}: \$\(SERVE_STAMP\) ##", makefile, re.M), target
    for target in ("test", "test-fast", "github", "bench-build"):
        assert re.search(rf"^{target}: \$\(STAMP\) ##", makefile, re.M), target


def test_the_tasks_load_with_the_writers_packages_only():
    # Writers' targets run `invoke` in the environment of requirements-serve.lock:
    # tasks.py, and all it imports, must load without a dev or deploy package.
    extras_only = {
        canonicalize_name(Requirement(requirement).name)
        for extra in project()["optional-dependencies"].values()
        for requirement in extra
    } - _needed_by_the_site()
    blocked = sorted(
        module
        for module, distributions in metadata.packages_distributions().items()
        if {canonicalize_name(d) for d in distributions} <= extras_only
        and module.isidentifier()
    )
    assert "bs4" in blocked and "pytest" in blocked
    script = (
        f"import sys\nfor name in {blocked!r}: sys.modules[name] = None\nimport tasks\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
