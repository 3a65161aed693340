"""Review dates: which pages are due for review, soon or now.

A due review never stops the build. From NOTICE_DAYS before a page's `review_due`, the build log,
`make serve` and `make lint` list it with its owner; on and after the date, the page and its PDF
carry a "Due for review since ..." note and the document register marks it. The weekly "Reviews due"
workflow turns the same list into one issue (scripts/reviews_due.py).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import EditorError
from .frontmatter import Governance
from .templates import render, uk_date

NOTICE_DAYS = 60  # how long before its review date a page is listed
TODAY_VARIABLE = "SCR_TODAY"  # YYYY-MM-DD: the day to compare review dates with (tests, and to look ahead)


def today(environ: Mapping[str, str] = os.environ) -> dt.date:
    """Today, or the day SCR_TODAY names."""
    value = environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise EditorError(
            TODAY_VARIABLE,
            f"the environment variable {TODAY_VARIABLE} is {value!r}, which is not a date.",
            f"write it as year-month-day, for example {TODAY_VARIABLE}=2027-11-26, or unset it to use today.",
        ) from None


def is_due(page: Governance, on: dt.date) -> bool:
    """Due for review on and after its review date."""
    return page.review_due <= on


def is_due_soon(page: Governance, on: dt.date) -> bool:
    """Not yet due, but due within NOTICE_DAYS."""
    return on < page.review_due <= on + dt.timedelta(days=NOTICE_DAYS)


@dataclass(frozen=True)
class Review:
    """One page that is due for review, or soon will be."""

    page: Governance
    due: bool  # on or after its review date

    @property
    def link(self) -> str:
        return self.page.path.removeprefix("docs/")


def listed(pages: Iterable[Governance], on: dt.date) -> list[Review]:
    """The pages due now (earliest date first), then those due within NOTICE_DAYS (soonest first)."""
    due = [Review(page, True) for page in pages if is_due(page, on)]
    soon = [Review(page, False) for page in pages if is_due_soon(page, on)]
    key = lambda review: (review.page.review_due, review.page.path)  # noqa: E731
    return sorted(due, key=key) + sorted(soon, key=key)


def message(review: Review, on: dt.date) -> str:
    """One line for the build log and `make lint`: where, when, who."""
    page = review.page
    where = f"{page.path}, line {page.review_due_line}"
    if review.due:
        return (
            f"{where}: due for review since {uk_date(page.review_due)} (owner: {page.owner}). The page says so "
            "until the review is recorded: see CONTRIBUTING.md, 'When a review is due'."
        )
    days = (page.review_due - on).days
    return f"{where}: review due on {uk_date(page.review_due)}, in {days} day{'s' * (days != 1)} (owner: {page.owner})."


def messages(pages: Iterable[Governance], on: dt.date) -> list[str]:
    return [message(review, on) for review in listed(pages, on)]


def page_note(page: Governance, on: dt.date) -> str | None:
    """The note at the top of a page that is due for review (Markdown), or None."""
    return render("review-due-note.md", page=page) if is_due(page, on) else None


def issue_body(pages: Iterable[Governance], on: dt.date) -> str:
    """The body of the "Reviews due" issue (Markdown): pages, owners and dates."""
    return render("reviews-due-issue.md", reviews=listed(pages, on), today=on, notice_days=NOTICE_DAYS)
