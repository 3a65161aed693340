"""Check every page's front matter against the schema the build uses, without building the site.

Run: `.venv/bin/python scripts/check_front_matter.py [PROJECT_DIR]` (`make lint` does). It calls the
project's own checker (hooks/scr), so a mistake gets the same message as in `make build`. It also lists
the pages due for review now or within 60 days, with their owners: a list, never a failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from scr import reviews  # noqa: E402
from scr.errors import EditorError  # noqa: E402
from scr.site import Settings, SiteContent, check_top_level  # noqa: E402
from scr.yaml_source import load_config_file  # noqa: E402


def is_faq_question(rel: Path) -> bool:
    """A question file under docs/faq/ (faq/index.md is the FAQ page itself)."""
    return rel.parent == Path("faq") and rel.name != "index.md"


def read(root: Path = ROOT, today=None) -> SiteContent:
    """mkdocs.yml's settings and every Markdown file under docs/ (pages, practice themes, FAQ questions), read and
    checked as the build reads them. Raises EditorError."""
    config, source = load_config_file(root / "mkdocs.yml")
    if not isinstance(config, dict):
        raise EditorError("mkdocs.yml", "the file is not a list of settings.", "restore it from the last good version.")
    content = SiteContent(Settings.from_extra(config.get("extra") or {}, today or reviews.today(), source))
    check_top_level(config, content, source)
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
    """Check every Markdown file under docs/ as the build reads it; return how many were checked."""
    content = read(root)
    return len(content.documents) + len(content.questions)


def main(argv: list[str]) -> int:
    try:
        content = read(Path(argv[1]) if len(argv) > 1 else ROOT)
    except EditorError as error:
        print(error.message, file=sys.stderr)
        return 1
    print(f"front matter: {len(content.documents) + len(content.questions)} files OK")
    # Listed, never failed: a due review does not stop anything (CONTRIBUTING.md, "When a review is due").
    for message in reviews.messages(content.governance.values(), content.settings.today):
        print(f"review: {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
