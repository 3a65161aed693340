"""`make lint`'s Markdown style check, in plain words: pymarkdown finds the problems, this says what each means.

    .venv/bin/python scripts/markdown_style.py [pymarkdown options] scan [paths...]

Runs pymarkdown with the arguments given (as scripts/lint.sh calls it) and prints each problem as the file,
the line, what is wrong and how to fix it, instead of pymarkdown's rule codes ("MD004: Inconsistent
Unordered List Start style"). The rule's name comes last, in brackets, for a developer who needs it.
Anything pymarkdown prints that is not a problem in a file (a wrong setting, for example) is passed on
unchanged. Exit status: pymarkdown's.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PYMARKDOWN = Path(sys.executable).parent / "pymarkdown"

# "docs/a.md:3:1: MD004: Inconsistent Unordered List Start style [Expected: dash; Actual: asterisk] (ul-style)"
PROBLEM = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<rule>[A-Za-z]+\d+): (?P<text>.*?)"
    r"(?: \[(?P<details>[^\]]*)\])? \((?P<names>[^()]*)\)$"
)

MARKS = {
    "dash": "hyphens (`-`)",
    "asterisk": "asterisks (`*`)",
    "plus": "plus signs (`+`)",
    "underscore": "underscores (`_`)",
    "backtick": "backticks (```)",
    "tilde": "tildes (`~~~`)",
}

# What each rule that can fire means, and what to do: {details} are the values pymarkdown gives in brackets.
PLAIN: dict[str, tuple[str, str]] = {
    "md001": (
        "this heading jumps down more than one level from the heading above it.",
        "use one more `#` than the heading above it (for example `###` under `##`), never two more.",
    ),
    "md003": (
        "this heading is written differently from the others (underlined, or with `#` at its end).",
        "write it with `#` signs at the start only, then a space: `## Heading`.",
    ),
    "md004": (
        "this list's items start with {actual}, but the file's other lists use {expected}.",
        "start every item of a bulleted list with `- ` (a hyphen and a space).",
    ),
    "md005": (
        "this list item is indented differently from the items above it in the same list.",
        "line it up with the other items: the same number of spaces before its `-` or number.",
    ),
    "md007": (
        "this item of a list inside another list is indented by the wrong number of spaces.",
        "indent a list inside a list by four spaces for each level.",
    ),
    "md009": (
        "this line ends with spaces.",
        "delete the spaces at the end of the line (for a new line, start a new paragraph with a blank line).",
    ),
    "md010": ("this line has a tab character in it.", "replace the tab with spaces (four to indent)."),
    "md011": (
        "this link is written the wrong way round: `(text)[address]`.",
        "put the words in square brackets first, then the address in round brackets: `[text](page.md)`.",
    ),
    "md012": ("there is more than one blank line here.", "leave a single blank line."),
    "md014": (
        "every line of this code block starts with `$`.",
        "delete the `$` at the start of each command, or show what the commands print.",
    ),
    "md018": (
        "this line starts with `#` and no space, so it is not a heading.",
        "put a space after the `#` signs (`## Heading`), or, if it is not a heading, reword the start of the line.",
    ),
    "md019": ("this heading has more than one space after its `#` signs.", "leave one space after the `#` signs."),
    "md020": ("this heading ends with `#` signs.", "delete the `#` signs at the end of the heading."),
    "md021": ("this heading ends with `#` signs.", "delete the `#` signs at the end of the heading."),
    "md022": ("this heading needs a blank line above and below it.", "add a blank line before and after it."),
    "md023": ("this heading does not start at the beginning of its line.", "delete the spaces before the `#`."),
    "md024": (
        "this heading has the same words as another heading in the file.",
        "reword one of them, so that each heading (and the link to it) is different.",
    ),
    "md025": (
        "this file has more than one top-level heading (`# ...`)."
        " A FAQ question file has none: its question is the heading.",
        "keep one `#` heading, the page's title, at the top, and make the others `##`.",
    ),
    "md026": (
        "this heading ends with a full stop, comma, colon, semicolon or exclamation mark.",
        "delete the punctuation at the end of the heading (a question mark is fine).",
    ),
    "md027": ("this quote has more than one space after its `>`.", "leave one space after `>`."),
    "md028": (
        "a blank line inside this quote splits it into two.",
        "start the blank line with `>` too, or, if they are two quotes, put a line of text between them.",
    ),
    "md029": (
        "this item of a numbered list is numbered {actual}; {expected} is expected here.",
        "number the items 1, 2, 3 in order.",
    ),
    "md030": (
        "this list item has more than one space after its `-` or number.",
        "leave exactly one space after the `-` or the number.",
    ),
    "md031": (
        "this code block needs a blank line above and below it.",
        "add a blank line before the opening ``` and after the closing ```.",
    ),
    "md032": (
        "this list needs a blank line above and below it.",
        "add a blank line before its first item and after its last.",
    ),
    "md033": (
        "this line has HTML in it (`<{element}>`).",
        "write it in Markdown instead (the site's markers, such as `<!-- contact: KEY -->`, are fine).",
    ),
    "md034": (
        "this web address is written out but is not a link.",
        "make it a link that says where it goes, `[the NSPCC's website](https://www.nspcc.org.uk/)`,"
        " or put it in angle brackets: `<https://...>`.",
    ),
    "md035": (
        "this horizontal line is written differently from the others in the file.",
        "write every horizontal line as `---` on a line of its own, with a blank line above it.",
    ),
    "md036": (
        "this line is all in bold or italics, as if it were a heading.",
        "make it a heading with `##` (or `###`), or make it part of a sentence.",
    ),
    "md037": (
        "this bold or italic text has a space just inside its `*` or `_`.",
        "delete the space: `**important**`, not `** important **`.",
    ),
    "md038": ("this code has a space just inside its backticks.", "delete the space: `` `make lint` ``."),
    "md039": (
        "this link's words have a space just inside the square brackets.",
        "delete the space: `[text](page.md)`.",
    ),
    "md040": (
        "this code block does not say what kind of text it holds.",
        "add a word straight after the opening ```: `text` for plain text, or `markdown`, `yaml`.",
    ),
    "md041": (
        "the file does not start with a `#` heading.",
        "put the page's title as `# Title` on the first line after the front matter (the same words as `title:`).",
    ),
    "md042": ("this link has no address.", "put the address in the round brackets: `[text](page.md)`."),
    "md045": (
        "this image has no alt text.",
        "describe what the picture shows in the square brackets:"
        " `![The four steps of a referral](../assets/images/steps.png)`.",
    ),
    "md046": ("this code block is indented instead of fenced.", "put ``` on the lines before and after it instead."),
    "md047": (
        "the file does not end with exactly one line break.",
        "end the last line with a line break, and leave no blank lines after it.",
    ),
    "md048": (
        "this code block is fenced with {actual}, the file's others with {expected}.",
        "use ``` (three backticks) for every code block in the file, this one and the others.",
    ),
    "md049": (
        "this italic text is marked with {actual}, the rest of the file with {expected}.",
        "mark italics with `*` everywhere: `*word*`.",
    ),
    "md050": (
        "this bold text is marked with {actual}, the rest of the file with {expected}.",
        "mark bold text with `**` everywhere: `**word**`.",
    ),
    "md051": (
        "this link goes to a heading (`#...`) that is not in the file.",
        "check the part after `#`: the heading's words in lower case, with hyphens for spaces.",
    ),
    "md053": (
        "this link definition (`[name]: address`) is not used anywhere in the file.",
        "delete it, or use it in a link: `[text][name]`.",
    ),
    "md054": ("this link is written in a style the site does not use.", "write links as `[text](page.md)`."),
    "md055": (
        "this table row starts or ends differently from the other rows (with or without `|`).",
        "start and end every row of the table with `|`.",
    ),
    "md056": (
        "this table row has a different number of cells from the header row.",
        "give every row as many cells as the header; write a `|` that is part of the text as `\\|`.",
    ),
    "md058": ("this table needs a blank line above and below it.", "add a blank line before and after the table."),
    "md059": (
        "this link's words (such as 'click here' or 'more') do not say where it goes.",
        "use words that say where the link goes: `[the referral form](referral-form.md)`.",
    ),
    "md060": (
        "the `|` signs of this table are spaced differently from row to row.",
        "write every row the same way, one space either side of each `|`: `| a | b |`.",
    ),
}


def details(text: str | None) -> dict[str, str]:
    """`Expected: dash; Actual: asterisk` as {"expected": "-", "actual": "*"}."""
    found = {}
    for part in (text or "").split(";"):
        key, _, value = part.partition(":")
        if key.strip() and value.strip():
            value = value.strip()
            found[key.strip().lower()] = MARKS.get(value, value)
    return found


def plain(line: str) -> str:
    """One line of pymarkdown's output in plain words (any other line as it is)."""
    match = PROBLEM.match(line)
    if not match:
        return line
    rule = match["rule"].lower()
    path = Path(match["path"])
    if path.is_absolute() and path.is_relative_to(Path.cwd()):  # pymarkdown gives whole paths: say the project's
        path = path.relative_to(Path.cwd())
    where = f"{path.as_posix()}, line {match['line']}"
    if rule not in PLAIN:
        return f"{where}: {match['text']}. ({rule}, {match['names']})"
    what, fix = PLAIN[rule]
    what = what.format_map(defaultdict(lambda: "another style", details(match["details"])))
    return f"{where}: {what}\n  How to fix it: {fix} ({rule}, {match['names'].split(',')[0]})"


def main(args: list[str]) -> int:
    result = subprocess.run([str(PYMARKDOWN), *args], capture_output=True, text=True)
    for line in result.stdout.splitlines():
        print(plain(line))
    if result.stderr:
        print(result.stderr, end="", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
