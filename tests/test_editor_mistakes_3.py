"""The third catalogue of editors' mistakes: each is refused with its file, line, problem and fix, never a traceback.

Builds are the slow part, so the mistakes are batched: the build reads every file before it stops, and reports
one mistake for each file that has one, so all the mistakes of one stage of the build go into one copy of the
project and one build. Each case is still its own test, on that build's output. The mistakes are made in files
the tests add themselves (or in a copy of a real theme or the form), never in today's wording.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest
from conftest import DOCS, ROOT, build_site, guidance_sources, mkdocs_config, page_for, theme_sources
from scr import body_checks, briefings, downloads, fonts, form, frontmatter, safety, snippets
from scr.errors import EditorError

CONFIG = mkdocs_config()
EXTRA = CONFIG["extra"]
TODAY = dt.date.today()
A_TAG, A_TOPIC = next(iter(EXTRA["tags"])), next(iter(EXTRA["faq_topics"]))
THEME_PAGE = next(iter(theme_sources()))
FORM_PAGE = next(path for path, meta in guidance_sources().items() if "form" in meta)
SNIPPET = sorted(p.name for p in (DOCS / "_snippets").glob("*.md") if p.name != "abbreviations.md")[0]
NAME_KEY, NAME = next(iter(EXTRA["names"].items()))


def page(title: str = "Training events", body: str = "The board runs training.", heading: str | None = None, **front):
    """A guidance page of the test's own; `heading` None gives the title's words."""
    fields = {
        "title": title,
        "description": "Training on the learning from reviews.",
        "owner": EXTRA["owners"][0],
        "last_reviewed": (TODAY - dt.timedelta(days=10)).isoformat(),
        "review_due": (TODAY + dt.timedelta(days=300)).isoformat(),
        "audience": "[practitioners]",
        **front,
    }
    top = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\n{top}---\n\n# {heading or title}\n\n{body}\n"


def question(answer: str = "Yes. A test added it.", qid: str = "a-question-added-by-a-test", **front) -> str:
    fields = {"id": qid, "question": f"Is {qid} a question?", "topic": A_TOPIC, "order": "999", "tags": f"[{A_TAG}]"}
    fields.update(front)
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + f"---\n\n{answer}\n"


def theme_copy(title: str | None = "A theme added by a test", section: tuple[str, str] | None = None) -> str:
    """A copy of a real practice theme, with a title of its own unless `title` is None."""
    text = (DOCS / THEME_PAGE).read_text(encoding="utf-8")
    if title is not None:
        old_title = re.search(r"^title: (.*)$", text, re.M)[1]
        text = text.replace(f"title: {old_title}\n", f"title: {title}\n", 1).replace(f"# {old_title}\n", f"# {title}\n")
        text = re.sub(r"^order: .*$", "order: 999", text, count=1, flags=re.M)
    if section:
        assert f"\n## {section[0]}\n" in text
        text = text.replace(f"\n## {section[0]}\n", f"\n## {section[1]}\n", 1)
    return text


def missing_glyph() -> str | None:
    """A character that no installed font has, asked of fontconfig itself."""
    for char in ("\U0001f44d", "\U0001f9d2", "\U0001faf6", "\U0001f6f8", "\U000e0041"):
        listing = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True)
        if listing.returncode == 0 and not listing.stdout.strip():
            return char
    return None


GLYPH = missing_glyph() if shutil.which("fc-list") else None


@dataclass(frozen=True)
class Case:
    files: dict  # path in the project -> new text (str), bytes, or (old, new) to replace once
    file: str  # the file the message names
    problem: str
    fix: str = "How to fix it"
    line_with: str | bytes | None = None  # what is on the line the message names (None: no line)
    line_offset: int = 0


FUTURE = (TODAY + dt.timedelta(days=365 * 20)).isoformat()
SAME_DAY = (TODAY - dt.timedelta(days=3)).isoformat()
SECOND_QUESTION = question("It is pasted in.", qid="a-second-question")
WORD_FILE = b"PK\x03\x04\x14\x00\x06\x00\x08\x00word/document.xml\x00\x9c\xff"
SVG_SCRIPT = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<rect width="10" height="10"/>\n'
SNIPPET_TYPO = SNIPPET[:-4] + SNIPPET[-3:]  # one letter left out

# Each reported for its own file in one build: the build reads every file before it stops.
EVERY_FILE = {
    "last-reviewed-in-the-future": Case(
        {"docs/zz-future.md": page(last_reviewed=FUTURE, review_due=(TODAY + dt.timedelta(days=365 * 21)))},
        "docs/zz-future.md",
        f"`last_reviewed` is {FUTURE}, which has not happened yet (today is {TODAY})",
        "write the date the page was last reviewed, today or earlier",
        "last_reviewed:",
    ),
    "review-due-same-day-as-last-reviewed": Case(
        {"docs/zz-same-day.md": page(last_reviewed=SAME_DAY, review_due=SAME_DAY)},
        "docs/zz-same-day.md",
        f"`review_due` ({SAME_DAY}) is the same day as `last_reviewed`",
        "set review_due to a later date",
        "review_due:",
    ),
    "heading-differs-from-title": Case(
        {"docs/zz-heading.md": page(title="Training events", heading="Training sessions")},
        "docs/zz-heading.md",
        "the heading `# Training sessions` and the page's `title:` ('Training events', line 2) differ",
        "change the heading to `# Training events`, or, if the heading says it better, change line 2 to "
        "`title: Training sessions`",
        "# Training sessions",
    ),
    "two-level-one-headings": Case(
        {"docs/zz-two-titles.md": page(body="Some text.\n\n# Booking a place\n\nMore text.")},
        "docs/zz-two-titles.md",
        "the page has a second level-one heading (`# Booking a place`); a page has one, its title (line 10)",
        "`## Booking a place`",
        "# Booking a place",
    ),
    "faq-unknown-field": Case(
        {"docs/faq/zz-draft.md": question(qid="a-draft-question", draft="true")},
        "docs/faq/zz-draft.md",
        "unknown field `draft` in this FAQ question, so it would be ignored",
        "The fields a question can have are: id, question, topic, order, tags, keywords",
        "draft:",
    ),
    "faq-misspelt-keywords": Case(
        {"docs/faq/zz-keyword.md": question(qid="a-keyword-question", keyword="[training]")},
        "docs/faq/zz-keyword.md",
        "unknown field `keyword` in this FAQ question",
        "did you mean `keywords`?",
        "keyword:",
    ),
    "faq-two-questions-in-one-file": Case(
        {"docs/faq/zz-two.md": question("Yes.\n" + SECOND_QUESTION, qid="a-first-question")},
        "docs/faq/zz-two.md",
        "a second question starts here (its own --- block with `id:`, `question:`",
        "one file holds one question: move everything from this line down into docs/faq/a-second-question.md",
        "id: a-second-question",
        line_offset=-1,
    ),
    "faq-setext-heading-in-answer": Case(
        {"docs/faq/zz-setext.md": question("Yes.\n\nWhat happens next\n---\n\nA letter.", qid="a-setext-question")},
        "docs/faq/zz-setext.md",
        "the answer contains a heading ('What happens next')",
        "a line underlined with --- or === is a heading too",
        "What happens next",
    ),
    "theme-without-a-briefing-section": Case(
        {"docs/practice-themes/zz-theme.md": theme_copy(section=(briefings.TO_DO, "What to do"))},
        "docs/practice-themes/zz-theme.md",
        f"the page has no `## {briefings.TO_DO}` section (`## What to do` should read `## {briefings.TO_DO}`)",
        "keep the section headings every practice theme has, word for word",
        "## What to do",
    ),
    "image-from-another-website": Case(
        {"docs/zz-image.md": page(body="A chart:\n\n![Referrals by year](https://www.example.org/chart.png)")},
        "docs/zz-image.md",
        "this image comes from another website (https://www.example.org/chart.png)",
        "save the image in docs/assets/",
        "![Referrals by year]",
    ),
    "image-tag-from-another-website": Case(
        {"docs/zz-img-tag.md": page(body='<img alt="A chart" src="//cdn.example.org/chart.png">')},
        "docs/zz-img-tag.md",
        "this image comes from another website (//cdn.example.org/chart.png)",
        line_with="<img",
    ),
    "svg-with-a-script": Case(
        {"docs/assets/zz-script.svg": SVG_SCRIPT + "<script>alert(1)</script>\n</svg>\n"},
        "docs/assets/zz-script.svg",
        "the SVG image contains <script>, which would run code in the reader's browser",
        "save the picture again as a plain SVG",
        "<script>",
    ),
    "svg-with-an-event-handler": Case(
        {"docs/assets/zz-onload.svg": SVG_SCRIPT + '<circle r="2" onload="alert(1)"/>\n</svg>\n'},
        "docs/assets/zz-onload.svg",
        "the SVG image's <circle> has an `onload=` attribute",
        line_with="<circle",
    ),
    "meta-refresh": Case(
        {"docs/zz-meta.md": page(body='<meta http-equiv="refresh" content="0; url=https://www.example.org/">')},
        "docs/zz-meta.md",
        "the page contains a <meta> tag",
        "list the move under `extra: redirects:`",
        "<meta",
    ),
    "base-tag": Case(
        {"docs/zz-base.md": page(body='<base href="https://www.example.org/">')},
        "docs/zz-base.md",
        "the page contains a <base> tag",
        line_with="<base",
    ),
    "form-tag": Case(
        {"docs/zz-form.md": page(body='<form action="https://www.example.org/collect">\n<input name="x">\n</form>')},
        "docs/zz-form.md",
        "the page contains a <form> tag, which would collect what readers type",
        line_with="<form",
    ),
    "snippet-include-with-a-typo": Case(
        {"docs/zz-snippet.md": page(body=f'Before.\n\n--8<-- "{SNIPPET_TYPO}"\n\nAfter.')},
        "docs/zz-snippet.md",
        f"the snippet '{SNIPPET_TYPO}' included here does not exist",
        f"Did you mean '{SNIPPET}'? Check the name between the quotation marks: the snippets are the files in "
        "docs/_snippets/",
        "--8<--",
    ),
    "file-saved-as-windows-1252": Case(
        {"docs/zz-ansi.md": page(body="The board\u2019s training.").encode("cp1252")},
        "docs/zz-ansi.md",
        "this file is not UTF-8 text: the byte 0x92 (in the Windows-1252 encoding, '\u2019') cannot be read",
        "save it as UTF-8",
        b"The board",
    ),
    "word-document-saved-as-md": Case(
        {"docs/zz-word.md": WORD_FILE},
        "docs/zz-word.md",
        "this is a Word document (or another zipped file) with a .md name, not a text file",
        "copy the text, and paste it into a Markdown file",
    ),
    "no-break-space-in-front-matter": Case(
        {"docs/zz-nbsp.md": page().replace("description: ", "description:\u00a0", 1)},
        "docs/zz-nbsp.md",
        "this line of the front matter has a no-break space (U+00A0) at character 13",
        "delete that character and type an ordinary space",
        "description:",
    ),
}
if GLYPH:
    EVERY_FILE["character-no-font-has"] = Case(
        {"docs/zz-glyph.md": page(body=f"Well done {GLYPH} to everyone.")},
        "docs/zz-glyph.md",
        f"the character {GLYPH} (",
        "replace it with words, or with a character the fonts have",
        "Well done",
    )

HANDBOOK_PAGE = "docs/" + downloads.HANDBOOK.removesuffix(".pdf") + ".md"
FIRST_QUESTION = re.search(r"^- \[text\] .+$", (DOCS / FORM_PAGE).read_text(encoding="utf-8"), re.M)[0]
LONG = "Name of the professional who has the most recent contact with the child at school"
assert len(form.FormQuestion(1, "text", LONG, 1).name) > 60

# Later stages of the build: each stops the build on its own, so each has a build of its own.
ONE_EACH = {
    "copied-theme-with-its-title-unchanged": Case(
        {"docs/practice-themes/zz-copy.md": theme_copy(title=None)},
        "docs/practice-themes/zz-copy.md",
        f"the title {theme_sources()[THEME_PAGE]['title']!r} is already the title of docs/{THEME_PAGE}",
        "give this page a title of its own",
        "title:",
    ),
    "page-named-like-the-handbook": Case(
        {HANDBOOK_PAGE: page(title="The handbook page")},
        HANDBOOK_PAGE,
        f"its PDF would be downloads/{downloads.HANDBOOK}, the same as for the handbook",
        "rename this file (its PDF is named after it)",
    ),
    "form-questions-alike-for-60-letters": Case(
        {f"docs/{FORM_PAGE}": (FIRST_QUESTION, f"{FIRST_QUESTION}\n- [text] {LONG} now\n- [text] {LONG} before")},
        f"docs/{FORM_PAGE}",
        "this question and the one on line",
        "reword the start of one of the two questions",
        f"{LONG} before",
    ),
    "undefined-footnote": Case(
        {"docs/zz-footnote.md": page(body="A fact.[^1] Another fact.[^sauce]\n\n[^1]: A source.\n[^source]: B.")},
        "docs/zz-footnote.md",
        "the footnote [^sauce] has no note, so the page would show [^sauce] as typed",
        "Did you mean [^source]? Write the note at the end of the page",
        "[^sauce]",
    ),
}


def write(project, files: dict) -> None:
    for rel, new in files.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(new, tuple):
            text = path.read_text(encoding="utf-8")
            assert new[0] in text, f"{new[0]!r} is no longer in {rel}: update this case"
            path.write_text(text.replace(new[0], new[1], 1), encoding="utf-8")
        elif isinstance(new, bytes):
            path.write_bytes(new)
        else:
            path.write_text(new, encoding="utf-8")


def copy_project(tmp_path_factory, name: str):
    copy = tmp_path_factory.mktemp(name) / "project"
    ignore = shutil.ignore_patterns(".git", ".venv", "site", ".site-*", ".cache", "__pycache__", "node_modules")
    shutil.copytree(ROOT, copy, ignore=ignore)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


def failed_build(project, out) -> str:
    result = build_site(project, out)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build should have failed:\n{output}"
    assert "Traceback" not in output and "Logging error" not in output, output
    return output


@pytest.fixture(scope="module")
def every_file_build(tmp_path_factory):
    """One copy with every mistake of EVERY_FILE, and its build's output."""
    project = copy_project(tmp_path_factory, "every-file")
    for case in EVERY_FILE.values():
        write(project, case.files)
    return project, failed_build(project, project.parent / "out")


def line_number(project, case: Case) -> int:
    data = (project / case.file).read_bytes()
    needle = case.line_with if isinstance(case.line_with, bytes) else case.line_with.encode("utf-8")
    return data.split(b"\n").index(next(line for line in data.split(b"\n") if needle in line)) + 1 + case.line_offset


def assert_reported(project, output: str, case: Case) -> None:
    where = case.file
    if case.line_with is not None:
        where += f", line {line_number(project, case)}"
    lines = [re.sub(r"^(ERROR|WARNING)\s+-\s+", "", line) for line in output.split("\n")]
    message = next((m for m in lines if m.startswith(where + ": ")), None)
    assert message, f"no message for {where}:\n{output}"
    assert case.problem in message, output
    following = lines[lines.index(message) + 1]
    assert following.startswith("  How to fix it: ") and case.fix in following, output


@pytest.mark.parametrize("name", EVERY_FILE)
def test_each_file_mistake_is_reported_with_file_line_problem_and_fix(every_file_build, name):
    project, output = every_file_build
    assert_reported(project, output, EVERY_FILE[name])


@pytest.mark.parametrize("name", ONE_EACH)
def test_later_mistake_stops_the_build_with_file_line_problem_and_fix(tmp_path_factory, name):
    case = ONE_EACH[name]
    project = copy_project(tmp_path_factory, name)
    write(project, case.files)
    assert_reported(project, failed_build(project, project.parent / "out"), case)


def test_a_name_marker_in_a_title_shows_the_name(tmp_path_factory):
    """The browser tab, the heading, search and the menu show the name from mkdocs.yml, never the raw marker."""
    project = copy_project(tmp_path_factory, "name-in-title")
    title = f'"Training with the <!-- name: {NAME_KEY} -->"'  # quoted: the marker has a colon
    write(
        project,
        {
            "docs/zz-named.md": page(title=title, heading=f"Training with the {NAME}"),
            "mkdocs.yml": ("\nnav:\n", "\nnav:\n  - zz-named.md\n"),
        },
    )
    out = project.parent / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (out / page_for("zz-named.md")).read_text(encoding="utf-8")
    assert re.search(rf"<title>Training with the {re.escape(NAME)} - ", html), html[:2000]
    assert "name:" not in re.search(r"<title>.*?</title>", html, re.S)[0]
    assert f">Training with the {NAME}<" in html  # the heading and the menu
    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert any(doc["title"] == f"Training with the {NAME}" for doc in index)


# The same checks on small inputs, without a build: the variants an editor may also write.


@pytest.mark.parametrize(
    ("front", "line", "name"),
    [
        ("title: A\n\u00a0description: B\n", 3, "no-break space (U+00A0)"),
        ("title: A\ndescription\u202f: B\n", 3, "narrow no-break space (U+202F)"),
        ("title: A\naudience: [a,\u2009b]\n", 3, "thin space (U+2009)"),
        ("title: A\ntags:\n-\u00a0a\n", 4, "no-break space (U+00A0)"),
    ],
)
def test_an_unusual_space_anywhere_in_front_matter_is_named_on_its_line(front, line, name):
    with pytest.raises(EditorError) as caught:
        frontmatter.parse(f"---\n{front}---\n\n# A\n", "docs/x.md")
    assert caught.value.line == line and name in caught.value.problem


def test_a_page_named_like_a_briefing_is_refused():
    from scr.themes import Theme

    theme = Theme("practice-themes/neglect.md", "Neglect", "S", "C", 1, ())
    clash = briefings.file_name(theme.src_uri).removesuffix(".pdf")
    pages = [frontmatter.Governance(f"docs/{clash}.md", "T", "D", "O", TODAY, TODAY, ["public"])]
    with pytest.raises(EditorError) as caught:
        downloads.plan(pages, {}, [theme])
    assert caught.value.path == f"docs/{clash}.md"
    assert "the same as for the 7-minute briefing of docs/practice-themes/neglect.md" in caught.value.problem


def test_an_undefined_footnote_in_a_faq_answer_names_the_question_file():
    html = "<p>Yes.[^note]</p>"
    names = body_checks.undefined_footnotes(html)
    sources = [("docs/faq/index.md", "# FAQ\n", 5), ("docs/faq/q.md", "---\nid: q\n---\n\nYes.[^note]\n", 1)]
    error = body_checks.undefined_footnote_error(names[0], sources)
    assert (error.path, error.line) == ("docs/faq/q.md", 5)


def test_a_footnote_in_code_is_not_a_reference():
    assert body_checks.undefined_footnotes("<p>x</p><pre><code>[^1]</code></pre><p><code>[^2]</code></p>") == []


def test_what_is_not_a_heading_in_an_answer_passes():
    """A thematic break after a blank line, and a # line inside a code block, are not headings."""
    body_checks.check_answer("docs/faq/q.md", "Yes.\n\n---\n\nMore.\n\n```text\n# not a heading\n```\n", 5)


def test_a_title_heading_with_emphasis_or_an_anchor_matches_its_title():
    body_checks.check_title_heading("docs/x.md", "\n# *Making* a referral {#top}\n", 8, "Making a referral", 2)
    body_checks.check_title_heading("docs/x.md", "\n```text\n# a comment in code\n```\n", 8, "Anything", 2)


@pytest.mark.parametrize(
    "markdown",
    [
        "![A chart](../assets/chart.png)",
        "![A chart][chart]\n\n[chart]: ../assets/chart.png",
        "[A link, not an image](https://www.example.org/chart.png)",
        '```html\n<img src="https://www.example.org/x.png">\n```',
    ],
)
def test_own_images_and_links_to_other_sites_pass(markdown):
    safety.check_markdown(markdown, "docs/x.md", safety.load_allow_list(None))


def test_a_reference_style_image_from_another_site_is_refused():
    with pytest.raises(EditorError, match="another website"):
        safety.check_markdown(
            "![A chart][c]\n\n[c]: https://example.org/c.png", "docs/x.md", safety.load_allow_list({})
        )


def test_a_plain_svg_with_an_embedded_picture_passes():
    safety.check_svg('<svg><image href="data:image/png;base64,AAAA"/><a href="https://x.org">x</a></svg>', "a.svg")


def test_a_snippet_section_that_does_not_exist_is_named(tmp_path):
    (tmp_path / "part.md").write_text("--8<-- [start:one]\nText\n--8<-- [end:one]\n", encoding="utf-8")
    config = {"base_path": [str(tmp_path)], "check_paths": True}
    snippets.check('--8<-- "part.md:one"\n', "docs/x.md", config)
    with pytest.raises(EditorError) as caught:
        snippets.check('Text\n\n--8<-- "part.md:two"\n', "docs/x.md", config)
    assert caught.value.line == 3 and "names a section that its file does not have" in caught.value.problem


def test_characters_the_fonts_have_pass():
    """The real pages' characters are all printable (the build says so too); so are plain quotes and dashes."""
    fonts.check("\u2018quoted\u2019 \u2013 \u00a3100 na\u00efve", "docs/x.md")


@pytest.mark.parametrize("heading", ["## More detail", "More detail\n===", "### More detail ###"])
def test_a_heading_in_a_faq_answer_names_its_line(heading):
    with pytest.raises(EditorError) as caught:
        body_checks.check_answer("docs/faq/q.md", f"\nYes.\n\n{heading}\n\nA letter.\n", 7)
    assert caught.value.line == 10 and "the answer contains a heading ('More detail')" in caught.value.problem


def test_make_lint_names_a_word_file_and_every_file_with_a_mistake(tmp_path):
    """`make lint` (scripts/check_front_matter.py) reads the pages as the build does: no traceback, one message
    for each file."""
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copytree(ROOT / "hooks", tmp_path / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts/check_front_matter.py", tmp_path / "scripts")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    write(
        tmp_path,
        {
            "docs/zz-word.md": WORD_FILE,
            "docs/zz-future.md": EVERY_FILE["last-reviewed-in-the-future"].files["docs/zz-future.md"],
        },
    )
    result = subprocess.run(
        [sys.executable, "scripts/check_front_matter.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "docs/zz-word.md: this is a Word document" in result.stderr
    assert "docs/zz-future.md, line 5: `last_reviewed` is" in result.stderr
