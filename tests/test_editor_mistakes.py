"""The catalogue of editors' mistakes: each case builds a copy of the site with one thing broken.

For every case the build must fail, and its output must name the file (and the line, where it
is known), say what is wrong and how to fix it, without a Python traceback. The same messages
are quoted in CONTRIBUTING.md, "Read a build error and fix it".

The mistakes are made in content the tests add themselves (a page, a FAQ question, a practice
theme), or found in the site as it is (the nav, the contacts, the form), never in today's wording:
an editor's correct change to any page never breaks a case here.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
import re
from dataclasses import dataclass

import pytest
from conftest import DOCS, build_site, faq_sources, guidance_sources, mkdocs_config, theme_sources
from markdown.extensions.toc import slugify
from scr import messages


@dataclass(frozen=True)
class Edit:
    """Replace `old` with `new` once in a file of the project (or create the file when `old` is None)."""

    path: str
    old: str | None
    new: str


@dataclass(frozen=True)
class Mistake:
    edits: tuple[Edit, ...]
    file: str  # the file the message must name, relative to the project
    problem: str  # words from the message that say what is wrong
    fix: str = "How to fix it"  # words from the message that say how to fix it
    line_with: str | None = None  # text on the line the message must name (None: no line is known)
    line_format: str = "{file}, line {line}"  # how the message writes the file and line


CONFIG = mkdocs_config()
EXTRA = CONFIG["extra"]
OWNER = EXTRA["owners"][0]  # the test page's owner: one the build accepts


def nav_paths(items) -> list[str]:
    """Every Markdown path the navigation in mkdocs.yml lists, in order."""
    found = []
    for item in items or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found += nav_paths(value)
        elif isinstance(value, str) and value.endswith(".md"):
            found.append(value)
    return found


NAV = nav_paths(CONFIG["nav"])
TOP_PAGES = [p for p in NAV if "/" not in p and p != "index.md"]
LINK_TARGET = TOP_PAGES[0]  # a page at the top of docs/, linked from the test page
SUB_PAGE = next(p for p in NAV if "/" in p and not p.endswith("index.md"))  # a page inside a folder
SUB_NAME = posixpath.basename(SUB_PAGE)
HEADING_PAGE, HEADING = next(
    (path, slugify(match[1], "-"))
    for path in TOP_PAGES
    for match in [re.search(r"^## (.+)$", (DOCS / path).read_text(encoding="utf-8"), re.M)]
    if match
)
FORM_PAGE = next(path for path, meta in guidance_sources().items() if "form" in meta)
THEME_PAGE = next(iter(theme_sources()))
A_TAG, A_TOPIC = next(iter(EXTRA["tags"])), next(iter(EXTRA["faq_topics"]))
A_QUESTION_ID = faq_sources()[0]["id"]
A_QUESTION_FILE = next(
    f"docs/faq/{p.name}" for p in sorted((DOCS / "faq").glob("*.md")) if f"\nid: {A_QUESTION_ID}\n" in p.read_text()
)
FORM_CONTACT = EXTRA["form_contact"]
TODAY = dt.date.today()

TEST_PAGE = "docs/a-page-added-by-a-test.md"
TYPO_NAME = "a-page-added-by-a-tes.md"  # the test page's file name with one letter left out
TEST_QUESTION = "docs/faq/zz-a-question-added-by-a-test.md"
TEST_THEME = "docs/practice-themes/zz-a-theme-added-by-a-test.md"
FRONT = {
    "title": "A page added by a test",
    "description": "Training on the learning from reviews, for practitioners and managers.",
    "owner": OWNER,
    "last_reviewed": (TODAY - dt.timedelta(days=10)).isoformat(),
    "review_due": (TODAY + dt.timedelta(days=300)).isoformat(),
    "audience": "[practitioners, managers]",
    "status": "current",
    "search": "\n  boost: 2",
}


def guidance_page(body: str = "", **front: str | None) -> str:
    """The test's own guidance page; a keyword set to None leaves that field out."""
    fields = {**FRONT, **front}
    lines = [
        f"{key}: {value}" if not value.startswith("\n") else f"{key}:{value}"
        for key, value in fields.items()
        if value is not None
    ]
    return (
        "---\n"
        + "\n".join(lines)
        + "\n---\n\n# A page added by a test\n\nThe board runs training on the learning from reviews.\n"
        + (f"\n{body}\n" if body else "")
    )


def question(body: str = "", **front: str) -> str:
    fields = {
        "id": "a-question-added-by-a-test",
        "question": "Is this a question added by a test?",
        "topic": A_TOPIC,
        "order": "999",
        "tags": f"[{A_TAG}]",
        **front,
    }
    return (
        "---\n"
        + "".join(f"{k}: {v}\n" for k, v in fields.items())
        + "---\n\nYes. A test added it.\n"
        + (f"\n{body}\n" if body else "")
    )


def theme(**front: str) -> str:
    """A copy of a real practice theme, with its own title and place, and the fields given changed."""
    text = (DOCS / THEME_PAGE).read_text(encoding="utf-8")
    fields = {"title": "A theme added by a test", "order": "999", **front}
    old_title = re.search(r"^title: (.*)$", text, re.M)[1]
    text = text.replace(f"\n# {old_title}\n", f"\n# {fields['title']}\n", 1)  # the heading has the title's words
    for key, value in fields.items():
        line = f"{key}: {value}"
        text = re.sub(rf"^{key}:.*$", lambda _, line=line: line, text, count=1, flags=re.M)
    return text


IN_NAV = Edit("mkdocs.yml", "\nnav:\n", f"\nnav:\n  - A page added by a test: {TEST_PAGE.removeprefix('docs/')}\n")


def add_page(text: str, in_nav: bool = True) -> tuple[Edit, ...]:
    return (Edit(TEST_PAGE, None, text), *((IN_NAV,) if in_nav else ()))


def add(path: str, text: str) -> tuple[Edit, ...]:
    return (Edit(path, None, text),)


def typo(path: str) -> str:
    """The same file name with one letter left out."""
    stem = path.removesuffix(".md")
    return stem[:-2] + stem[-1] + ".md"


def replace(path: str, old: str, new: str) -> tuple[Edit, ...]:
    return (Edit(path, old, new),)


def mkdocs_line(key: str) -> str:
    """The line of mkdocs.yml that sets a top-level key, as it is today."""
    return next(
        line
        for line in (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
        if line.startswith(f"{key}:")
    )


def first_form_answer() -> str:
    return re.search(r"^- \[\w+\] .+$", (DOCS / FORM_PAGE).read_text(encoding="utf-8"), re.M)[0]


def contact_marker_pages(key: str) -> list[str]:
    marker = f"<!-- contact: {key} -->"
    return [
        f"docs/{p.relative_to(DOCS).as_posix()}"
        for p in sorted(DOCS.rglob("*.md"))
        if marker in p.read_text(encoding="utf-8")
    ]


MISTAKES = {
    # Front matter
    "malformed-yaml-unquoted-colon": Mistake(
        add_page(guidance_page(description="Training: the learning from reviews.")),
        TEST_PAGE,
        "the front matter is not valid YAML",
        line_with="description: Training:",
    ),
    "search-boost-not-a-number": Mistake(
        add_page(guidance_page(search="\n  boost: high")),
        TEST_PAGE,
        "`search: boost:` is 'high'; it must be a number from 0.1 to 10.0",
        line_with="search:",
    ),
    "impossible-date": Mistake(
        add_page(guidance_page(last_reviewed="2026-02-30")),
        TEST_PAGE,
        "`last_reviewed` is 2026-02-30, which is not a real date",
        line_with="last_reviewed:",
    ),
    "date-not-year-month-day": Mistake(
        add_page(guidance_page(review_due="26/11/2027")),
        TEST_PAGE,
        "which is not a date in the form year-month-day",
        line_with="review_due:",
    ),
    "review-due-before-last-reviewed": Mistake(
        add_page(guidance_page(review_due=(TODAY - dt.timedelta(days=40)).isoformat())),
        TEST_PAGE,
        "is after `review_due`",
        line_with="review_due:",
    ),
    "missing-owner": Mistake(
        add_page(guidance_page(owner=None)),
        TEST_PAGE,
        "the front matter has no `owner`",
        f"add a line `owner: {OWNER}`",  # the first of extra.owners
        line_with="---",
    ),
    "owner-not-in-the-list": Mistake(
        add_page(guidance_page(owner=OWNER[:-1])),
        TEST_PAGE,
        f"the owner {OWNER[:-1]!r} is not one of the owners listed in mkdocs.yml",
        f"did you mean {OWNER!r}?",
        line_with="owner:",
    ),
    "owners-list-missing": Mistake(
        replace("mkdocs.yml", "\n  owners:\n", "\n  former_owners:\n"),
        "mkdocs.yml",
        "`extra: owners:` is missing, empty or not a list",
        "restore the `owners:` list under `extra:`",
    ),
    "unknown-audience": Mistake(
        add_page(guidance_page(audience="[parents]")), TEST_PAGE, "unknown audience 'parents'", line_with="audience:"
    ),
    "unclosed-code-fence": Mistake(
        add_page(guidance_page("An example:\n\n```text\nsome text shown as it is typed\n\nMore of the page.")),
        TEST_PAGE,
        "the code block that starts here with ``` is never closed",
        fix="add a line with just ``` where the code block ends",
        line_with="```text",
    ),
    "front-matter-key-set-twice": Mistake(
        add_page(guidance_page().replace(f"owner: {OWNER}\n", f"owner: {OWNER}\nowner: Somebody else\n")),
        TEST_PAGE,
        "`owner` is set twice",
        fix="keep the `owner` line you want and delete the other",
        line_with="owner: Somebody else",
    ),
    "faq-key-set-twice": Mistake(
        add(TEST_QUESTION, question().replace("order: 999\n", "order: 999\norder: 5\n")),
        TEST_QUESTION,
        "`order` is set twice",
        line_with="order: 5",
    ),
    # Links and navigation (MkDocs' own checks, reworded by hooks/scr/messages.py)
    "broken-link": Mistake(
        add_page(guidance_page(f"See [the page]({typo(LINK_TARGET)}).")),
        TEST_PAGE,
        f"the link '{typo(LINK_TARGET)}' goes to docs/{typo(LINK_TARGET)}, which does not exist",
        fix="How to fix it: check the file name and the folder in the link: it is relative to this page, and `../` "
        f"goes up one folder. Did you mean '{LINK_TARGET}'?",
        line_with=f"({typo(LINK_TARGET)})",
    ),
    "broken-link-in-faq-answer": Mistake(
        add(TEST_QUESTION, question(f"See [the page](../{SUB_NAME}).")),
        TEST_QUESTION,
        f"the link '../{SUB_NAME}' goes to docs/{SUB_NAME}, which does not exist",
        fix=f"Did you mean '../{SUB_PAGE}'?",
        line_with=f"(../{SUB_NAME})",
    ),
    "link-to-missing-heading": Mistake(
        add_page(guidance_page(f"See [the section]({HEADING_PAGE}#{HEADING[:-1]}).")),
        TEST_PAGE,
        f"the link '{HEADING_PAGE}#{HEADING[:-1]}' goes to a heading that docs/{HEADING_PAGE} does not have",
        fix=f"How to fix it: point the link at a heading the page has (the closest: #{HEADING}",
        line_with=f"({HEADING_PAGE}#{HEADING[:-1]})",
    ),
    "link-without-md": Mistake(
        add_page(guidance_page(f"See [the page]({LINK_TARGET.removesuffix('.md')}).")),
        TEST_PAGE,
        f"the link '{LINK_TARGET.removesuffix('.md')}' does not name a page's file",
        fix="How to fix it: link to the Markdown file of the page, ending in .md and relative to this page, "
        f"for example '{LINK_TARGET}'",
        line_with=f"({LINK_TARGET.removesuffix('.md')})",
    ),
    "absolute-link": Mistake(
        add_page(guidance_page(f"See [the page](/{LINK_TARGET}).")),
        TEST_PAGE,
        f"the link '/{LINK_TARGET}' starts with /",
        fix=f"How to fix it: write the link relative to this page, for example '{LINK_TARGET}'",
        line_with=f"(/{LINK_TARGET})",
    ),
    "page-not-in-nav": Mistake(
        add_page(guidance_page(), in_nav=False),
        TEST_PAGE,
        "this page is not in the site's navigation",
        fix="How to fix it: add it under `nav:` in mkdocs.yml, in the right section, as "
        "`- A page added by a test: a-page-added-by-a-test.md`",
    ),
    "nav-names-missing-file": Mistake(
        (
            Edit(TEST_PAGE, None, guidance_page()),
            Edit("mkdocs.yml", "\nnav:\n", f"\nnav:\n  - A page added by a test: {TYPO_NAME}\n"),
        ),
        "mkdocs.yml",
        f"`nav:` lists '{TYPO_NAME}', but there is no file docs/{TYPO_NAME}",
        fix="Did you mean 'a-page-added-by-a-test.md'?",
        line_with=TYPO_NAME,
    ),
    "malformed-mkdocs-yml": Mistake(
        replace("mkdocs.yml", mkdocs_line("site_name") + "\n", mkdocs_line("site_name") + ": guidance\n"),
        "mkdocs.yml",
        "error parsing the configuration file: mapping values are not allowed here",
        fix="Error:",  # MkDocs stops before the hook loads; CONTRIBUTING.md explains this message
        line_with="site_name:",
        line_format='{file}", line {line}',
    ),
    # FAQ, practice themes, contacts and the referral form
    "duplicate-faq-id": Mistake(
        add(TEST_QUESTION, question(id=A_QUESTION_ID)),
        TEST_QUESTION,
        f"the id '{A_QUESTION_ID}' is already used by {A_QUESTION_FILE}",
        fix="How to fix it: give this question a different id",
    ),
    "unknown-tag-in-theme": Mistake(
        add(TEST_THEME, theme(tags=f"[{A_TAG}, risk]")),
        TEST_THEME,
        "unknown tag 'risk'",
        fix="How to fix it: use tags from the list under `extra: tags:` in mkdocs.yml",
        line_with="tags:",
    ),
    "briefing-why-it-matters-two-sentences": Mistake(
        add(TEST_THEME, theme(why_it_matters="It is serious. It harms a child.")),
        TEST_THEME,
        "`why_it_matters` has more than one sentence; box 2 of the briefing holds one",
        fix="How to fix it: keep the one sentence that says why this matters for the child",
        line_with="why_it_matters:",
    ),
    "unknown-contact-marker": Mistake(
        add_page(guidance_page("<!-- contact: buisness-manager -->")),
        TEST_PAGE,
        "unknown contact 'buisness-manager'",
        line_with="buisness-manager",
    ),
    "malformed-form-field": Mistake(
        replace(f"docs/{FORM_PAGE}", first_form_answer(), re.sub(r"\[\w+\]", "[datum]", first_form_answer(), count=1)),
        f"docs/{FORM_PAGE}",
        "unknown answer type [datum]",
        line_with=re.sub(r"\[\w+\]", "[datum]", first_form_answer(), count=1),
    ),
    # Wrong shapes: a list where one value is expected, a quoted true/false, a setting removed
    "status-as-a-list": Mistake(
        add_page(guidance_page(status="[current]")),
        TEST_PAGE,
        "`status` is ['current'], but it takes one status, not a list or a block",
        fix="write it on one line, for example `status: current`",
        line_with="status:",
    ),
    "faq-topic-as-a-list": Mistake(
        add(TEST_QUESTION, question(topic=f"[{A_TOPIC}]")),
        TEST_QUESTION,
        f"`topic` is ['{A_TOPIC}'], but it takes one topic",
        line_with="topic:",
    ),
    "audience-list-in-a-list": Mistake(
        add_page(guidance_page(audience="[[public]]")),
        TEST_PAGE,
        "`audience` holds ['public'], which is not one audience",
        line_with="audience:",
    ),
    "tag-list-in-a-list": Mistake(
        add(TEST_THEME, theme(tags=f"[{A_TAG}, [risk]]")),
        TEST_THEME,
        "`tags` holds ['risk'], which is not one tag",
        line_with="tags:",
    ),
    "worried-banner-deleted": Mistake(
        replace("mkdocs.yml", "\n  worried_banner:\n", "\n  not_the_banner:\n"),
        "mkdocs.yml (extra.worried_banner)",
        "`worried_banner` is missing or empty. Every page shows these numbers",
    ),
    "form-contact-renamed-in-contacts-and-pages": Mistake(
        (
            Edit("mkdocs.yml", f"\n    {FORM_CONTACT}:\n", f"\n    renamed-{FORM_CONTACT}:\n"),
            *(
                Edit(page, f"<!-- contact: {FORM_CONTACT} -->", f"<!-- contact: renamed-{FORM_CONTACT} -->")
                for page in contact_marker_pages(FORM_CONTACT)
            ),
        ),
        "mkdocs.yml (extra.form_contact)",
        f"the referral form's contact '{FORM_CONTACT}' is not under `extra: contacts:`",
        fix="set `form_contact:` under `extra:` to one of",
    ),
    "unknown-contact-in-faq-answer": Mistake(
        add(TEST_QUESTION, question("<!-- contact: nobody -->")),
        TEST_QUESTION,
        "unknown contact 'nobody'",
        line_with="<!-- contact: nobody -->",
    ),
    "two-pages-one-pdf-name-in-the-preview": Mistake(
        (
            *add_page(guidance_page()),
            Edit(
                "docs/more/a-page-added-by-a-test.md",
                None,
                guidance_page().replace("A page added by a test", "More events"),
            ),
        ),
        "docs/more/a-page-added-by-a-test.md",
        "its PDF would be downloads/a-page-added-by-a-test.pdf, the same as for docs/a-page-added-by-a-test.md",
        fix="rename one of the two files",
    ),
    # The safety checks: raw HTML and likely personal data
    "script-tag": Mistake(
        add_page(guidance_page("<script>alert(1)</script>")),
        TEST_PAGE,
        "the page contains the HTML tag <script>",
        line_with="<script>",
    ),
    "javascript-link": Mistake(
        add_page(guidance_page('See <a href="javascript:alert(1)">x</a> for details.')),
        TEST_PAGE,
        "uses a `javascript:` address",
        line_with="javascript:",
    ),
    "nhs-number": Mistake(
        add_page(guidance_page("The child's NHS number was 943 476 5919.")),
        TEST_PAGE,
        "looks like an NHS number",
        line_with="943 476 5919",
    ),
    "email-address": Mistake(
        add_page(guidance_page("Write to jane.smith@example.org.uk with questions.")),
        TEST_PAGE,
        "email address",
        line_with="jane.smith@",
    ),
}


def test_the_test_page_itself_builds(project_copy, tmp_path):
    """The content the cases break is right as written: the site builds with it added."""
    for edit in (*add_page(guidance_page()), *add(TEST_QUESTION, question()), *add(TEST_THEME, theme())):
        apply(project_copy, edit)
    result = build_site(project_copy, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "a-page-added-by-a-test" / "index.html").is_file()


def apply(project, edit: Edit) -> None:
    path = project / edit.path
    if edit.old is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(edit.new, encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    assert edit.old in text, f"{edit.old!r} is no longer in {edit.path}: update this case"
    path.write_text(text.replace(edit.old, edit.new, 1), encoding="utf-8")


def line_number(project, rel: str, needle: str) -> int:
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, 1) if needle in text)


@pytest.mark.parametrize("mistake", MISTAKES.values(), ids=MISTAKES.keys())
def test_mistake_stops_the_build_with_file_line_problem_and_fix(mistake, project_copy, tmp_path):
    for edit in mistake.edits:
        apply(project_copy, edit)
    result = build_site(project_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build should have failed:\n{output}"
    assert "Traceback" not in output and "Logging error" not in output, output
    assert mistake.file in output, output
    if mistake.line_with is not None:
        line = line_number(project_copy, mistake.file, mistake.line_with)
        assert mistake.line_format.format(file=mistake.file, line=line) in output, output
    assert mistake.problem in output, output
    assert mistake.fix in output, output


def test_wrapped_warnings_stay_warnings_and_the_filter_is_installed_once(tmp_path, caplog):
    """`mkdocs serve` installs the filter for every rebuild: there must still be one, and strict must still fail."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nSee [the other page](b.md).\n", encoding="utf-8")
    pages = logging.getLogger("mkdocs.structure.pages")
    try:
        messages.install(str(docs))
        messages.install(str(docs))
        for name in messages.LOGGERS:
            assert sum(isinstance(f, messages.EditorMessages) for f in logging.getLogger(name).filters) == 1
        with caplog.at_level(logging.INFO, logger="mkdocs"):
            pages.warning(
                "Doc file 'a.md' contains a link 'b.md', but the target is not found among documentation files."
            )
            pages.warning("Some other message from MkDocs.")
        wrapped, other = caplog.records[-2:]
        assert wrapped.levelno == logging.WARNING
        assert wrapped.getMessage().startswith("docs/a.md, line 3: the link 'b.md' goes to docs/b.md")
        assert "\n  How to fix it: " in wrapped.getMessage()
        assert other.getMessage() == "Some other message from MkDocs."
    finally:
        for name in messages.LOGGERS:
            for installed in [f for f in logging.getLogger(name).filters if isinstance(f, messages.EditorMessages)]:
                logging.getLogger(name).removeFilter(installed)


def test_the_same_broken_link_in_three_files_names_each_file(project_copy, tmp_path):
    """Three FAQ answers with one broken link: three messages, one for each file and line, so one round fixes all."""
    names = [f"docs/faq/zz-question-{n}.md" for n in range(3)]
    for n, name in enumerate(names):
        text = question(f"See [the page](../{SUB_NAME}).", id=f"a-question-added-by-a-test-{n}")
        apply(project_copy, Edit(name, None, text))
    result = build_site(project_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    for name in names:
        line = line_number(project_copy, name, f"(../{SUB_NAME})")
        assert f"{name}, line {line}: the link '../{SUB_NAME}'" in output, output
