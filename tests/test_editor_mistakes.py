"""The catalogue of editors' mistakes: each case builds a copy of the site with one thing broken.

For every case the build must fail, and its output must name the file (and the line, where it
is known), say what is wrong and how to fix it, without a Python traceback. The same messages
are quoted in CONTRIBUTING.md, "Read a build error and fix it".
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pytest
from conftest import DOCS, build_site
from scr import messages

GOOD_DATES = "last_reviewed: 2026-11-26\nreview_due: 2027-11-26"
# The owner line of the page the front matter cases break, read from the page so that a new owner passes.
PRIVACY_OWNER = re.search(r"^owner: .*\n", (DOCS / "privacy.md").read_text(encoding="utf-8"), re.M).group(0)
NEW_PAGE = """---
title: Training events
description: Training on the learning from reviews, for practitioners and managers.
owner: Safeguarding Partnership Board business unit
last_reviewed: 2026-11-26
review_due: 2027-11-26
audience: [practitioners, managers]
status: current
---

# Training events

The board runs training on the learning from serious case reviews for practitioners and managers.
"""


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


def replace(path: str, old: str, new: str) -> tuple[Edit, ...]:
    return (Edit(path, old, new),)


def add_to_privacy(text: str) -> tuple[Edit, ...]:
    """A new paragraph under the Privacy page's heading."""
    return replace("docs/privacy.md", "# Privacy\n", f"# Privacy\n\n{text}\n")


MISTAKES = {
    # Front matter
    "malformed-yaml-unquoted-colon": Mistake(
        replace("docs/privacy.md", "description: What this website", "description: Privacy: what this website"),
        "docs/privacy.md",
        "the front matter is not valid YAML",
        line_with="description: Privacy: what",
    ),
    "search-boost-not-a-number": Mistake(
        replace("docs/worried-about-a-child.md", "  boost: 3", "  boost: high"),
        "docs/worried-about-a-child.md",
        "`search: boost:` is 'high'; it must be a number from 0.1 to 10.0",
        line_with="search:",
    ),
    "impossible-date": Mistake(
        replace("docs/privacy.md", "last_reviewed: 2026-11-26", "last_reviewed: 2026-02-30"),
        "docs/privacy.md",
        "`last_reviewed` is 2026-02-30, which is not a real date",
        line_with="last_reviewed:",
    ),
    "date-not-year-month-day": Mistake(
        replace("docs/privacy.md", "review_due: 2027-11-26", "review_due: 26/11/2027"),
        "docs/privacy.md",
        "which is not a date in the form year-month-day",
        line_with="review_due:",
    ),
    "review-due-before-last-reviewed": Mistake(
        replace("docs/privacy.md", GOOD_DATES, "last_reviewed: 2026-11-26\nreview_due: 2026-01-26"),
        "docs/privacy.md",
        "is after `review_due`",
        line_with="review_due:",
    ),
    "missing-owner": Mistake(
        replace("docs/privacy.md", PRIVACY_OWNER, ""),
        "docs/privacy.md",
        "the front matter has no `owner`",
        line_with="---",
    ),
    "unknown-audience": Mistake(
        replace("docs/privacy.md", "audience: [public]", "audience: [parents]"),
        "docs/privacy.md",
        "unknown audience 'parents'",
        line_with="audience:",
    ),
    "overdue-review": Mistake(
        replace("docs/privacy.md", GOOD_DATES, "last_reviewed: 2024-01-10\nreview_due: 2025-01-10"),
        "docs/privacy.md",
        "the review was due on 2025-01-10 and is overdue",
        fix="then set last_reviewed to the date of the review and review_due to the next one",
    ),
    # Links and navigation (MkDocs' own checks, reworded by hooks/scr/messages.py)
    "broken-link": Mistake(
        replace("docs/contact.md", "(worried-about-a-child.md)", "(worried-about-child.md)"),
        "docs/contact.md",
        "the link 'worried-about-child.md' goes to docs/worried-about-child.md, which does not exist",
        fix="How to fix it: check the file name and the folder in the link: it is relative to this page, and `../` "
        "goes up one folder. Did you mean 'worried-about-a-child.md'?",
        line_with="(worried-about-child.md)",
    ),
    "broken-link-in-faq-answer": Mistake(
        replace("docs/faq/can-i-refer-a-case.md", "(../referrals/referral-form.md)", "(../referral-form.md)"),
        "docs/faq/can-i-refer-a-case.md",
        "the link '../referral-form.md' goes to docs/referral-form.md, which does not exist",
        fix="Did you mean '../referrals/referral-form.md'?",
        line_with="(../referral-form.md)",
    ),
    "link-to-missing-heading": Mistake(
        replace(
            "docs/contact.md",
            "(about-scrs.md#what-replaced-serious-case-reviews)",
            "(about-scrs.md#what-replaced-scrs)",
        ),
        "docs/contact.md",
        "the link 'about-scrs.md#what-replaced-scrs' goes to a heading that docs/about-scrs.md does not have",
        fix="How to fix it: point the link at a heading the page has (the closest: #what-replaced-serious-case-reviews",
        line_with="(about-scrs.md#what-replaced-scrs)",
    ),
    "link-without-md": Mistake(
        replace("docs/accessibility.md", "(contact.md)", "(contact)"),
        "docs/accessibility.md",
        "the link 'contact' does not name a page's file",
        fix="How to fix it: link to the Markdown file of the page, ending in .md and relative to this page, "
        "for example 'contact.md'",
        line_with="(contact)",
    ),
    "absolute-link": Mistake(
        replace("docs/contact.md", "(accessibility.md)", "(/accessibility.md)"),
        "docs/contact.md",
        "the link '/accessibility.md' starts with /",
        fix="How to fix it: write the link relative to this page, for example 'accessibility.md'",
        line_with="(/accessibility.md)",
    ),
    "page-not-in-nav": Mistake(
        (Edit("docs/training-events.md", None, NEW_PAGE),),
        "docs/training-events.md",
        "this page is not in the site's navigation",
        fix="How to fix it: add it under `nav:` in mkdocs.yml, in the right section, as "
        "`- Training events: training-events.md`",
    ),
    "nav-names-missing-file": Mistake(
        replace("mkdocs.yml", "- Privacy: privacy.md", "- Privacy: privacy-policy.md"),
        "mkdocs.yml",
        "`nav:` lists 'privacy-policy.md', but there is no file docs/privacy-policy.md",
        fix="Did you mean 'privacy.md'?",
        line_with="privacy-policy.md",
    ),
    "malformed-mkdocs-yml": Mistake(
        replace("mkdocs.yml", "site_name: Serious Case Reviews\n", "site_name: Serious Case Reviews: guidance\n"),
        "mkdocs.yml",
        "error parsing the configuration file: mapping values are not allowed here",
        fix="Error:",  # MkDocs stops before the hook loads; CONTRIBUTING.md explains this message
        line_with="site_name:",
        line_format='{file}", line {line}',
    ),
    # FAQ, practice themes, contacts and the referral form
    "duplicate-faq-id": Mistake(
        replace("docs/faq/can-i-refer-a-case.md", "id: can-i-refer-a-case", "id: when-do-you-have-an-scr"),
        "docs/faq/when-do-you-have-an-scr.md",
        "the id 'when-do-you-have-an-scr' is already used by docs/faq/can-i-refer-a-case.md",
        fix="How to fix it: give this question a different id",
    ),
    "unknown-tag-in-theme": Mistake(
        replace("docs/practice-themes/neglect.md", "tags: [neglect, risk-assessment]", "tags: [neglect, risk]"),
        "docs/practice-themes/neglect.md",
        "unknown tag 'risk'",
        fix="How to fix it: use tags from the list under `extra: tags:` in mkdocs.yml",
        line_with="tags:",
    ),
    "briefing-why-it-matters-two-sentences": Mistake(
        replace(
            "docs/practice-themes/neglect.md",
            "why_it_matters: Neglect harms a child",
            "why_it_matters: Neglect is serious. Neglect harms a child",
        ),
        "docs/practice-themes/neglect.md",
        "`why_it_matters` has more than one sentence; box 2 of the briefing holds one",
        fix="How to fix it: keep the one sentence that says why this matters for the child",
        line_with="why_it_matters:",
    ),
    "unknown-contact-marker": Mistake(
        replace("docs/contact.md", "<!-- contact: business-manager -->", "<!-- contact: buisness-manager -->"),
        "docs/contact.md",
        "unknown contact 'buisness-manager'",
        line_with="buisness-manager",
    ),
    "malformed-form-field": Mistake(
        replace("docs/referrals/referral-form.md", "- [date] Date of referral", "- [datum] Date of referral"),
        "docs/referrals/referral-form.md",
        "unknown answer type [datum]",
        line_with="- [datum] Date of referral",
    ),
    # Wrong shapes: a list where one value is expected, a quoted true/false, a setting removed
    "status-as-a-list": Mistake(
        replace("docs/privacy.md", "status: current", "status: [current]"),
        "docs/privacy.md",
        "`status` is ['current'], but it takes one status, not a list or a block",
        fix="write it on one line, for example `status: current`",
        line_with="status:",
    ),
    "faq-topic-as-a-list": Mistake(
        replace("docs/faq/can-i-refer-a-case.md", "topic: when", "topic: [when]"),
        "docs/faq/can-i-refer-a-case.md",
        "`topic` is ['when'], but it takes one topic",
        line_with="topic:",
    ),
    "audience-list-in-a-list": Mistake(
        replace("docs/privacy.md", "audience: [public]", "audience: [[public]]"),
        "docs/privacy.md",
        "`audience` holds ['public'], which is not one audience",
        line_with="audience:",
    ),
    "tag-list-in-a-list": Mistake(
        replace("docs/practice-themes/neglect.md", "tags: [neglect, risk-assessment]", "tags: [neglect, [risk]]"),
        "docs/practice-themes/neglect.md",
        "`tags` holds ['risk'], which is not one tag",
        line_with="tags:",
    ),
    "emergency-switch-quoted": Mistake(
        replace("mkdocs.yml", "allow_overdue_reviews: false", 'allow_overdue_reviews: "false"'),
        "mkdocs.yml (extra.allow_overdue_reviews)",
        "`allow_overdue_reviews` is 'false', which is not true or false",
        fix="write `allow_overdue_reviews: false` (or `true`), without quotation marks",
    ),
    "worried-banner-deleted": Mistake(
        replace("mkdocs.yml", "  worried_banner:\n    - emergency\n", "  not_the_banner:\n    - emergency\n"),
        "mkdocs.yml (extra.worried_banner)",
        "`worried_banner` is missing or empty. Every page shows these numbers",
    ),
    "form-contact-renamed-in-contacts-and-pages": Mistake(
        (
            Edit("mkdocs.yml", "    business-manager:\n", "    lscb-business-manager:\n"),
            *(
                Edit(page, "<!-- contact: business-manager -->", "<!-- contact: lscb-business-manager -->")
                for page in (  # every page that shows the form's contact, read from docs/
                    f"docs/{path.relative_to(DOCS).as_posix()}"
                    for path in sorted(DOCS.rglob("*.md"))
                    if "<!-- contact: business-manager -->" in path.read_text(encoding="utf-8")
                )
            ),
        ),
        "mkdocs.yml (extra.form_contact)",
        "the referral form's contact 'business-manager' is not under `extra: contacts:`",
        fix="set `form_contact:` under `extra:` to one of",
    ),
    "unknown-contact-in-faq-answer": Mistake(
        replace(
            "docs/faq/can-i-refer-a-case.md",
            "tags: [review-process, working-together]\n---\n",
            "tags: [review-process, working-together]\n---\n\n<!-- contact: nobody -->\n",
        ),
        "docs/faq/can-i-refer-a-case.md",
        "unknown contact 'nobody'",
        line_with="<!-- contact: nobody -->",
    ),
    "two-pages-one-pdf-name-in-the-preview": Mistake(
        (Edit("docs/referrals/privacy.md", None, NEW_PAGE),),
        "docs/referrals/privacy.md",
        "its PDF would be downloads/privacy.pdf, the same as for docs/privacy.md",
        fix="rename one of the two files",
    ),
    # The safety checks: raw HTML and likely personal data
    "script-tag": Mistake(
        add_to_privacy("<script>alert(1)</script>"),
        "docs/privacy.md",
        "the page contains the HTML tag <script>",
        line_with="<script>",
    ),
    "javascript-link": Mistake(
        add_to_privacy('See <a href="javascript:alert(1)">x</a> for details.'),
        "docs/privacy.md",
        "uses a `javascript:` address",
        line_with="javascript:",
    ),
    "nhs-number": Mistake(
        add_to_privacy("The child's NHS number was 943 476 5919."),
        "docs/privacy.md",
        "looks like an NHS number",
        line_with="943 476 5919",
    ),
    "email-address": Mistake(
        add_to_privacy("Write to jane.smith@example.org.uk with questions."),
        "docs/privacy.md",
        "email address",
        line_with="jane.smith@",
    ),
}


def apply(project, edit: Edit) -> None:
    path = project / edit.path
    if edit.old is None:
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
