"""Check every page's front matter against the schema the build uses, without building the site.

Run from the repository root: `.venv/bin/python scripts/check_front_matter.py`. It calls the
project's own checker (hooks/scr), so a mistake gets the same message as in `make build`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from scr import config_file  # noqa: E402
from scr.errors import EditorError  # noqa: E402
from scr.site import Settings, SiteContent  # noqa: E402


def load_extra(root: Path = ROOT) -> dict:
    """The `extra:` section of mkdocs.yml, read as `make build` reads it. Raises EditorError."""
    return config_file.load(root / "mkdocs.yml").get("extra") or {}


def is_faq_question(rel: Path) -> bool:
    """A question file under docs/faq/ (faq/index.md is the FAQ page itself)."""
    return rel.parent == Path("faq") and rel.name != "index.md"


def read_site(root: Path = ROOT) -> SiteContent:
    """Every Markdown file under docs/ read as the build reads it (pages, practice themes, FAQ questions,
    and mkdocs.yml's `extra:`). Raises EditorError."""
    content = SiteContent(Settings.from_extra(load_extra(root)))
    docs = root / "docs"
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs)
        if rel.parts[0] == "_snippets":
            continue
        text = path.read_text(encoding="utf-8-sig")
        if is_faq_question(rel):
            content.read_question(rel.as_posix(), text)
        else:
            content.read_page(rel.as_posix(), text)
    content.finish()  # each question id must be unique
    return content


def check(root: Path = ROOT) -> int:
    """Check every Markdown file under docs/; return how many were checked. Raises EditorError."""
    content = read_site(root)
    return len(content.documents) + len(content.questions)


def main() -> int:
    try:
        content = read_site()
    except EditorError as error:
        print(error.message, file=sys.stderr)
        return 1
    print(f"front matter: {len(content.documents) + len(content.questions)} files OK")
    for review in content.due_reviews():  # for the owners' information: never a failure
        print("review due: " + review.message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
