"""The pages due for review, now or within 60 days, with their owners and dates.

Reads the front matter exactly as the build does (scripts/check_front_matter.py). Prints one line per
page, or with --markdown the body of the "Reviews due" issue that .github/workflows/reviews-due.yml
opens, updates and closes. Under GitHub Actions it also writes `count=N` (pages listed) to
$GITHUB_OUTPUT, so the workflow knows whether to open or close the issue.

Usage: .venv/bin/python scripts/reviews_due.py [--markdown FILE] [--today YYYY-MM-DD] [--root DIR]
SCR_TODAY=YYYY-MM-DD does what --today does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check_front_matter():
    spec = importlib.util.spec_from_file_location(
        "check_front_matter", Path(__file__).with_name("check_front_matter.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_front_matter = _check_front_matter()  # puts hooks/ on sys.path

from scr import reviews  # noqa: E402
from scr.errors import EditorError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", metavar="FILE", help="write the issue body (Markdown) to FILE ('-': print it)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="the day to compare review dates with")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (the one with mkdocs.yml)")
    args = parser.parse_args(argv)
    try:
        today = args.today or reviews.today()
        content = check_front_matter.read(args.root, today)
    except EditorError as error:
        print(error.message, file=sys.stderr)
        return 1
    pages = list(content.governance.values())
    listed = reviews.listed(pages, today)
    if args.markdown == "-":
        print(reviews.issue_body(pages, today), end="")
    elif args.markdown:
        Path(args.markdown).write_text(reviews.issue_body(pages, today), encoding="utf-8")
    else:
        for review in listed:
            print(reviews.message(review, today))
        if not listed:
            print(f"No page is due for review in the next {reviews.NOTICE_DAYS} days.")
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
            output.write(f"count={len(listed)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
