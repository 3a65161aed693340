"""The tag list kept in one place (extra.tags in mkdocs.yml), and the check every tagged file goes through."""

from __future__ import annotations

from .errors import EditorError
from .frontmatter import MarkdownFile, some_of


def check_tags(doc: MarkdownFile, known: dict[str, str]) -> list[str]:
    """Return the file's tags, or fail naming the unknown tag and the list to choose from."""
    if doc.meta.get("tags") in (None, "", []):
        raise EditorError(
            doc.path,
            "`tags` is missing or empty.",
            "add a list of one to four tags, for example tags: [neglect, risk-assessment].",
            line=doc.line_of("tags"),
        )
    return some_of(
        doc,
        "tags",
        known,
        "tag",
        "[neglect, risk-assessment]",
        f"use tags from the list under `extra: tags:` in mkdocs.yml ({', '.join(known)}), "
        "or add the new tag there first.",
    )
