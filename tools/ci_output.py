"""What the tasks print on GitHub Actions cannot speak to the runner.

The runner reads every line a step prints: one that begins with `::` (after
spaces), or holds `##[`, followed by a command's name is a workflow command.
`::error file=x::` makes an annotation, `::add-mask::word` hides the word in
every later line of the log. Writers' text reaches the log (a file name
holding a newline, a title, a message quoting front matter), so it must never
be read as one.

Contract:
- `commands_stopped`, a decorator for the tasks CI runs: on GitHub Actions
  (GITHUB_ACTIONS=true) it prints `::stop-commands::TOKEN` before the task
  and `::TOKEN::` after it, with a new random TOKEN each run, so that the
  runner reads nothing in between as a command. Standard error is the same
  pipe as standard output meanwhile: the runner reads the two pipes apart,
  and a line on one could otherwise be read before the stop on the other.
  An invoke Exit's message, and a traceback, are printed inside the block
  (invoke and Python would print them after). Tasks called by a task, and
  tasks in the processes it starts (`make test` in `make github`, `invoke
  check` in a test), are already inside the block and print no second one
  (STOPPED in the environment).
  Anywhere else the task runs as it is.
- `neutralised(text)` returns text the runner cannot read as a command, for
  what we print where commands cannot be stopped: a zero-width joiner
  between the two colons of a line's leading `::`, and inside every `##[`.
  It shows the same; a reader copying it gets the joiner too.
"""

from __future__ import annotations

from collections.abc import Callable
import functools
import os
import re
import secrets
import sys
import traceback

from invoke import Exit, UnexpectedExit

# Set while a task's output is inside a stop-commands block, for the tasks
# and processes it starts: one block is enough, and a second one's resume
# line would be printed inside the first.
STOPPED = "CI_OUTPUT_COMMANDS_STOPPED"
ZWJ = "\u200d"
# A command at a line's start: the runner trims leading white space first.
LEADING_COMMAND = re.compile(r"^(\s*:)(?=:)", re.MULTILINE)
# The older form, `##[name]`, is recognised anywhere in a line.
OLD_COMMAND = "##["


def on_github_actions() -> bool:
    """Tell whether this process prints into a GitHub Actions log, unguarded."""
    return os.environ.get("GITHUB_ACTIONS") == "true" and not os.environ.get(STOPPED)


def neutralised(text: str) -> str:
    """Return `text` with no line the runner would read as a workflow command."""
    text = LEADING_COMMAND.sub(lambda colon: colon[1] + ZWJ, text)
    return text.replace(OLD_COMMAND, f"##{ZWJ}[")


def commands_stopped(body: Callable) -> Callable:
    """Wrap a task so that, on GitHub Actions, its output cannot be a command."""

    @functools.wraps(body)
    def task(*arguments, **options):
        if not on_github_actions():
            return body(*arguments, **options)
        token = secrets.token_hex(16)
        _write_now(f"::stop-commands::{token}\n")
        saved_stderr = _merge_stderr_into_stdout()
        python_stderr, sys.stderr = sys.stderr, sys.stdout
        os.environ[STOPPED] = "1"
        try:
            return body(*arguments, **options)
        except Exit as stopped:
            # invoke prints an Exit's message once the task is over, outside
            # the block: print it here, and let invoke print nothing.
            if not stopped.message:
                raise
            sys.stderr.write(f"{stopped.message}\n")
            raise Exit(code=stopped.code) from None
        except UnexpectedExit:
            raise  # a command that failed: it printed its own output, inside
        except Exception as failure:
            # Python would print the traceback after the block; it quotes
            # what failed, a file name among it. invoke prints nothing more.
            traceback.print_exc()
            raise Exit(code=1) from failure
        finally:
            os.environ.pop(STOPPED, None)
            sys.stderr = python_stderr
            _restore_stderr(saved_stderr)
            _write_now(f"::{token}::\n")

    return task


def _write_now(line: str) -> None:
    sys.stderr.flush()
    sys.stdout.write(line)
    sys.stdout.flush()


def _merge_stderr_into_stdout() -> int:
    """Point file descriptor 2 at standard output's pipe; return the saved one.

    For the processes the task starts; its own writes to sys.stderr go to
    sys.stdout meanwhile (sys.stderr need not be descriptor 2).
    """
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(1, 2)
    return saved


def _restore_stderr(saved: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(saved, 2)
    os.close(saved)
