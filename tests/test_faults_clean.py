"""`make clean` removes every leftover of every build, and never a running build's."""

from __future__ import annotations

import subprocess
import sys

from tests.support import invoke

LEFTOVERS = (
    "output/index.html",
    "output/pagefind.new/half",
    "output/pagefind.old/stale",
    ".output-staging/index.html",
    ".output-previous/index.html",
    ".output-staging.json",
    ".output-staging.lock",
    ".preview/index.html",
    ".preview/pagefind.new/half",
    ".preview-staging/index.html",
    ".preview-previous/index.html",
    ".preview-staging.json",
    ".preview-staging.lock",
    "cache/0123456789abcdef/typography.pickle",
    "cache/0123456789abcdef/.typography.pickle.x1y2.partial",
)


def test_clean_removes_every_leftover(project_copy):
    for name in LEFTOVERS:
        path = project_copy / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("left over")
    result = invoke(project_copy, "clean")
    assert result.returncode == 0, result.stderr
    assert [name for name in LEFTOVERS if (project_copy / name).exists()] == []
    assert (project_copy / "content").is_dir(), "sources stay"
    assert (
        sorted(p.name for p in project_copy.iterdir() if p.name.startswith(".")) == []
    )


def test_clean_leaves_a_running_build_alone(project_copy):
    page = project_copy / "output" / "index.html"
    page.parent.mkdir()
    page.write_text("being built")
    code = (
        "import fcntl, sys, time\n"
        "lock = open(sys.argv[1], 'a')\n"
        "fcntl.flock(lock, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(project_copy / ".output-staging.lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        result = invoke(project_copy, "clean")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert result.returncode == 0, result.stderr
    assert "output/ was left alone: a build of it is running." in result.stdout
    assert page.read_text() == "being built"
