"""Installers of the tools the checks need, from Debian and npm, when absent.

Each `ensure_*` installs what is missing where this machine allows it (as
root with apt-get), or stops with the command to run. `c` is the invoke
context the task passes in, so commands echo and fail as tasks' commands do.
"""

from __future__ import annotations

import os
from pathlib import Path
import shlex
import shutil

from invoke import Exit

from tools.config import BIN, CONFIG, ROOT


def install_from_debian(c, package: str, missing: str) -> None:
    """Install a Debian package where this machine allows it, else say what to do."""
    if shutil.which("apt-get") and os.geteuid() == 0:
        c.run(
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
            f"apt-get install -y -qq {package}"
        )
        return
    raise Exit(
        f"{missing} Install it with `sudo apt-get install {package}` (Debian, Ubuntu).",
        code=1,
    )


def ensure_chromium(c) -> None:
    """Install Debian's Chromium when it is absent."""
    if not Path(CONFIG["chromium"]).is_file():
        install_from_debian(
            c,
            "chromium",
            f"Chromium is missing at {CONFIG['chromium']} (or set CHROMIUM to a "
            "Chromium or Chrome binary).",
        )


def ensure_java(c) -> None:
    """Install a Java runtime when absent: the Nu HTML Checker needs one."""
    if not shutil.which("java"):
        install_from_debian(c, "default-jre-headless", "Java is missing.")


def ensure_pandoc(c) -> None:
    """Install pandoc when absent: `make import-wordpress` converts HTML with it."""
    if not shutil.which("pandoc"):
        install_from_debian(c, "pandoc", "pandoc is missing.")


def ensure_node_tools(c) -> None:
    """Install the npm tools exactly as package-lock.json pins them."""
    installed = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    if installed.is_file() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    if not shutil.which("npm"):
        install_from_debian(c, "nodejs npm", "npm is missing (Node.js 20 or later).")
    # --ignore-scripts: vnu-jar's postinstall would download a Java runtime.
    with c.cd(ROOT):
        c.run("npm ci --no-audit --no-fund --ignore-scripts", pty=False)


def ensure_deploy_tools(c) -> None:
    """Install rsync and nginx when absent: the deploy tests run the real programs."""
    missing = [
        package
        for package, program in (("rsync", "rsync"), ("nginx", "nginx"))
        if not shutil.which(program) and not Path("/usr/sbin", program).is_file()
    ]
    if missing:
        install_from_debian(
            c,
            " ".join(missing),
            f"{' and '.join(missing)} missing for the deploy tests.",
        )


def ensure_check_tools(c) -> None:
    """Install all the whole suite needs: Chromium, Java, pandoc, npm tools, deploys."""
    ensure_chromium(c)
    ensure_java(c)
    ensure_pandoc(c)
    ensure_node_tools(c)
    ensure_deploy_tools(c)


def compile_locks(c) -> None:
    """Re-resolve both locks from pyproject.toml (exact versions, hashes).

    requirements.lock holds everything (the dev and deploy extras too);
    requirements-serve.lock only the site's own dependencies, for the writers'
    targets, resolved within the first so both pin the same versions.
    """
    options = (
        "--quiet --generate-hashes --allow-unsafe --strip-extras "
        "--no-emit-find-links --no-emit-index-url"
    )
    compile_lock = BIN / "pip-compile"
    # From the top of the repository: the locks record their command, paths too.
    with c.cd(ROOT):
        c.run(
            f"{compile_lock} {options} --extra dev --extra deploy "
            f"-o {CONFIG['lock'].name} pyproject.toml"
        )
        c.run(
            f"{compile_lock} {options} --constraint {CONFIG['lock'].name} "
            f"-o {CONFIG['serve_lock'].name} pyproject.toml"
        )


def theme_files(folder: str, suffix: str) -> str:
    """Return the theme's files under `folder` ending in `suffix`, quoted."""
    return " ".join(
        shlex.quote(str(path.relative_to(ROOT)))
        for path in sorted((ROOT / "theme" / folder).rglob(f"*{suffix}"))
    )
