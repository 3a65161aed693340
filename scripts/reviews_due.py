"""List the pages whose review has passed or falls due within 60 days, for the weekly "Reviews due" issue.

    .venv/bin/python scripts/reviews_due.py reviews-due.md

Writes the issue's body (a table of pages, owners and dates) to the file named, prints the list, and,
on GitHub Actions, sets the step output `due` to how many pages are listed (0 closes the issue).
It reads the front matter the way the build does (scripts/check_front_matter.py). Never fails for a
due review: only for a mistake in the front matter, which the build would refuse too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from check_front_matter import read_site

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from scr import reviews  # noqa: E402
from scr.errors import EditorError  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        content = read_site()
    except EditorError as error:
        print(error.message, file=sys.stderr)
        return 1
    due = content.due_reviews()
    Path(argv[1]).write_text(reviews.report(due, content.settings.today) + "\n", encoding="utf-8")
    for review in due:
        print(review.message)
    print(f"reviews due: {len(due)} page(s)")
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
            output.write(f"due={len(due)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
