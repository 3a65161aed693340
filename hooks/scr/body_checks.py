"""Checks of what an editor writes below the front matter: the page's one `#` heading, its footnotes, and the
shape of a FAQ answer. Each mistake is an EditorError with the file, the line and the fix."""

from __future__ import annotations

import difflib
import re
from html import unescape

from .errors import EditorError
from .markdown_text import code_lines

ATX = re.compile(r"^[ ]{0,3}(?P<level>#{1,6})[ \t]+(?P<text>.*?)[ \t]*#*[ \t]*$")
SETEXT = re.compile(r"^[ ]{0,3}(?P<mark>=+|-+)[ \t]*$")
ATTR_LIST = re.compile(r"\s*\{:?[^}]*\}\s*$")
FOOTNOTE_REF = re.compile(r"\[\^(?P<name>[^\]\s]+)\](?!:)")
FOOTNOTE_DEF = re.compile(r"^[ ]{0,3}\[\^(?P<name>[^\]\s]+)\]:", re.M)


def headings(body: str, first_line: int = 1) -> list[tuple[int, int, str]]:
    """(level, file line, text) of every Markdown heading outside code: `# Text` and Text underlined with === or
    ---, as Python-Markdown reads them (an underlined heading starts a block: a blank line comes before it)."""
    lines = body.split("\n")
    code = code_lines(lines)
    found = []
    for index, line in enumerate(lines):
        if index in code:
            continue
        atx = ATX.match(line)
        if atx:
            found.append((len(atx.group("level")), first_line + index, atx.group("text")))
            continue
        below = lines[index + 1] if index + 1 < len(lines) else ""
        underline = SETEXT.match(below)
        if (
            underline
            and index + 1 not in code
            and line.strip()
            and not line.startswith(("    ", "\t"))
            and (index == 0 or not lines[index - 1].strip())
        ):
            level = 1 if underline.group("mark").startswith("=") else 2
            found.append((level, first_line + index, line.strip()))
    return found


def _words(text: str) -> str:
    """A heading or title as words: no attribute list, emphasis marks or doubled spaces."""
    text = ATTR_LIST.sub("", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.sub(r"[*_`]", "", unescape(text)).split())


def check_title_heading(path: str, body: str, body_line: int, title: str, title_line: int) -> None:
    """One level-one heading at most, with the same words as `title:` (the names the tab, menu and PDFs use)."""
    level_one = [(line, text) for level, line, text in headings(body, body_line) if level == 1]
    if len(level_one) > 1:
        (first, _), (second, text) = level_one[:2]
        raise EditorError(
            path,
            f"the page has a second level-one heading (`# {text}`); a page has one, its title (line {first}).",
            f"make this a section heading by starting it with two hashes: `## {text}`.",
            line=second,
        )
    if not level_one or "<!--" in level_one[0][1]:
        return  # no heading: the build writes `title:` there; a name marker in a heading has its own message
    line, text = level_one[0]
    if _words(text) != _words(title):
        raise EditorError(
            path,
            f"the heading `# {text}` and the page's `title:` ({title!r}, line {title_line}) differ. Readers see "
            "the heading on the page; the browser tab, the menu, search and the PDFs show the title.",
            f"use the same words for both: change the heading to `# {title}`, or, if the heading says it better, "
            f"change line {title_line} to `title: {_words(text)}`.",
            line=line,
        )


def check_sections(path: str, body: str, body_line: int, required: tuple[str, ...], fix: str) -> None:
    """Each of the `required` `##` headings is in the page, word for word."""
    present = {_words(text): line for level, line, text in headings(body, body_line) if level == 2}
    missing = [heading for heading in required if heading not in present]
    if missing:
        close = {h: difflib.get_close_matches(h, sorted(present), n=1, cutoff=0.6) for h in missing}
        near = [(present[found[0]], f"`## {found[0]}` should read `## {h}`") for h, found in close.items() if found]
        raise EditorError(
            path,
            "its 7-minute briefing is made from the page's own sections, and the page has no "
            + ", ".join(f"`## {h}`" for h in missing)
            + " section"
            + (f" ({'; '.join(text for _, text in near)})" if near else "")
            + ".",
            fix,
            line=near[0][0] if near else None,
        )


FAQ_FIELD = re.compile(r"^(?P<key>id|question|topic|order|tags|keywords)[ \t]*:(?P<value>.*)$")


def check_answer(path: str, body: str, body_line: int) -> None:
    """A FAQ answer is text: no second question pasted below it, no heading (the question is the heading)."""
    lines = body.split("\n")
    code = code_lines(lines)
    for index, line in enumerate(lines):
        if index in code or line.strip() != "---":
            continue
        fields = [FAQ_FIELD.match(text) for text in lines[index + 1 : index + 8]]
        keys = {match.group("key"): match.group("value").strip() for match in fields if match}
        if {"id", "question"} & set(keys):
            new_file = f"docs/faq/{keys['id']}.md" if keys.get("id") else "a new file in docs/faq/"
            raise EditorError(
                path,
                "a second question starts here (its own --- block with "
                + ", ".join(f"`{key}:`" for key in keys)
                + "), so it would be published as text inside this answer.",
                f"one file holds one question: move everything from this line down into {new_file}.",
                line=body_line + index,
            )
    for _level, line, text in headings(body, body_line):
        raise EditorError(
            path,
            f"the answer contains a heading ({text!r}); the question is the heading, and another would cut the "
            "answer short on the FAQ page and in what search engines are given.",
            "remove the heading (a line underlined with --- or === is a heading too): the question is the heading. "
            "Use paragraphs and lists in the answer; to separate parts, use a blank line.",
            line=line,
        )


def undefined_footnotes(html: str) -> list[str]:
    """Footnote references like [^x] that the page shows as they were typed, because no note [^x]: is written."""
    text = re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", "", text)
    return list(dict.fromkeys(match.group("name") for match in FOOTNOTE_REF.finditer(unescape(text))))


def undefined_footnote_error(name: str, sources: list[tuple[str, str, int]]) -> EditorError:
    """Where `[^name]` is written, among (path, body, body line) of the page and the files put into it."""
    reference = f"[^{name}]"
    for path, body, body_line in sources:
        lines = body.split("\n")
        code = code_lines(lines)
        for index, line in enumerate(lines):
            if index in code or reference not in line or FOOTNOTE_DEF.match(line):
                continue
            notes = FOOTNOTE_DEF.findall(body)
            guess = difflib.get_close_matches(name, notes, n=1)
            hint = f"Did you mean [^{guess[0]}]? " if guess else ""
            return EditorError(
                path,
                f"the footnote {reference} has no note, so the page would show {reference} as typed.",
                f"{hint}Write the note at the end of the page, on a line of its own: `{reference}: The source, "
                "its date and page.`; or remove the reference.",
                line=body_line + index,
            )
    path = sources[0][0] if sources else "docs"
    return EditorError(
        path,
        f"the footnote {reference} has no note, so the page would show {reference} as typed.",
        f"write the note on a line of its own: `{reference}: The source.`; or remove the reference.",
    )
