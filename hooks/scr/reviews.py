"""When each page's review is due: listed ahead of time, marked once it has passed, never a reason to stop publishing.

A page past its review date may still be right, and a site that cannot publish cannot correct a phone
number either. So a due review is information for the page's owner (the build log, `make lint`, a weekly
"Reviews due" issue) and for readers (a note on the page and in the register), never a failed build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .templates import uk_date

DUE_SOON_DAYS = 60  # how far ahead a coming review is listed


@dataclass(frozen=True)
class DueReview:
    """One page whose review is coming up or has passed."""

    path: str
    title: str
    owner: str
    review_due: dt.date
    line: int
    overdue: bool

    @property
    def message(self) -> str:
        where = f"{self.path}, line {self.line}"
        if self.overdue:
            return (
                f"{where}: the review was due on {self.review_due:%Y-%m-%d} (owner: {self.owner}). The page is "
                "published with a note saying its review is due. After the review, set last_reviewed and review_due "
                "(CONTRIBUTING.md, 'When a review is due')."
            )
        return f"{where}: the review is due on {self.review_due:%Y-%m-%d} (owner: {self.owner})."


def due_reviews(pages: Iterable, on: dt.date) -> list[DueReview]:
    """Every page whose review falls due within DUE_SOON_DAYS of `on`, or has passed, soonest first."""
    horizon = on + dt.timedelta(days=DUE_SOON_DAYS)
    found = [
        DueReview(page.path, page.title, page.owner, page.review_due, page.review_due_line, page.review_due < on)
        for page in pages
        if page.review_due <= horizon
    ]
    return sorted(found, key=lambda review: (review.review_due, review.path))


def report(reviews: list[DueReview], on: dt.date) -> str:
    """The body of the weekly "Reviews due" issue: a Markdown table of pages, owners and dates."""
    if not reviews:
        return f"No page is due for review in the {DUE_SOON_DAYS} days from {uk_date(on)}."

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = [
        f"| `{r.path}` | {cell(r.title)} | {cell(r.owner)} | {uk_date(r.review_due)} | "
        f"{'Overdue' if r.overdue else 'Due soon'} |"
        for r in reviews
    ]
    return "\n".join(
        [
            f"Pages whose review has passed or falls due in the {DUE_SOON_DAYS} days from {uk_date(on)}. "
            "Each is still published; an overdue page shows a note saying its review is due.",
            "",
            "| File | Page | Owner | Review due | State |",
            "| --- | --- | --- | --- | --- |",
            *rows,
            "",
            "After a review, set `last_reviewed` and `review_due` in the page's front matter "
            "(CONTRIBUTING.md, 'When a review is due'). This issue closes itself when no review is due.",
        ]
    )
