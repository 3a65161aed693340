"""The tag list kept in one place (extra.tags in mkdocs.yml), and the check every tagged file goes through."""

from __future__ import annotations

from .errors import EditorError
from .frontmatter import Document


def check_tags(doc: Document, known: dict[str, str]) -> list[str]:
    """Return the file's tags, or fail naming the unknown tag and the list to choose from."""
    raw = doc.meta.get("tags")
    tags = [raw] if isinstance(raw, str) else raw
    if not isinstance(tags, list) or not tags:
        raise EditorError(
            doc.path,
            "`tags` is missing or empty.",
            "add a list of one to four tags, for example tags: [neglect, risk-assessment].",
            line=doc.line_of("tags"),
        )
    for tag in tags:
        if tag not in known:
            raise EditorError(
                doc.path,
                f"unknown tag {tag!r}.",
                f"use tags from the list under `extra: tags:` in mkdocs.yml ({', '.join(known)}), "
                "or add the new tag there first.",
                line=doc.line_of("tags"),
            )
    return list(tags)
