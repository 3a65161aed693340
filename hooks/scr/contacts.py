"""Contacts: one list in mkdocs.yml, shown on pages wherever an editor puts <!-- contact: KEY -->."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import EditorError
from .templates import render

MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--\s*contact:\s*(?P<key>[\w-]+)\s*-->[ \t]*$", re.M)
LOOSE_MARKER = re.compile(r"<!--\s*contact\b.*?-->", re.S)


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    short: str | None = None
    phone: str | None = None
    hours: str | None = None
    note: str | None = None
    url: str | None = None

    @property
    def tel(self) -> str | None:
        """The number as a tel: link target in international form (0345 ... becomes +44345 ...)."""
        if not self.phone:
            return None
        digits = re.sub(r"\D", "", self.phone)
        if len(digits) > 4 and digits.startswith("0"):
            digits = "+44" + digits[1:]
        return f"tel:{digits}"


def load(raw: object) -> dict[str, Contact]:
    """Check `extra.contacts` from mkdocs.yml and return it keyed by name."""
    where = "mkdocs.yml (extra.contacts)"
    if not isinstance(raw, dict) or not raw:
        raise EditorError(where, "there are no contacts.", "add the contacts under `extra: contacts:`.")
    contacts = {}
    allowed = {"name", "short", "phone", "hours", "note", "url"}
    for key, value in raw.items():
        if not isinstance(key, str) or not re.fullmatch(r"[\w-]+", key):
            raise EditorError(
                where,
                f"the contact name {key!r} is not a key.",
                "name each contact with lower-case letters, digits and hyphens, for example business-manager:.",
            )
        if not isinstance(value, dict) or not value.get("name"):
            raise EditorError(where, f"contact {key!r} has no name.", f"add `name:` under `{key}:`.")
        unknown = set(value) - allowed
        if unknown:
            raise EditorError(
                where,
                f"contact {key!r} has unknown field(s): {', '.join(sorted(unknown))}.",
                f"a contact can have: {', '.join(sorted(allowed))}.",
            )
        for name, text in value.items():
            if not isinstance(text, str | int) or isinstance(text, bool) or not str(text).strip():
                raise EditorError(
                    where,
                    f"contact {key!r} has {name}: {text!r}, which is not a line of text.",
                    f"write `{name}:` under `{key}:` followed by text on the same line.",
                )
        if not value.get("phone") and not value.get("url"):
            raise EditorError(
                where, f"contact {key!r} has neither a phone number nor a web address.", "add `phone:` or `url:`."
            )
        phone = value.get("phone")
        if phone is not None and not re.fullmatch(r"[0-9 ]{3,16}", str(phone)):
            raise EditorError(
                where,
                f"contact {key!r} has phone {phone!r}, which is not a UK phone number.",
                'write digits and spaces only, in quotes, for example phone: "0345 045 5203".',
            )
        contacts[key] = Contact(key=key, **{k: (str(v) if v is not None else None) for k, v in value.items()})
    return contacts


def render_markers(markdown: str, path: str, contacts: dict[str, Contact], first_line: int = 1) -> str:
    """Replace each <!-- contact: KEY --> marker with its contact card."""

    def line_of(pos: int) -> int:
        return first_line + markdown.count("\n", 0, pos)

    for loose in LOOSE_MARKER.finditer(markdown):
        strict = MARKER.match(markdown, markdown.rfind("\n", 0, loose.start()) + 1)
        if not strict or strict.group("indent"):
            raise EditorError(
                path,
                f"this contact marker is not on a line of its own: {loose.group(0)!r}.",
                "write it as <!-- contact: KEY --> alone on its own line, not indented, "
                "with a blank line above and below.",
                line=line_of(loose.start()),
            )

    def replace(match: re.Match) -> str:
        key = match.group("key")
        if key not in contacts:
            raise EditorError(
                path,
                f"unknown contact {key!r}.",
                f"use one of: {', '.join(contacts)}; or add {key!r} under `extra: contacts:` in mkdocs.yml.",
                line=line_of(match.start()),
            )
        return render("contact.html", contact=contacts[key]).strip()

    return MARKER.sub(replace, markdown)
