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
}
CHOICE_TYPES = ("choose one", "choose any")
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
    options: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The PDF field name: section number and the question's words."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.text.lower()).strip("-")
        return f"s{self.section}-{slug[:60].rstrip('-')}"


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
            kind = match.group("type").strip().lower()
            if kind not in TYPES:
                raise EditorError(
                    path,
                    f"unknown answer type [{match.group('type')}].",
                    f"use one of: {', '.join('[' + t + ']' for t in TYPES)} ({SYNTAX_HELP}).",
                    line=number,
                )
            text = match.group("text")
            if text in seen:
                raise EditorError(
                    path,
                    f"the question {text!r} is already on line {seen[text].line}.",
                    "word each question differently: the PDF names each answer box after its question.",
                    line=number,
                )
            last = FormQuestion(current.number, kind, text, number)
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
        if last is None or last.type not in CHOICE_TYPES:
            raise EditorError(
                path,
                "this option does not belong to a [choose one] or [choose any] question.",
                f"only [choose one] and [choose any] questions have options ({SYNTAX_HELP}).",
                line=number,
            )
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
    return sections


def questions(sections: list[Section]) -> list[FormQuestion]:
    return [q for s in sections for q in s.questions]


def render_reading_version(markdown: str, sections: list[Section], first_line: int = 1) -> str:
    """The page as people read it: each question followed by the kind of answer it needs."""
    by_line = {q.line: q for q in questions(sections)}
    out = []
    for offset, line in enumerate(markdown.splitlines()):
        question = by_line.get(first_line + offset)
        if question:
            line = f'- {question.text} <span class="scr-form-answer">Answer: {TYPES[question.type]}</span>'
        out.append(line)
    return "\n".join(out) + "\n"
