"""A due review is listed for its owner ahead of time, marked on the page once passed, and never stops publishing.

Dates come from the pages' own front matter; "today" is moved with SCR_TODAY, so these tests do not
depend on the calendar or on today's review dates.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import DOCS, ROOT, build_site, guidance_sources, page_for

sys.path.insert(0, str(ROOT / "hooks"))
from scr import reviews  # noqa: E402
from scr.frontmatter import Governance  # noqa: E402
from scr.templates import uk_date  # noqa: E402

PAGES = guidance_sources()
LAST_DUE = max(meta["review_due"] for meta in PAGES.values())


def governance(path: str, due: dt.date, owner: str = "Business unit") -> Governance:
    return Governance(
        path, f"Title of {path}", "d", owner, due - dt.timedelta(days=365), due, ["public"], review_due_line=6
    )


@pytest.fixture(scope="module")
def all_overdue(tmp_path_factory):
    """The real site built on the day after the last review date of any page: every page is overdue."""
    out = tmp_path_factory.mktemp("all-overdue")
    day = LAST_DUE + dt.timedelta(days=1)
    # Without PDFs: test_yaml_and_reviews.py checks the note in a PDF; here every page would render again.
    result = build_site(ROOT, out / "site", {"SCR_TODAY": day.isoformat(), "SCR_PDF": "0"})
    return out / "site", result


def test_every_page_overdue_still_publishes(all_overdue):
    _, result = all_overdue
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_overdue_page_says_so_under_its_title_with_its_own_date(all_overdue):
    site, _ = all_overdue
    for src, meta in PAGES.items():
        soup = BeautifulSoup((site / page_for(src)).read_text(encoding="utf-8"), "html.parser")
        note = soup.select_one("article .admonition.warning")
        assert note, f"{src}: no review note"
        assert f"Due for review since {uk_date(meta['review_due'])}" in note.get_text(), src
        assert meta["owner"] in note.get_text(), src
        # Under the title: nothing but other notes between the h1 and this one.
        assert note.find_previous("h1"), src


def test_the_log_lists_every_overdue_page_with_its_owner_and_line(all_overdue):
    _, result = all_overdue
    for src, meta in PAGES.items():
        line = next(
            n for n, text in enumerate((DOCS / src).read_text().splitlines(), 1) if text.startswith("review_due:")
        )
        due, owner = f"{meta['review_due']:%Y-%m-%d}", re.escape(meta["owner"])
        pattern = rf"docs/{re.escape(src)}, line {line}: the review was due on {due} \(owner: {owner}\)"
        assert re.search(pattern, result.stderr), f"{src} not listed:\n{result.stderr}"


def test_the_register_marks_every_page_overdue(all_overdue):
    site, _ = all_overdue
    register = BeautifulSoup((site / "document-register/index.html").read_text(encoding="utf-8"), "html.parser")
    rows = register.select("table tbody tr")
    assert len(rows) == len(PAGES)
    assert all("Overdue" in row.get_text() for row in rows)
    assert f"{len(PAGES)} documents are overdue for review" in register.get_text()


def test_a_page_not_yet_due_has_no_note(site):
    """The real site today (well before any review date in the test data's sense): no page carries the note."""
    today = dt.date.today()
    for src, meta in PAGES.items():
        html = (site / page_for(src)).read_text(encoding="utf-8")
        assert ("Due for review since" in html) == (meta["review_due"] < today), src


def test_due_reviews_lists_pages_within_sixty_days_soonest_first():
    today = dt.date(2030, 6, 1)
    pages = [
        governance("docs/late.md", today - dt.timedelta(days=1)),
        governance("docs/soon.md", today + dt.timedelta(days=reviews.DUE_SOON_DAYS)),
        governance("docs/later.md", today + dt.timedelta(days=reviews.DUE_SOON_DAYS + 1)),
        governance("docs/today.md", today),
    ]
    found = reviews.due_reviews(pages, today)
    assert [r.path for r in found] == ["docs/late.md", "docs/today.md", "docs/soon.md"]
    assert [r.overdue for r in found] == [True, False, False]
    assert "was due on 2030-05-31 (owner: Business unit)" in found[0].message
    assert "is due on 2030-06-01" in found[1].message


def test_the_weekly_issue_body_lists_pages_owners_and_dates():
    today = dt.date(2030, 6, 1)
    found = reviews.due_reviews(
        [governance("docs/a.md", dt.date(2030, 5, 2), "Chair | board"), governance("docs/b.md", dt.date(2030, 7, 1))],
        today,
    )
    body = reviews.report(found, today)
    assert "| `docs/a.md` | Title of docs/a.md | Chair \\| board | 2 May 2030 | Overdue |" in body
    assert "| `docs/b.md` | Title of docs/b.md | Business unit | 1 July 2030 | Due soon |" in body
    assert reviews.report([], today).startswith("No page is due for review")


def test_the_workflow_script_reports_the_count(tmp_path):
    """scripts/reviews_due.py, as the weekly workflow runs it: the body file and the `due` output."""
    output = tmp_path / "github-output"
    day = LAST_DUE + dt.timedelta(days=1)
    env = {**os.environ, "SCR_TODAY": day.isoformat(), "GITHUB_OUTPUT": str(output)}
    result = subprocess.run(
        [sys.executable, "scripts/reviews_due.py", str(tmp_path / "body.md")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert output.read_text() == f"due={len(PAGES)}\n"
    body = (tmp_path / "body.md").read_text()
    assert body.count("| Overdue |") == len(PAGES)
    # Sixty days before the earliest review date: only the pages due within those sixty days are listed.
    day = min(m["review_due"] for m in PAGES.values()) - dt.timedelta(days=reviews.DUE_SOON_DAYS)
    env["SCR_TODAY"] = day.isoformat()
    subprocess.run([sys.executable, "scripts/reviews_due.py", str(tmp_path / "body.md")], cwd=ROOT, env=env, check=True)
    expected = sum(m["review_due"] <= day + dt.timedelta(days=reviews.DUE_SOON_DAYS) for m in PAGES.values())
    assert output.read_text().splitlines()[-1] == f"due={expected}"
    assert (tmp_path / "body.md").read_text().count("| Due soon |") == expected


def test_lint_lists_due_reviews_without_failing():
    day = LAST_DUE + dt.timedelta(days=1)
    result = subprocess.run(
        [sys.executable, "scripts/check_front_matter.py"],
        cwd=ROOT,
        env={**os.environ, "SCR_TODAY": day.isoformat()},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("review due: ") == len(PAGES)


def test_a_wrong_today_setting_is_a_message_not_a_traceback(project_copy, tmp_path):
    result = build_site(project_copy, tmp_path / "out", {"SCR_TODAY": "31/03/2027"})
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "SCR_TODAY" in output and "year-month-day" in output
