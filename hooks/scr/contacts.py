"""Contacts: one list in mkdocs.yml, shown on pages wherever an editor puts <!-- contact: KEY -->."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers
from phonenumbers import shortnumberinfo

from . import names as names_mod
from .errors import EditorError
from .templates import render
from .yaml_source import SourceMap

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


def load(raw: object, source: SourceMap | None = None, names: dict[str, str] | None = None) -> dict[str, Contact]:
    """Check `extra.contacts` from mkdocs.yml and return it keyed by name.

    `source` gives each mistake its line in mkdocs.yml; `names` (extra.names) catches a name written
    as its key without the * that would have looked it up (`name: partnership-board`)."""
    where = f"{source.file('extra', 'contacts') if source else 'mkdocs.yml'} (extra.contacts)"

    def error(problem: str, fix: str, *keys: str) -> EditorError:
        return EditorError(where, problem, fix, line=source.line("extra", "contacts", *keys) if source else None)

    if not isinstance(raw, dict) or not raw:
        raise error("there are no contacts.", "add the contacts under `extra: contacts:`.")
    contacts = {}
    allowed = {"name", "short", "phone", "hours", "note", "url"}
    for key, value in raw.items():
        if not isinstance(key, str) or not re.fullmatch(r"[\w-]+", key):
            raise error(
                f"the contact name {key!r} is not a key.",
                "name each contact with lower-case letters, digits and hyphens, for example business-manager:.",
                str(key),
            )
        if not isinstance(value, dict) or not value.get("name"):
            raise error(f"contact {key!r} has no name.", f"add `name:` under `{key}:`.", key)
        unknown = set(value) - allowed
        if unknown:
            first = sorted(unknown)[0]
            raise error(
                f"contact {key!r} has unknown field(s): {', '.join(sorted(unknown))}.",
                f"a contact can have: {', '.join(sorted(allowed))}.",
                key,
                first,
            )
        for name, text in value.items():
            if name == "phone" and isinstance(text, int) and not isinstance(text, bool):
                raise error(
                    *_unquoted_phone(key, text, source.written("extra", "contacts", key, name) if source else None),
                    key,
                    name,
                )
            if not isinstance(text, str | int) or isinstance(text, bool) or not str(text).strip():
                raise error(
                    f"contact {key!r} has {name}: {text!r}, which is not a line of text.",
                    f"write `{name}:` under `{key}:` followed by text on the same line.",
                    key,
                    name,
                )
        if not value.get("phone") and not value.get("url"):
            raise error(
                f"contact {key!r} has neither a phone number nor a web address.", "add `phone:` or `url:`.", key
            )
        if "phone" in value:
            problem = phone_problem(str(value["phone"]))
            if problem:
                raise error(
                    f"contact {key!r} has phone {value['phone']!r}, which is not a UK phone number: it {problem}.",
                    "check the number against its source and write it as it is dialled in the UK, in double "
                    'quotes, with spaces between the groups of digits, for example phone: "0345 045 5203" '
                    '(short numbers such as "999", "101", "111" and "116 123" are fine too).',
                    key,
                    "phone",
                )
        if "url" in value:
            problem = url_problem(str(value["url"]))
            if problem:
                raise error(
                    f"contact {key!r} has url: {value['url']}, which {problem}.", url_fix(str(value["url"])), key, "url"
                )
        if names and str(value["name"]).strip() in names:
            raise error(
                *names_mod.written_without_star("name", str(value["name"]).strip(), f"contact {key!r}"), key, "name"
            )
        contacts[key] = Contact(key=key, **{k: str(v).strip() for k, v in value.items()})
    return contacts


def _unquoted_phone(key: str, number: int, typed: str | None) -> tuple[str, str]:
    """A phone number written without quotation marks: YAML reads it as a number (an octal one if it starts with 0)."""
    written = typed or str(number)
    shown = f"{number}" if typed and typed != str(number) else written
    return (
        f"contact {key!r} has its phone number {written} without quotation marks, so it is read as the number "
        f"{shown}, and every page would show that.",
        f'put it in double quotes, with spaces as it is usually written: phone: "{_spaced(written)}".',
    )


def _spaced(digits: str) -> str:
    """01733234724 -> 01733 234724, the way UK numbers are grouped; other lengths are left as they are."""
    try:
        number = phonenumbers.parse(digits, "GB")
    except phonenumbers.NumberParseException:
        return digits
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return digits


def phone_problem(phone: str) -> str | None:
    """Why `phone` is not a number a caller in the UK can dial (None when it is), by the UK numbering plan."""
    if not re.fullmatch(r"[0-9 ]+", phone.strip()):
        return "has characters other than digits and spaces"
    try:
        number = phonenumbers.parse(phone, "GB")
    except phonenumbers.NumberParseException:
        return "cannot be read as a phone number"
    if phonenumbers.is_valid_number(number) or shortnumberinfo.is_valid_short_number(number):
        return None
    digits = re.sub(r"\D", "", phone)
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.TOO_SHORT:
        return f"has {len(digits)} digits, too few for a UK number"
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return f"has {len(digits)} digits, too many for a UK number"
    return f"is not in the UK numbering plan ({len(digits)} digits; most UK numbers have 11, starting with 0)"


def url_problem(url: str) -> str | None:
    """Why `url` is not a whole web address (None when it is)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return "does not start with https://, so the link would lead to a page of this site that does not exist"
    if "." not in parts.netloc or " " in url.strip():
        return "is not a web address"
    return None


def url_fix(url: str) -> str:
    bare = url.strip().removeprefix("//")
    return (
        f"write the whole address, starting with https://, for example url: https://{bare}"
        if "://" not in bare
        else "write the whole address, starting with https://."
    )


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
