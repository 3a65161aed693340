"""The referral form: one Markdown source gives the form's page and (later) its fillable PDF.

Syntax, inside sections headed `## 1. Title`:

    - [text] A one-line answer
    - [long text] A longer answer
    - [date] A date
    - [yes/no] A yes or no question
    - [choose one] A question with options
        - First option
        - Second option
    - [choose any] A question where several options can be ticked
        - First option
        - Second option
    - [long text, 12 lines] A longer answer with room for about twelve lines in the PDF
    - [table, 20 rows] A table of answers, one row each, with its columns below
        - [date] Date
        - [long text] What happened
        - [text] Agency
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import EditorError
from .markdown_text import code_lines

TYPES = {
    "text": "a short answer",
    "long text": "a longer answer",
    "date": "a date",
    "yes/no": "yes or no",
    "choose one": "choose one",
    "choose any": "choose all that apply",
    "table": "a table with these columns",
}
CHOICE_TYPES = ("choose one", "choose any")
LIST_TYPES = (*CHOICE_TYPES, "table")  # types whose indented list items are options (a table's are columns)
COLUMN_TYPES = ("text", "long text", "date")
# The size a [long text] box gets in the PDF when its question gives none, and the limits of a size.
DEFAULT_LINES = {"long text": 5, "table": 10}
SIZE_UNIT = {"long text": "lines", "table": "rows"}
SIZE_LIMITS = {"long text": (1, 48), "table": (1, 60)}
TYPE = re.compile(r"^(?P<kind>[^,]+?)\s*(?:,\s*(?P<size>\d+)\s+(?P<unit>[a-z]+))?\s*$")
COLUMN = re.compile(r"^(?:\[(?P<type>[^\]]*)\]\s+)?(?P<text>\S.*?)\s*$")
SECTION = re.compile(r"^##\s+(?P<number>\d+)\.\s+(?P<title>.+?)\s*$")
OTHER_HEADING = re.compile(r"^#{1,2}\s")
QUESTION = re.compile(r"^- \[(?P<type>[^\]]*)\]\s+(?P<text>\S.*?)\s*$")
OPTION = re.compile(r"^    - (?P<text>\S.*?)\s*$")
ANY_ITEM = re.compile(r"^(?P<indent>\s*)[-*+]\s")
SYNTAX_HELP = "see 'Change a question on the referral form' in CONTRIBUTING.md"


@dataclass
class FormQuestion:
    section: int
    type: str
    text: str
    line: int
    options: list[str] = field(default_factory=list)  # a table's column headings
    size: int | None = None  # lines of a [long text] box, rows of a [table], as the question asks
    column_types: list[str] = field(default_factory=list)  # a table's: text, long text or date
    column_lines: list[int] = field(default_factory=list)  # where each column is written
    number: str = ""  # "5.2": section and place in it, as the PDF prints it

    @property
    def name(self) -> str:
        """The PDF field name: section number and the question's words."""
        return f"s{self.section}-{_slug(self.text)[:60].rstrip('-')}"

    @property
    def lines(self) -> int:
        """Lines of a [long text] box (or of a table row's [long text] cell: two)."""
        return self.size or DEFAULT_LINES.get(self.type, 1)

    @property
    def rows(self) -> int:
        return self.size or DEFAULT_LINES["table"]

    def table_rows(self) -> list[list[tuple[str, str, str]]]:
        """A table's cells, row by row: (column heading, column type, field name) for each."""
        return [
            [
                (heading, kind, f"{self.name}--{row}-{_slug(heading)[:20].rstrip('-')}")
                for heading, kind in zip(self.options, self.column_types, strict=True)
            ]
            for row in range(1, self.rows + 1)
        ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Section:
    number: int
    title: str
    line: int
    questions: list[FormQuestion] = field(default_factory=list)
    items: list[FormQuestion | str] = field(default_factory=list)  # questions and guidance paragraphs, in order

    def add_guidance(self, lines: list[str]) -> None:
        if lines:
            self.items.append(plain_text(" ".join(line.strip() for line in lines)))
            lines.clear()


def plain_text(markdown: str) -> str:
    """Markdown inline text as plain text: links become their words, emphasis marks go."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return text.strip()


def parse(markdown: str, path: str, first_line: int = 1) -> list[Section]:
    """Read the form's sections and questions; a malformed line is an EditorError with its line."""
    sections: list[Section] = []
    current: Section | None = None
    last: FormQuestion | None = None
    seen: dict[str, FormQuestion] = {}
    paragraph: list[str] = []
    lines = markdown.splitlines()
    code = code_lines(lines)
    for offset, line in enumerate(lines):
        number = first_line + offset
        if offset in code:
            continue
        heading = SECTION.match(line)
        if current is not None and (heading or OTHER_HEADING.match(line) or ANY_ITEM.match(line) or not line.strip()):
            current.add_guidance(paragraph)
        if heading:
            expected = len(sections) + 1
            if int(heading.group("number")) != expected:
                raise EditorError(
                    path,
                    f"section {heading.group('number')} should be numbered {expected}.",
                    "number the form's sections 1, 2, 3 ... in order, as `## 2. The child`.",
                    line=number,
                )
            current = Section(expected, heading.group("title"), number)
            sections.append(current)
            last = None
            continue
        if OTHER_HEADING.match(line):
            current, last = None, None  # an unnumbered heading (such as Sources) ends the form
            continue
        item = ANY_ITEM.match(line)
        if not item or current is None:
            if current is not None and line.strip() and not line.startswith((" ", "\t", "!!!", "???", "<!--")):
                paragraph.append(line)
                last = None
            continue
        if item.group("indent") == "":
            match = QUESTION.match(line)
            if not match:
                raise EditorError(
                    path,
                    f"this list item in section {current.number} is not a form question: {line.strip()!r}.",
                    f"start each question with its answer type in square brackets, e.g. `- [text] Your name`. "
                    f"Types: {', '.join(TYPES)}. Write guidance as a paragraph, not a list ({SYNTAX_HELP}).",
                    line=number,
                )
            kind, size = _type_and_size(match.group("type"), path, number)
            text = match.group("text")
            if text in seen:
                raise EditorError(
                    path,
                    f"the question {text!r} is already on line {seen[text].line}.",
                    "word each question differently: the PDF names each answer box after its question.",
                    line=number,
                )
            last = FormQuestion(current.number, kind, text, number, size=size)
            last.number = f"{current.number}.{len(current.questions) + 1}"
            seen[text] = last
            current.questions.append(last)
            current.items.append(last)
            continue
        option = OPTION.match(line)
        if not option:
            raise EditorError(
                path,
                f"this option is not indented by exactly four spaces: {line!r}.",
                f"indent each option under its question by four spaces: `    - Option` ({SYNTAX_HELP}).",
                line=number,
            )
        if last is None or last.type not in LIST_TYPES:
            raise EditorError(
                path,
                "this option does not belong to a [choose one], [choose any] or [table] question.",
                f"only [choose one] and [choose any] questions have options, and [table] questions columns "
                f"({SYNTAX_HELP}).",
                line=number,
            )
        if last.type == "table":
            column = COLUMN.match(option.group("text"))
            kind = (column.group("type") or "text").strip().lower()
            if kind not in COLUMN_TYPES:
                raise EditorError(
                    path,
                    f"unknown column type [{column.group('type')}] in the table {last.text!r}.",
                    f"give each column one of: {', '.join('[' + t + ']' for t in COLUMN_TYPES)}, or none for "
                    f"[text] ({SYNTAX_HELP}).",
                    line=number,
                )
            last.options.append(column.group("text"))
            last.column_types.append(kind)
            last.column_lines.append(number)
        else:
            last.options.append(option.group("text"))
    if current is not None:
        current.add_guidance(paragraph)
    if not sections:
        raise EditorError(
            path,
            "the form has no numbered sections.",
            f"head each section of the form like `## 1. About you` ({SYNTAX_HELP}).",
            line=first_line,
        )
    named: dict[str, FormQuestion] = {}
    for section in sections:
        for question in section.questions:
            first = named.setdefault(question.name, question)
            if first is not question:
                raise EditorError(
                    path,
                    f"this question and the one on line {first.line} begin with the same words, so their answer "
                    f"boxes in the PDF would share one name ({question.name!r}: a box is named after the first "
                    "60 letters of its question) and what is typed in one would show in both.",
                    "reword the start of one of the two questions so they differ in their first few words.",
                    line=question.line,
                )
            if question.type in CHOICE_TYPES and len(question.options) < 2:
                raise EditorError(
                    path,
                    f"the [{question.type}] question {question.text!r} has fewer than two options.",
                    f"list at least two options under it, each indented four spaces: `    - Option` ({SYNTAX_HELP}).",
                    line=question.line,
                )
            if question.type == "table" and not question.options:
                raise EditorError(
                    path,
                    f"the table {question.text!r} has no columns.",
                    f"list its columns under it, each indented four spaces: `    - [date] Date` ({SYNTAX_HELP}).",
                    line=question.line,
                )
            headings = [_slug(heading)[:20] for heading in question.options]
            if question.type == "table" and len(set(headings)) < len(headings):
                raise EditorError(
                    path,
                    f"two columns of the table {question.text!r} start with the same words.",
                    "word each column differently in its first 20 letters: the PDF names each box after it.",
                    line=question.line,
                )
    return sections


def _type_and_size(written: str, path: str, line: int) -> tuple[str, int | None]:
    """`long text, 12 lines` -> ("long text", 12); `text` -> ("text", None). A bad type or size is an
    EditorError."""
    match = TYPE.match(written.strip())
    kind = match.group("kind").strip().lower() if match else written.strip().lower()
    if not match or kind not in TYPES:
        raise EditorError(
            path,
            f"unknown answer type [{written}].",
            f"use one of: {', '.join('[' + t + ']' for t in TYPES)}; a [long text] box may give its size, "
            f"as [long text, 12 lines], and a table its rows, as [table, 20 rows] ({SYNTAX_HELP}).",
            line=line,
        )
    if match.group("size") is None:
        return kind, None
    size, unit = int(match.group("size")), match.group("unit")
    wanted = SIZE_UNIT.get(kind)
    low, high = SIZE_LIMITS.get(kind, (0, 0))
    if wanted is None or unit.rstrip("s") != wanted.rstrip("s") or not low <= size <= high:
        fix = (
            f"give a [{kind}] question's size in {wanted} from {low} to {high}, as [{kind}, {low + 9} {wanted}]"
            if wanted
            else f"only [long text] and [table] questions take a size; write [{kind}]"
        )
        raise EditorError(path, f"the size in [{written}] cannot be used.", f"{fix} ({SYNTAX_HELP}).", line=line)
    return kind, size


def questions(sections: list[Section]) -> list[FormQuestion]:
    return [q for s in sections for q in s.questions]


def continuation_section(sections: list[Section]) -> Section | None:
    """The section for answers that outgrow their boxes: the one with the largest [long text] box."""
    boxes = [(q.lines, -q.section, s) for s in sections for q in s.questions if q.type == "long text"]
    return max(boxes, key=lambda box: box[:2])[2] if boxes else None


def render_reading_version(markdown: str, sections: list[Section], first_line: int = 1) -> str:
    """The page as people read it: each question followed by the kind of answer it needs."""
    by_line = {q.line: q for q in questions(sections)}
    columns = {
        line: (heading, kind)
        for q in questions(sections)
        if q.type == "table"
        for line, heading, kind in zip(q.column_lines, q.options, q.column_types, strict=True)
    }
    out = []
    for offset, line in enumerate(markdown.splitlines()):
        question = by_line.get(first_line + offset)
        column = columns.get(first_line + offset)
        if question:
            line = f'- {question.text} <span class="scr-form-answer">Answer: {TYPES[question.type]}</span>'
        elif column:
            line = f'    - {column[0]} <span class="scr-form-answer">Column: {TYPES[column[1]]}</span>'
        out.append(line)
    return "\n".join(out) + "\n"
