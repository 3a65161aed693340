"""The document register: every guidance page with its owner, review dates and status."""

from __future__ import annotations

import datetime as dt

from .frontmatter import Governance
from .templates import render

PATH = "document-register.md"


def render_register(
    pages: list[Governance], statuses: dict[str, str], today: dt.date, pdfs: dict[str, str] | None = None
) -> str:
    """Markdown for the register page, in the order given (navigation order), with PDF links when made."""
    rows = [
        {
            "page": page,
            "link": page.path.removeprefix("docs/"),
            "status": statuses.get(page.status, page.status),
            "overdue": page.overdue(today),
            "pdf": (pdfs or {}).get(page.path.removeprefix("docs/")),
        }
        for page in pages
    ]
    return render("register.md", rows=rows, today=today, overdue=sum(r["overdue"] for r in rows))
