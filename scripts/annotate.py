"""Run a check and put each of its problems on the line that caused it, on a GitHub pull request.

    .venv/bin/python scripts/annotate.py COMMAND [ARGS...]

The command's output (standard error joined to standard output) is passed through unchanged. Every message
in the project's own format ("docs/contact.md, line 15: problem" then "  How to fix it: ..."), from the
build, `make lint` or the front-matter check, and every codespell finding ("docs/x.md:12: colour ==> color"),
is then repeated as a
GitHub workflow command (`::error file=…,line=…,title=…::…`), which GitHub shows on that line of the
pull request's "Files changed" tab. Outside GitHub Actions (no GITHUB_ACTIONS=true) nothing is added.
The exit status is the command's. Standard library only.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

# The files an editor's message can be about.
_PATH = r"(?P<path>(?:docs/|mkdocs\.yml|CONTRIBUTING\.md|README\.md)[^\s,:]*)"
# "docs/contact.md, line 15, column 3: problem" (the column is optional), anywhere in a log line.
PROJECT = re.compile(_PATH + r", line (?P<line>\d+)(?:, column (?P<column>\d+))?: (?P<problem>.+)$")
# "docs/contact.md: problem" (a message about a whole file).
WHOLE_FILE = re.compile(r"(?:^|\s)" + _PATH + r": (?P<problem>.+)$")
# codespell: "docs/contact.md:12: teh ==> the"
CODESPELL = re.compile(r"^" + _PATH + r":(?P<line>\d+): (?P<problem>.+)$")
# The fix, on the line after the problem (pytest puts "E" before each line of a failed build's log it prints).
FIX = re.compile(r"^E?\s+How to fix it: (?P<fix>.+)$")
# MkDocs' log prefix. A strict build fails on a WARNING, so it is an error for the pull request; INFO (a review
# falling due) is a notice. `make lint` says "review due: " before the same notice.
_LEVEL = re.compile(r"^(?P<level>ERROR|WARNING|INFO)\s+-\s+|^review due: ")


@dataclass
class Problem:
    path: str
    line: int | None
    column: int | None
    problem: str
    fix: str = ""
    level: str = "error"

    def command(self) -> str:
        properties = [f"file={_property(self.path)}"]
        if self.line:
            properties.append(f"line={self.line}")
        if self.column:
            properties.append(f"col={self.column}")
        properties.append(f"title={_property(self.problem[:200])}")
        text = f"How to fix it: {self.fix}" if self.fix else self.problem  # the title already says the problem
        return f"::{self.level} {','.join(properties)}::{_data(text)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def problems(output: str) -> list[Problem]:
    """Every problem in a check's output, each once, with the fix from the line after it when there is one."""
    found: list[Problem] = []
    seen: set[tuple] = set()
    lines = output.splitlines()
    for index, raw in enumerate(lines):
        prefix = _LEVEL.match(raw)
        level = "notice" if prefix and prefix["level"] in (None, "INFO") else "error"
        text = raw[prefix.end() :] if prefix else raw
        match = CODESPELL.match(text) or PROJECT.search(text)
        line = int(match["line"]) if match else None
        column = int(match["column"]) if match and match.groupdict().get("column") else None
        if not match:
            match = WHOLE_FILE.search(text)
        if not match:
            continue
        following = FIX.match(lines[index + 1]) if index + 1 < len(lines) else None
        fix = following["fix"] if following else ""
        problem = Problem(match["path"], line, column, match["problem"].strip(), fix, level)
        key = (problem.path, problem.line, problem.problem)
        if key not in seen:
            seen.add(key)
            found.append(problem)
    return found


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    # Standard error joins standard output, so the log keeps its order; each line is passed on as it comes.
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1) as process:
        seen = []
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            seen.append(line)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems("".join(seen)):
            print(problem.command(), flush=True)
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
