"""Is a change content only? The pull-request workflow asks, to choose between the quick checks and every test.

    .venv/bin/python scripts/change_scope.py BASE [HEAD]

Content only means every changed file is a page, a FAQ question, a practice theme, a snippet or an
image under `docs/`, and a change to `mkdocs.yml` touches nothing outside its `extra:` section (contact
numbers, FAQ topics, tags, redirects). Anything else (the hook, templates, the site's own CSS and
JavaScript, tests, scripts, workflows, requirements, the navigation) can change what every page does, so
it runs every test. Prints `content=true` or `content=false` (the form GitHub's `$GITHUB_OUTPUT` takes)
and, on standard error, the files that decided it. Standard library only: it runs before any set-up.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import PurePosixPath

CONFIG = "mkdocs.yml"
# Under docs/, these are code: the site's own script and style sheet change how every page behaves.
CODE_UNDER_DOCS = ("docs/javascripts/", "docs/stylesheets/")
_TOP_LEVEL_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:")
_HUNK = re.compile(r"^@@ -(?P<old>\d+)(?:,(?P<old_count>\d+))? \+(?P<new>\d+)(?:,(?P<new_count>\d+))? @@")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def section_lines(text: str, key: str) -> set[int]:
    """The 1-based line numbers of a top-level YAML section, from its key to the line before the next one."""
    lines = text.splitlines()
    inside, found = False, set()
    for number, line in enumerate(lines, start=1):
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            inside = match["key"] == key
        if inside:
            found.add(number)
    return found


def changed_lines(diff: str) -> tuple[set[int], set[int]]:
    """From a `git diff -U0` of one file: the lines changed in the old version and in the new one.

    A pure insertion (count 0) is placed at the old line it follows, so a line added straight after a section
    counts as outside it unless the section also holds the line before."""
    old, new = set(), set()
    for line in diff.splitlines():
        match = _HUNK.match(line)
        if not match:
            continue
        for start, count, into in (
            (int(match["old"]), match["old_count"], old),
            (int(match["new"]), match["new_count"], new),
        ):
            count = 1 if count is None else int(count)
            into.update(range(start, start + count) if count else {max(start, 1)})
    return old, new


def config_change_is_content(old_text: str, new_text: str, diff: str) -> bool:
    """Every line a diff of mkdocs.yml touches lies in `extra:`, in the old and the new version."""
    old, new = changed_lines(diff)
    return old <= section_lines(old_text, "extra") and new <= section_lines(new_text, "extra")


def is_content_file(path: str) -> bool:
    return PurePosixPath(path).parts[:1] == ("docs",) and not path.startswith(CODE_UNDER_DOCS)


def decide(changed: list[str], config_is_content) -> tuple[bool, list[str]]:
    """(content only?, the files that need every test)."""
    full = [path for path in changed if not is_content_file(path) and not (path == CONFIG and config_is_content())]
    return not full, full


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    base, head = argv[0], argv[1] if len(argv) > 1 else "HEAD"
    changed = [line for line in git("diff", "--name-only", "--no-renames", f"{base}...{head}").splitlines() if line]

    def config_is_content() -> bool:
        merge_base = git("merge-base", base, head).strip()
        old_text = git("show", f"{merge_base}:{CONFIG}")
        new_text = git("show", f"{head}:{CONFIG}")
        return config_change_is_content(old_text, new_text, git("diff", "-U0", merge_base, head, "--", CONFIG))

    content, full = decide(changed, config_is_content)
    if content:
        print(f"Content only: {len(changed)} changed file(s) under docs/ or in mkdocs.yml's extra:.", file=sys.stderr)
    else:
        print("Every test runs, because of: " + ", ".join(full), file=sys.stderr)
    print(f"content={'true' if content else 'false'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
