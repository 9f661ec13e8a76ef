"""What the tasks CI runs print cannot be read by the runner as a workflow command.

A file name holding a newline and `::error file=x::fake` made `make check`
print a fake annotation, and `::add-mask::word` would hide the word in
every later line of the log. On GitHub Actions (GITHUB_ACTIONS=true) each
task CI runs prints its output between `::stop-commands::TOKEN` and
`::TOKEN::`, with a new random token each run (tools/ci_output.py).
"""

from __future__ import annotations

import os
from pathlib import Path
import re
import shutil
import subprocess
import sys

from invoke import Exit
import pytest

from tests.support import FIXTURE_CONTENT, ROOT
from tools import ci_output

HOSTILE_NAME = "a\n::error file=x::fake\n::add-mask::word\n##[warning]old form.md"
STOP = re.compile(r"::stop-commands::([0-9a-f]{32})")


def _run_task(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run `invoke ARGUMENTS` here as a CI step would, on GitHub Actions."""
    environment = {**os.environ, "GITHUB_ACTIONS": "true"}
    # The suite itself runs inside `invoke test`'s block in CI: not this task.
    environment.pop(ci_output.STOPPED, None)
    return subprocess.run(
        [sys.executable, "-m", "invoke", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _outside_the_block(output: str) -> tuple[str, list[str], list[str]]:
    """Return the first token, the lines the runner reads as commands, those inside.

    As the runner does: from a stop until the line `::TOKEN::`, no line is
    a command; every other line that starts with `::` (after spaces) or
    holds `##[` may be one.
    """
    first, token, commands, inside = "", "", [], []
    for line in output.splitlines():
        if token:
            if line == f"::{token}::":
                token = ""
            else:
                inside.append(line)
            continue
        stop = STOP.fullmatch(line)
        if stop:
            token = stop[1]
            first = first or token
        elif line.lstrip().startswith("::") or "##[" in line:
            commands.append(line)
    assert token == "", "the block was never closed: commands stay stopped"
    return first, commands, inside


@pytest.fixture
def hostile_content(tmp_path) -> Path:
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    (content / "articles" / HOSTILE_NAME).write_text("Title: x\n")
    return content


def test_make_check_cannot_print_a_workflow_command(hostile_content):
    first = _run_task("check", "--content", str(hostile_content))
    assert first.returncode == 1
    token, commands, inside = _outside_the_block(first.stdout)
    assert commands == []
    assert token
    # The hostile lines are there, inside the block, where they are only text.
    assert "::error file=x::fake" in inside
    assert "::add-mask::word" in inside
    assert first.stdout.splitlines()[0] == f"::stop-commands::{token}"
    assert first.stdout.splitlines()[-1] == f"::{token}::"
    # Standard error shares standard output's pipe meanwhile, so no line of
    # the task's can reach the runner before the stop or after the resume.
    assert first.stderr == ""
    second = _run_task("check", "--content", str(hostile_content))
    assert _outside_the_block(second.stdout)[0] not in {"", token}


def test_an_exit_message_is_printed_inside_the_block(tmp_path):
    missing = tmp_path / "a\n::error::fake.json"
    result = _run_task("preview-comment", "--data", str(missing))
    assert result.returncode == 1
    _token, commands, inside = _outside_the_block(result.stdout)
    assert commands == []
    # invoke would print the message after the task, outside the block.
    assert inside[-2:] == [
        "The preview's data could not be read: there is no file a",
        "::error::fake.json.",
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_off_github_actions_the_output_is_as_it_was(hostile_content, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(hostile_content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert "stop-commands" not in result.stdout + result.stderr
    assert "::error file=x::fake" in result.stderr.splitlines()


def test_a_traceback_is_printed_inside_the_block(monkeypatch, capfd):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv(ci_output.STOPPED, raising=False)

    def failing() -> None:
        raise ValueError("cannot read a\n::add-mask::word")

    with pytest.raises(Exit) as stopped:
        ci_output.commands_stopped(failing)()
    assert stopped.value.code == 1
    printed = capfd.readouterr()
    assert printed.err == ""
    _token, commands, inside = _outside_the_block(printed.out)
    assert commands == []
    assert inside[-2:] == ["ValueError: cannot read a", "::add-mask::word"]


def test_a_task_inside_a_task_prints_no_second_block(monkeypatch, capfd):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv(ci_output.STOPPED, "1")
    ci_output.commands_stopped(lambda: sys.stdout.write("::error::inner\n"))()
    assert capfd.readouterr().out == "::error::inner\n"


def test_every_task_ci_runs_stops_commands():
    tasks = pytest.importorskip("tasks")
    ran = set()
    for path in (ROOT / ".github" / "workflows").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        ran |= set(re.findall(r"\.venv/bin/invoke ([a-z-]+)", text))
        ran |= _make_tasks(re.findall(r"\bmake ([a-z-]+)", text))
    ran |= _make_tasks(re.findall(r"\bmake ([a-z-]+)", (ROOT / ".ci/run").read_text()))
    assert {"check", "test", "gh-pages", "editorial-report", "preview"} <= ran
    wrapper = ci_output.commands_stopped(lambda c: None).__code__
    for name in sorted(ran):
        task = getattr(tasks, name.replace("-", "_"))
        assert task.body.__code__ is wrapper, name


def _make_tasks(targets: list[str]) -> set[str]:
    """Return the tasks the Makefile's `targets` run (`$(INVOKE) task`)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = set()
    for target in targets:
        if target == "venv":  # pip, from the lock: no task
            continue
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
        assert recipe, f"make {target}"
        found |= set(re.findall(r"\$\(INVOKE\) ([a-z-]+)", recipe[1]))
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("::error file=x::fake", ":\u200d:error file=x::fake"),
        ("  ::add-mask::word", "  :\u200d:add-mask::word"),
        ("first\n::stop-commands::x", "first\n:\u200d:stop-commands::x"),
        ("see ##[warning]old", "see ##\u200d[warning]old"),
        ("a::b and ::c", "a::b and ::c"),
    ],
)
def test_neutralised_text_holds_no_command(text, expected):
    shown = ci_output.neutralised(text)
    assert shown == expected
    for line in shown.splitlines():
        assert not line.lstrip().startswith("::")
        assert "##[" not in line
    assert shown.replace(ci_output.ZWJ, "") == text
