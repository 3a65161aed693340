"""Front matter: read it with line numbers, and check the governance fields of every guidance page."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import EditorError
from .markdown_text import unclosed_fence
from .search import check_search_meta
from .yaml_source import editor_error

FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*(?:\n|\Z)", re.DOTALL)

REQUIRED = ("title", "description", "owner", "last_reviewed", "review_due", "audience")
# Optional fields: governance `status`, and the fields some kinds of page use.
OPTIONAL = (
    "status",
    "summary",
    "child_says",
    "order",
    "tags",
    "briefing_background",
    "why_it_matters",
    "briefing_information",
    "form",
    "process",
    "hide",
    "search",
    "keywords",
)
DATE_FIELDS = ("last_reviewed", "review_due")


class _StringDateLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML loader (libyaml's parser where installed) that keeps dates as text, so an impossible date is
    our message, not a crash."""


_StringDateLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(source: str):
    """Parse once: the node tree (for each field's line) and the values built from it."""
    loader = _StringDateLoader(source)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


@dataclass
class MarkdownFile:
    """A Markdown file split into its front matter and body, with the line of each field."""

    path: str
    meta: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int  # the line of the file on which the body starts

    @property
    def markdown_line(self) -> int:
        """The file line of the first line MkDocs hands to plugins (it drops blank lines after the front matter)."""
        return self.body_line + len(self.body) - len(self.body.lstrip("\n"))

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


def parse(text: str, path: str) -> MarkdownFile:
    """Split front matter from body. Malformed YAML is an EditorError with its line."""
    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            raise EditorError(
                path,
                "the front matter at the top is not closed.",
                "put a line with just --- after the last field (title, description, ...).",
                line=1,
            )
        check_fences(text, path)
        return MarkdownFile(path, {}, {}, text, 1)
    source = match.group(1) or ""
    check_spaces(source, path)
    try:
        node, meta = _load(source)
    except yaml.YAMLError as exc:  # the front matter's first line is line 2 of the file
        raise editor_error(exc, source, path, offset=1, subject="the front matter is") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise EditorError(
            path,
            "the front matter is not a list of `name: value` fields.",
            "write each field as `name: value` on its own line between the two --- lines.",
            line=2,
        )
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key, line = str(key_node.value), key_node.start_mark.line + 2
            if key in lines:
                raise EditorError(
                    path,
                    f"`{key}` is set twice (lines {lines[key]} and {line}); only one of the two would be used.",
                    f"keep the `{key}` line you want and delete the other.",
                    line=line,
                )
            lines[key] = line
    body = text[match.end() :]
    body_line = text[: match.end()].count("\n") + 1
    check_fences(body, path, body_line)
    return MarkdownFile(path, meta, lines, body, body_line)


# Characters that look like a space (or nothing) but are not one to YAML; they come with text copied from Word or
# a web page. A space in a field's value is the YAML parser's to read, so these are refused in the front matter.
ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]")


def check_spaces(source: str, path: str) -> None:
    """A no-break or other unusual space in the front matter is named with its line, before YAML misreads it."""
    odd = ODD_SPACES.search(source)
    if odd:
        line = source.count("\n", 0, odd.start()) + 2  # the front matter starts on the file's line 2
        text = source.splitlines()[line - 2]
        name = unicodedata.name(odd.group(), "unnamed character").lower()
        raise EditorError(
            path,
            f"this line of the front matter has a {name} (U+{ord(odd.group()):04X}) at character "
            f"{odd.start() - source.rfind(chr(10), 0, odd.start())}: it looks like a space, but YAML does not read "
            f"it as one ({text.strip()!r}).",
            "delete that character and type an ordinary space in its place (it often comes with text copied from "
            "Word or a web page).",
            line=line,
        )


def check_fences(body: str, path: str, first_line: int = 1) -> None:
    """A code block opened with ``` (or ~~~) and never closed would swallow the rest of the page."""
    opened = unclosed_fence(body.split("\n"))
    if opened is not None:
        fence = body.split("\n")[opened].strip()[:3]
        raise EditorError(
            path,
            f"the code block that starts here with {fence} is never closed: the rest of the page would show as code.",
            f"add a line with just {fence} where the code block ends.",
            line=first_line + opened,
        )


@dataclass
class Governance:
    """The checked governance fields of one guidance page."""

    path: str
    title: str
    description: str
    owner: str
    last_reviewed: dt.date
    review_due: dt.date
    audience: list[str]
    status: str = "current"
    extra: dict[str, Any] = field(default_factory=dict)
    review_due_line: int = 1

    def overdue(self, today: dt.date) -> bool:
        return self.review_due < today


def _iso_date(doc: MarkdownFile, key: str) -> dt.date:
    value = doc.meta[key]
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    example = "2027-03-31"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise EditorError(
            doc.path,
            f"`{key}` is {text!r}, which is not a date in the form year-month-day.",
            f"write the date as year-month-day with hyphens, for example {key}: {example}",
            line=doc.line_of(key),
        )
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise EditorError(
            doc.path,
            f"`{key}` is {text}, which is not a real date.",
            f"check the month (01 to 12) and the day, for example {key}: {example}",
            line=doc.line_of(key),
        ) from None


def text(doc: MarkdownFile, key: str) -> str:
    """A field that must be a line of text."""
    value = doc.meta[key]
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise EditorError(
            doc.path,
            f"`{key}` is empty or not text.",
            f"write a line of text after `{key}:`.",
            line=doc.line_of(key),
        )
    return value.strip()


def require(doc: MarkdownFile, examples: dict[str, str], kind: str, guide: str) -> None:
    """Fail on the first of `examples`' fields that is missing or empty, showing a line to add."""
    for key, example in examples.items():
        value = doc.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise EditorError(
                doc.path,
                f"{kind} has no `{key}`.",
                f"add `{key}: {example}` to the front matter{guide}.",
                line=doc.line_of(key) if key in doc.meta else 1,
            )


def whole_number(doc: MarkdownFile, key: str, fix: str) -> int:
    """A whole number (written 30 or "30")."""
    value = doc.meta[key]
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise EditorError(doc.path, f"`{key}` is {value!r}, not a whole number.", fix, line=doc.line_of(key))
    return value


def _name(doc: MarkdownFile, key: str, value, allowed: dict, what: str, problem: str, example: str, fix: str) -> str:
    """One name from `allowed`: text (not a list or a block) and known."""
    if not isinstance(value, str):
        raise EditorError(
            doc.path, problem, f"write it on one line, for example `{key}: {example}`; {fix}", line=doc.line_of(key)
        )
    if value not in allowed:
        raise EditorError(doc.path, f"unknown {what} {value!r}.", fix, line=doc.line_of(key))
    return value


def one_of(doc: MarkdownFile, key: str, allowed: dict, what: str, fix: str, default: str | None = None) -> str:
    """A single name from a list kept in mkdocs.yml (a status, a FAQ topic)."""
    value = doc.meta.get(key, default)
    problem = f"`{key}` is {value!r}, but it takes one {what}, not a list or a block."
    return _name(doc, key, value, allowed, what, problem, next(iter(allowed), ""), fix)


def some_of(doc: MarkdownFile, key: str, allowed: dict, what: str, example: str, fix: str) -> list[str]:
    """One or more names from a list kept in mkdocs.yml (audiences, tags): `[a, b]` or a single `a`."""
    raw = doc.meta.get(key)
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not values:
        raise EditorError(
            doc.path,
            f"`{key}` must be a list of {what}s.",
            f"write for example {key}: {example}. Allowed: {', '.join(allowed)}.",
            line=doc.line_of(key),
        )
    problem = "`{key}` holds {value!r}, which is not one {what} but a list or a block."
    return [
        _name(doc, key, value, allowed, what, problem.format(key=key, value=value, what=what), example, fix)
        for value in values
    ]


MATERIAL_HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")


def _check_optional(doc: MarkdownFile) -> None:
    """The optional fields any page may have, when present, must have the right shape."""
    meta = doc.meta
    for key in ("summary", "child_says"):
        if key in meta:
            text(doc, key)
    if "order" in meta:
        whole_number(doc, "order", "write a whole number such as order: 90; items are listed from low to high.")
    if "form" in meta and (
        not isinstance(meta["form"], str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta["form"])
    ):
        raise EditorError(
            doc.path,
            f"`form` is {meta['form']!r}, which is not a short name.",
            "write a name of lower-case letters, digits and hyphens, for example form: scr-referral; "
            "the fillable PDF is named after it.",
            line=doc.line_of("form"),
        )
    if "hide" in meta:
        hide = meta["hide"]
        if (
            not isinstance(hide, list)
            or any(item not in MATERIAL_HIDE for item in hide if isinstance(item, str))
            or not all(isinstance(item, str) for item in hide)
        ):
            raise EditorError(
                doc.path,
                f"`hide` is {hide!r}, which is not a list of parts of the page to hide.",
                f"write for example hide: [toc], using any of: {', '.join(MATERIAL_HIDE)}.",
                line=doc.line_of("hide"),
            )
    if "search" in meta:
        search = meta["search"]
        if (
            not isinstance(search, dict)
            or set(search) - {"exclude", "boost"}
            or not isinstance(search.get("exclude", False), bool)
        ):
            raise EditorError(
                doc.path,
                f"`search` is {search!r}, which the search cannot read.",
                "write it as `search:` with `exclude: true` on the next line, indented by two spaces.",
                line=doc.line_of("search"),
            )


def check_governance(
    doc: MarkdownFile,
    audiences: dict[str, str],
    statuses: dict[str, str],
    today: dt.date | None = None,
    owners: list[str] | None = None,
) -> Governance:
    """Check the governance fields of a guidance page and return them typed. `owners` (extra.owners), when given,
    is the list `owner` must come from."""
    meta = doc.meta
    known = set(REQUIRED) | set(OPTIONAL)
    for key in meta:
        if key not in known:
            guess = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f"did you mean `{guess[0]}`? " if guess else ""
            raise EditorError(
                doc.path,
                f"unknown front matter field `{key}`.",
                f"{hint}The fields a page can have are: {', '.join(REQUIRED + OPTIONAL)}.",
                line=doc.line_of(str(key)),
            )
    for key in REQUIRED:
        if key not in meta or meta[key] in (None, "") or meta[key] == []:
            raise EditorError(
                doc.path,
                f"the front matter has no `{key}`.",
                f"add a line `{key}: {owners[0] if key == 'owner' and owners else _EXAMPLES[key]}` between the --- "
                "lines at the top.",
                line=doc.line_of(key) if key in meta else 1,
            )
    check_search_meta(meta, doc.path, doc.line_of)
    last_reviewed = _iso_date(doc, "last_reviewed")
    review_due = _iso_date(doc, "review_due")
    if last_reviewed >= review_due:
        problem = (
            f"`last_reviewed` ({last_reviewed}) is after `review_due` ({review_due})."
            if last_reviewed > review_due
            else f"`review_due` ({review_due}) is the same day as `last_reviewed`; the next review must come after it."
        )
        raise EditorError(
            doc.path,
            problem,
            "the next review must come after the last one: set review_due to a later date, "
            "usually a year after last_reviewed.",
            line=doc.line_of("review_due"),
        )
    if today is not None and last_reviewed > today + dt.timedelta(days=1):  # a day's grace: time zones
        raise EditorError(
            doc.path,
            f"`last_reviewed` is {last_reviewed}, which has not happened yet (today is {today}).",
            "write the date the page was last reviewed, today or earlier, as year-month-day; the date the next "
            "review is due goes in review_due.",
            line=doc.line_of("last_reviewed"),
        )
    audience = some_of(
        doc,
        "audience",
        audiences,
        "audience",
        "[practitioners, public]",
        f"use one or more of: {', '.join(audiences)} (the list is `extra.audiences` in mkdocs.yml).",
    )
    status = one_of(
        doc,
        "status",
        statuses,
        "status",
        f"use one of: {', '.join(statuses)}. "
        "Use `historical` for pages that describe how SCRs worked before they were replaced.",
        default="current",
    )
    owner = text(doc, "owner")
    if owners is not None and owner not in owners:
        guess = difflib.get_close_matches(owner, owners, n=1)
        hint = f"did you mean {guess[0]!r}? " if guess else ""
        raise EditorError(
            doc.path,
            f"the owner {owner!r} is not one of the owners listed in mkdocs.yml.",
            f"{hint}Write one of: {'; '.join(owners)}. For a new team, add it under `owners:` in the `extra:` "
            "section of mkdocs.yml first.",
            line=doc.line_of("owner"),
        )
    _check_optional(doc)
    return Governance(
        path=doc.path,
        title=text(doc, "title"),
        description=text(doc, "description"),
        owner=owner,
        last_reviewed=last_reviewed,
        review_due=review_due,
        audience=list(audience),
        status=status,
        extra={k: v for k, v in meta.items() if k not in REQUIRED and k != "status"},
        review_due_line=doc.line_of("review_due"),
    )


_EXAMPLES = {
    "title": "Making a referral",
    "description": "One or two sentences saying what the page covers (shown in search engines).",
    "owner": "Safeguarding Partnership Board business unit",
    "last_reviewed": "2026-11-26",
    "review_due": "2027-11-26",
    "audience": "[practitioners]",
}
