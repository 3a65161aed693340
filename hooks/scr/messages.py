"""MkDocs' own warnings about links and the navigation, rewritten for editors.

MkDocs says "Doc file 'contact.md' contains a link 'x.md', but the target is not found among
documentation files." This module turns that, and its other link and nav warnings, into the
project's format: "docs/contact.md, line 15: problem" then "  How to fix it: ...". The level
stays WARNING, so a strict build still fails.

The filter sits on the loggers that emit those warnings (mkdocs.structure.pages and
mkdocs.structure.nav). A filter on the parent "mkdocs" logger would never see them: Python runs
a logger's filters only for records logged on that logger itself, not for records passed up to
it by child loggers.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from pathlib import Path

from markdown.extensions.toc import slugify

from .errors import EditorError
from .frontmatter import parse
from .markdown_text import code_lines

LOGGERS = ("mkdocs.structure.pages", "mkdocs.structure.nav")

_DOC = r"^Doc file '(?P<file>.+?)' contains "
_SUGGEST = r"(?: Did you mean '(?P<suggest>.*)'\?)?$"
NOT_FOUND = re.compile(
    _DOC
    + r"a link '(?P<url>.*?)', but the target(?: '(?P<target>.+?)')? is not found among documentation files\."
    + _SUGGEST
)
ANCHOR = re.compile(_DOC + r"a link '(?P<url>.*?)', but the doc '(?P<target>.+?)' does not contain an anchor '#.*'\.$")
SELF_ANCHOR = re.compile(
    _DOC + r"a link '(?P<url>.*?)', but there is no such anchor on this page\."
    r"(?P<footnote> This seems to be a footnote that is never referenced\.)?$"
)
UNRECOGNIZED = re.compile(_DOC + r"an unrecognized relative link '(?P<url>.*?)', it was left as is\." + _SUGGEST)
ABSOLUTE = re.compile(_DOC + r"an absolute link '(?P<url>.*?)', it was left as is\." + _SUGGEST)
OMITTED = re.compile(
    r"^The following pages exist in the docs directory, "
    r'but are not included in the "nav" configuration:\n(?P<listed>.*)$',
    re.DOTALL,
)
NAV_NOT_FOUND = re.compile(
    r"^A reference to '(?P<url>.*?)' is included in the 'nav' configuration, "
    r"which is not found in the documentation files\.$"
)
NAV_ABSOLUTE = re.compile(
    r"^An absolute path to '(?P<url>.*?)' is included in the 'nav' configuration, "
    r"which presumably points to an external resource\.$"
)

HOW_ANCHORS_ARE_MADE = (
    "An anchor is the heading in lower case, without punctuation, with hyphens for spaces: "
    "`## The criteria` becomes #the-criteria."
)


class EditorMessages(logging.Filter):
    """Rewrites MkDocs' link and nav warnings in place; never drops a record or changes its level."""

    is_scr_messages = True  # how install() finds an earlier copy, even one from a reloaded module

    def __init__(self, docs_dir: str, config_file: str | None = None) -> None:
        super().__init__()
        self.docs_dir = Path(docs_dir)
        self.docs_label = self.docs_dir.name or "docs"
        self.config_file = Path(config_file) if config_file else self.docs_dir.parent / "mkdocs.yml"
        self.reported: dict[tuple[str, str], int] = {}  # how often a link was reported in this build

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            rewritten = self.rewrite(record.getMessage())
        except Exception:  # a message we cannot improve is still better than a logging traceback
            return True
        if rewritten:
            record.msg, record.args = rewritten, ()
        return True

    def rewrite(self, message: str) -> str | None:
        for pattern, method in (
            (NOT_FOUND, self.not_found),
            (ANCHOR, self.missing_anchor),
            (SELF_ANCHOR, self.missing_anchor),
            (UNRECOGNIZED, self.unrecognized),
            (ABSOLUTE, self.absolute),
            (OMITTED, self.omitted),
            (NAV_NOT_FOUND, self.nav_not_found),
            (NAV_ABSOLUTE, self.nav_absolute),
        ):
            match = pattern.match(message)
            if match:
                return method(**match.groupdict())
        return None

    # The messages

    def not_found(self, file: str, url: str, target: str | None, suggest: str | None) -> str:
        where = self.link_location(file, url)
        path = url.split("#")[0].split("?")[0]
        missing = target or path.lstrip("/")
        guess = suggest or self.closest_page(file, path)
        fix = (
            "check the file name and the folder in the link: it is relative to this page, and `../` goes up one folder"
        )
        fix += f". Did you mean '{guess}'?" if guess else f" (the pages are the .md files under {self.docs_label}/)."
        return (
            f"{where}: the link '{url}' goes to {self.docs_label}/{missing}, which does not exist.\n"
            f"  How to fix it: {fix}"
        )

    def missing_anchor(self, file: str, url: str, target: str | None = None, footnote: str | None = None) -> str:
        where = self.link_location(file, url)
        anchor = url.partition("#")[2]
        if footnote:
            note = f"[^{anchor.removeprefix('fnref:')}]"
            line = self.line_with(self.docs_dir / file, (note + ":",))
            where = f"{self.docs_label}/{file}, line {line}" if line else where
            return (
                f"{where}: the footnote {note} is written out but never used in the text.\n"
                f"  How to fix it: put {note} in the text where the note belongs, or delete the footnote."
            )
        target = target or file
        page = "this page" if target == file else f"{self.docs_label}/{target}"
        anchors = self.anchors_of(target)
        close = difflib.get_close_matches(anchor, anchors, n=3, cutoff=0.5)
        if close:
            hint = " (the closest: " + ", ".join(f"#{a}" for a in close) + ")"
        elif 0 < len(anchors) <= 12:
            hint = " (it has: " + ", ".join(f"#{a}" for a in anchors) + ")"
        else:
            hint = ""
        return (
            f"{where}: the link '{url}' goes to a heading that {page} does not have (#{anchor}).\n"
            f"  How to fix it: point the link at a heading the page has{hint}; if the heading was reworded, "
            f"update the link to match. {HOW_ANCHORS_ARE_MADE}"
        )

    def unrecognized(self, file: str, url: str, suggest: str | None) -> str:
        where = self.link_location(file, url)
        example = f"'{suggest}'" if suggest else "'../faq/index.md'"
        return (
            f"{where}: the link '{url}' does not name a page's file, so it would not work on the site.\n"
            "  How to fix it: link to the Markdown file of the page, ending in .md and relative to this page, "
            f"for example {example}. For another website, write the whole address starting with https://."
        )

    def absolute(self, file: str, url: str, suggest: str | None) -> str:
        where = self.link_location(file, url)
        example = f"'{suggest}'" if suggest else f"'{url.lstrip('/')}' with the right number of ../ in front"
        return (
            f"{where}: the link '{url}' starts with /, so it breaks when the site is published in a folder "
            "of the board's website.\n"
            f"  How to fix it: write the link relative to this page, for example {example}. "
            "For another website, write the whole address starting with https://."
        )

    def omitted(self, listed: str) -> str:
        paths = [line.strip().removeprefix("- ").strip() for line in listed.splitlines() if line.strip()]
        parts = []
        for path in paths:
            title = self.title_of(path) or "Page title"
            if path.startswith(("faq/", "practice-themes/")):
                kind = "FAQ question" if path.startswith("faq/") else "practice theme"
                folder = path.split("/")[0]
                fix = (
                    f"a {kind} must be directly in {self.docs_label}/{folder}/, not in a folder inside it: "
                    "move the file there. Otherwise add it under `nav:` in mkdocs.yml."
                )
            else:
                fix = (
                    f"add it under `nav:` in mkdocs.yml, in the right section, as `- {title}: {path}`. "
                    f"If `nav:` already lists it, check the spelling there. If it is a FAQ question or a practice "
                    f"theme, move it into {self.docs_label}/faq/ or {self.docs_label}/practice-themes/: "
                    "those are added for you."
                )
            parts.append(
                f"{self.docs_label}/{path}: this page is not in the site's navigation, so visitors could not find it.\n"
                f"  How to fix it: {fix}"
            )
        return "\n".join(parts)

    def nav_not_found(self, url: str) -> str:
        guess = self.closest_page("", url)
        fix = f"check the file name (paths in `nav:` start inside {self.docs_label}/, e.g. referrals/referral-form.md)"
        fix += f". Did you mean '{guess}'?" if guess else ", or restore the file."
        return (
            f"{self.nav_location(url)}: `nav:` lists '{url}', but there is no file {self.docs_label}/{url}.\n"
            f"  How to fix it: {fix}"
        )

    def nav_absolute(self, url: str) -> str:
        return (
            f"{self.nav_location(url)}: `nav:` lists '{url}', which starts with /, so it is not one of the pages.\n"
            f"  How to fix it: write the page's file name inside {self.docs_label}/ without the leading /, "
            "or the whole address starting with https:// for another website."
        )

    # Finding things in the source

    def link_location(self, file: str, url: str) -> str:
        """`docs/FILE, line N` of the link. MkDocs reports a link once for each place it appears, so the Nth
        report of the same link names its Nth place; FAQ answers are searched in their own files."""
        candidates = [file]
        if file == "faq/index.md":
            candidates += sorted(p.relative_to(self.docs_dir).as_posix() for p in (self.docs_dir / "faq").glob("*.md"))
        needles = (f"]({url}", f"]: {url}", f'href="{url}"')
        places = [
            f"{self.docs_label}/{candidate}, line {line}"
            for candidate in candidates
            for line in self.lines_with(self.docs_dir / candidate, needles)
        ]
        if not places:
            return f"{self.docs_label}/{file}"
        count = self.reported.get((file, url), 0)
        self.reported[(file, url)] = count + 1
        return places[min(count, len(places) - 1)]

    def nav_location(self, url: str) -> str:
        name = self.config_file.name
        for config in (self.config_file, self.config_file.parent / "mkdocs.yml"):
            try:
                lines = config.read_text(encoding="utf-8").splitlines()
            except OSError:
                continue
            in_nav = False
            for number, text in enumerate(lines, 1):
                if re.match(r"nav\s*:", text):
                    in_nav = True
                elif in_nav and url in text:
                    return f"{config.name}, line {number}"
            name = config.name
        return f"{name} (nav)"

    @staticmethod
    def lines_with(path: Path, needles: tuple[str, ...]) -> list[int]:
        """Every line that holds one of the needles, in order."""
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        return [number for number, text in enumerate(lines, 1) if any(needle in text for needle in needles)]

    @staticmethod
    def line_with(path: Path, needles: tuple[str, ...]) -> int | None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return None
        for needle in needles:
            for number, text in enumerate(lines, 1):
                if needle in text:
                    return number
        return None

    def closest_page(self, file: str, link: str) -> str | None:
        """The existing page whose path is closest to the link's target, written relative to `file`."""
        if not link:
            return None
        here = os.path.dirname(file)
        target = os.path.normpath(os.path.join(here, link.lstrip("/"))).replace(os.sep, "/")
        pages = [p.relative_to(self.docs_dir).as_posix() for p in self.docs_dir.rglob("*.md")]
        close = difflib.get_close_matches(target, pages, n=1, cutoff=0.6)
        if not close:
            return None
        return os.path.relpath(close[0], here or ".").replace(os.sep, "/")

    def anchors_of(self, target: str) -> list[str]:
        """Heading anchors of a page, from its `#` lines (and, for the FAQ, its questions' ids)."""
        try:
            text = (self.docs_dir / target).read_text(encoding="utf-8")
        except OSError:
            return []
        anchors = []
        lines = text.splitlines()
        code = code_lines(lines)
        for number, line in enumerate(lines):
            heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
            if number in code or not heading:
                continue
            title = heading.group(1)
            custom = re.search(r"\{:?[^}]*#([\w-]+)[^}]*\}\s*$", title)
            if custom:
                anchors.append(custom.group(1))
                continue
            title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # link text only
            anchors.append(slugify(re.sub(r"[*_`]", "", title), "-"))
        anchors += re.findall(r'\bid="([\w-]+)"', text)
        if target == "faq/index.md":
            for question in sorted((self.docs_dir / "faq").glob("*.md")):
                try:  # the front matter read as the build reads it
                    meta = parse(question.read_text(encoding="utf-8-sig"), str(question)).meta
                except EditorError:
                    continue  # the build reports that file's own mistake
                if isinstance(meta.get("id"), str):
                    anchors.append(meta["id"])
        return list(dict.fromkeys(a for a in anchors if a))

    def title_of(self, path: str) -> str | None:
        """The page's `title:`, read as the build reads front matter (quotes, escapes and all)."""
        try:
            title = parse((self.docs_dir / path).read_text(encoding="utf-8-sig"), path).meta.get("title")
        except (OSError, UnicodeDecodeError, EditorError):
            return None
        return title if isinstance(title, str) and title.strip() else None


def install(docs_dir: str, config_file: str | None = None) -> None:
    """Put one EditorMessages filter on each MkDocs logger that emits link and nav warnings.

    Called for every build (`mkdocs serve` rebuilds too): the filter from the previous build is
    removed first, so there is only ever one.
    """
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if getattr(f, "is_scr_messages", False)]:
            logger.removeFilter(old)
        logger.addFilter(EditorMessages(docs_dir, config_file))
