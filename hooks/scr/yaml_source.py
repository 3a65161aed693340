"""YAML as editors write it, in mkdocs.yml (config_file.py) and in front matter (frontmatter.py).

- A parser error becomes an EditorError with the line, the column, what is wrong in plain words and
  a fix chosen for the kind of mistake (an indent, a colon in text, an open quote or list, a tab...).
- `SourceMap` remembers the line of every setting and the text of each value as it was typed, so
  later checks can say "mkdocs.yml (extra.contacts), line 175" and quote what the editor wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .errors import EditorError


@dataclass
class SourceMap:
    """Where each setting of one YAML file is: its line, and the value's text as typed (plain values only)."""

    path: str  # as editors know it: "mkdocs.yml", "docs/privacy.md"
    lines: dict[tuple, int] = field(default_factory=dict)
    typed: dict[tuple, str] = field(default_factory=dict)
    parent: SourceMap | None = None  # the file named by INHERIT, for settings this file does not set

    def _find(self, keys: tuple) -> SourceMap | None:
        source = self
        while source and keys not in source.lines:
            source = source.parent
        return source

    def line(self, *keys) -> int | None:
        source = self._find(keys)
        return source.lines[keys] if source else None

    def file(self, *keys) -> str:
        """The file that sets `keys` (mkdocs.yml for the offline copy's inherited settings)."""
        source = self._find(keys)
        return source.path if source else self.path

    def written(self, *keys) -> str | None:
        """The value exactly as typed, when it was a plain (unquoted) scalar."""
        source = self._find(keys)
        return source.typed.get(keys) if source else None

    def error(self, keys: tuple, problem: str, fix: str) -> EditorError:
        """An EditorError at the line of `keys`."""
        return EditorError(self.file(*keys), problem, fix, line=self.line(*keys))


def _walk(node, path: tuple, source: SourceMap, offset: int, seen: set[int]) -> None:
    if id(node) in seen:  # an alias: already walked where it was defined
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        children = [(key.value if isinstance(key, yaml.ScalarNode) else None, key, value) for key, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = [(index, item, item) for index, item in enumerate(node.value)]
    else:
        return
    for key, key_node, value in children:
        if key is None:
            continue
        here = (*path, key)
        source.lines.setdefault(here, key_node.start_mark.line + 1 + offset)
        if isinstance(value, yaml.ScalarNode) and not value.style:  # plain: None, or "" from libyaml
            source.typed.setdefault(here, value.value)
        _walk(value, here, source, offset, seen)


def source_map(node, path: str, offset: int = 0) -> SourceMap:
    """The SourceMap of a composed YAML document (`yaml.compose`); `offset` is the file line before its first line."""
    source = SourceMap(path)
    if node is not None:
        _walk(node, (), source, offset, set())
    return source


def editor_error(exc: yaml.YAMLError, text: str, path: str, offset: int = 0, subject: str = "this is") -> EditorError:
    """A parser error in plain words: where (line and column), what is wrong, how to fix it. `offset` is the file
    line before the YAML's first line; `subject` starts the message ("this is", "the front matter is")."""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if problem_mark is None and context_mark is None:
        return EditorError(path, f"{subject} not valid YAML ({exc}).", _GENERAL_FIX)
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    context = (getattr(exc, "context", None) or "").strip()
    mistake = _Mistake(exc, problem, context, problem_mark or context_mark, context_mark, text, offset)
    explanation, fix, mark = mistake.explain()
    return EditorError(
        path,
        f"{subject} not valid YAML: {explanation} (the parser says: {problem}).",
        fix,
        line=mark.line + 1 + offset,
        column=mark.column + 1,
    )


_GENERAL_FIX = (
    "check this line and the one above it: each setting is `name: value` on its own line, indented with "
    "spaces to the same column as the others at its level; put text that contains a colon, a # or quotation "
    'marks in double quotes, for example description: "Referrals: who and how".'
)


@dataclass
class _Mistake:
    """One parser error, and the text it was found in."""

    exc: yaml.YAMLError
    problem: str
    context: str
    mark: yaml.Mark  # where the parser noticed
    context_mark: yaml.Mark | None  # where the thing it was reading began
    text: str
    offset: int

    def at(self, mark: yaml.Mark) -> str:
        """The text from a mark to the end of its line."""
        lines = self.text.splitlines()
        return lines[mark.line][mark.column :] if 0 <= mark.line < len(lines) else ""

    def before(self, mark: yaml.Mark) -> str:
        """The text of a mark's line before it."""
        lines = self.text.splitlines()
        return lines[mark.line][: mark.column] if 0 <= mark.line < len(lines) else ""

    def explain(self) -> tuple[str, str, yaml.Mark]:
        """(what is wrong, how to fix it, the mark to report) for the mistakes editors make."""
        problem, context, mark, start = self.problem, self.context, self.mark, self.context_mark or self.mark
        above = mark.line + self.offset  # the file line above the one the parser stopped on
        if "mapping values are not allowed" in problem and re.fullmatch(r"\s*[\w-]+", self.before(mark)):
            return (  # `key: value` indented further than the line above: read as more of that line's text
                f"this line is indented further than line {above} above it, so it is read as more of the text "
                "on that line",
                f"check the indentation of this line and line {above}: line this one up with line {above} if it is "
                f"a setting of its own; if this line is right, line {above} may be indented too little.",
                mark,
            )
        if "mapping values are not allowed" in problem:
            return (
                "there is a colon followed by a space in the middle of this line, which starts a new setting",
                "if the colon is part of the text, put the whole text in double quotes, for example "
                'description: "Referrals: who and how"; if it starts another setting, put that on a line of its own.',
                mark,
            )
        if "tab" in problem or self.at(mark).startswith("\t"):
            return (
                "there is a tab character here",
                "YAML is indented with spaces only: replace the tab with spaces, lined up with the lines around it.",
                mark,
            )
        if "undefined alias" in problem:
            name = self.at(mark).lstrip("*").split()[0].rstrip(",]}") if self.at(mark) else "KEY"
            return (
                f"`*{name}` refers to a name that is not marked with &{name} on a line above this one",
                "check the spelling; the name it refers to (under `extra: names:`) must come first and carry the "
                f"mark after its colon, for example `{name}: &{name} The full name`.",
                mark,
            )
        if "unknown escape character" in problem:
            return (
                "inside double quotes, a backslash starts a special character, and this one is not one",
                "write the text in single quotes instead, or remove the backslash.",
                mark,
            )
        if "quoted scalar" in context:
            return (
                "a quotation mark is opened here but never closed",
                "end the text with the same quotation mark it starts with, on the same line.",
                start,
            )
        if "could not find expected ':'" in problem:
            return (
                "this line is not a `name: value` setting",
                "write it as `name: value` with a colon and a space after the name; if it continues the text of "
                "the line above, put the whole text on one line, in double quotes.",
                start,
            )
        if "flow sequence" in context or "flow mapping" in context:
            return (
                "a list written in square brackets (or curly brackets) is not closed on its line",
                "write the whole list on one line, with commas between the items and ] at the end, for example "
                "[practitioners, managers].",
                start,
            )
        if "cannot start any token" in problem:
            return (
                f"a value cannot start with {self.at(mark)[:1]!r}",
                'put the whole value in double quotes, for example note: "@home visits".',
                mark,
            )
        if "constructor for the tag" in problem:
            return (
                "this tag (a word after !) is not one MkDocs knows",
                "remove the ! word, or use one MkDocs knows: !ENV, !relative or !!python/name:.",
                mark,
            )
        if any(words in problem for words in ("expected <block end>", "did not find expected", "expected <block")):
            block = self.at(start).strip() if self.context_mark else ""
            where = f" (the block starts on line {start.line + 1 + self.offset}: `{block}`)" if block else ""
            return (
                "this line is not lined up with the lines around it",
                f"check the indentation of this line and line {above} above it: indent with spaces to the same "
                f"column as the other lines at the same level{where}; a line indented too little or too much ends "
                "its block early.",
                mark,
            )
        return "this line cannot be read", _GENERAL_FIX, mark
