"""`make lint`'s Markdown style check speaks plain words: file, line, what is wrong and how to fix it, never a
bare rule code such as "MD004: Inconsistent Unordered List Start style"."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT, import_script, plain_page

style = import_script("markdown_style")
PYMARKDOWN = [str(ROOT / ".venv/bin/pymarkdown"), "--strict-config", "--config", str(ROOT / ".pymarkdown.json")]

# The body of a page with one mistake of each common kind; each is found by the words on its line.
BADLY_STYLED = """# A badly styled page

- one kind of bullet

* another kind of bullet

#Not a heading

A line that ends with spaces.\x20\x20

![](../assets/images/picture.png)

See https://example.org for more.

1. first
3. third
"""
EXPECTED = {
    "* another": ("asterisks (`*`)", "hyphens (`-`)", "start every item of a bulleted list with `- `"),
    "#Not": ("starts with `#` and no space", "put a space after the `#` signs"),
    "ends with spaces": ("ends with spaces", "delete the spaces"),
    "![]": ("no alt text", "describe what the picture shows"),
    "https://": ("not a link", "angle brackets"),
    "3. third": ("numbered 3; 2 is expected", "number the items 1, 2, 3"),
}


def line_of(text: str, words: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if words in line)


def lint_messages(output: str) -> dict[int, str]:
    """Each problem's message (its line and the 'How to fix it' line after it), by line number."""
    found = {}
    for match in re.finditer(
        r"^(?P<path>\S+), line (?P<line>\d+): (?P<what>.+)\n  How to fix it: (?P<fix>.+)$", output, re.M
    ):
        found[int(match["line"])] = f"{match['path']}: {match['what']} {match['fix']}"
    return found


def test_each_style_mistake_is_one_plain_message_with_its_line_and_fix(tmp_path):
    page = tmp_path / "docs" / "badly-styled.md"
    page.parent.mkdir()
    text = "---\ntitle: A badly styled page\n---\n\n" + BADLY_STYLED
    page.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/markdown_style.py"), *PYMARKDOWN[1:], "scan", "docs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0, "a badly styled page must fail the check"
    messages = lint_messages(result.stdout)
    assert sorted(messages) == sorted(line_of(text, words) for words in EXPECTED), result.stdout
    for words, parts in EXPECTED.items():
        message = messages[line_of(text, words)]
        assert message.startswith("docs/badly-styled.md: "), message
        for part in parts:
            assert part in message, (words, message)
    assert not re.search(r"\bMD\d{3}:", result.stdout), "a bare rule code reached the editor"


def test_make_lint_shows_the_plain_message_for_a_page_in_the_site(project_copy):
    """A real page of the site with a second kind of bullet added: `make lint` names the page and line, in words."""
    (project_copy / ".venv").symlink_to(ROOT / ".venv")
    src = plain_page()
    page = project_copy / "docs" / src
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n\n- one kind of bullet\n\n* another kind of bullet\n"
    page.write_text(text, encoding="utf-8")
    result = subprocess.run(["bash", "scripts/lint.sh"], cwd=project_copy, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert lint_messages(result.stdout) == {
        line_of(text, "* another"): f"docs/{src}: this list's items start with asterisks (`*`), but the file's "
        "other lists use hyphens (`-`). start every item of a bulleted list with `- ` (a hyphen and a space). "
        "(md004, ul-style)"
    }, result.stdout
    assert "lint: failed: Markdown style" in result.stderr


def enabled_rules() -> list[str]:
    """The rules pymarkdown runs with the project's settings (its `plugins list`, column 'enabled (current)')."""
    listing = subprocess.run([*PYMARKDOWN, "plugins", "list"], capture_output=True, text=True, timeout=60).stdout
    rows = re.findall(r"^\s+((?:md|pml)\d+)\s.*?\s(True|False)\s+(True|False)\s+[\d.]+\s+(?:Yes|No)\s*$", listing, re.M)
    assert rows, listing
    return [rule for rule, _default, current in rows if current == "True"]


# Rules that only fire with settings this project does not give them (a list of required headings or of names).
NEED_SETTINGS = {"md043", "md044"}


def test_every_rule_that_can_fire_has_a_plain_message():
    missing = [rule for rule in enabled_rules() if rule not in style.PLAIN and rule not in NEED_SETTINGS]
    assert not missing, f"add these pymarkdown rules to PLAIN in scripts/markdown_style.py: {missing}"


@pytest.mark.parametrize(
    "line",
    [
        "pymarkdown: the configuration file '.pymarkdown.json' is not valid JSON.",
        "docs/a.md:3:1: MD999: A rule from a newer pymarkdown (new-rule)",
    ],
)
def test_anything_else_pymarkdown_says_is_passed_on(line):
    out = style.plain(line)
    assert out == line or out == "docs/a.md, line 3: A rule from a newer pymarkdown. (md999, new-rule)"
