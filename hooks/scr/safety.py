"""Content safety: no raw HTML that runs code or embeds other sites, and no likely personal data on a page.

`check_markdown` reads a page's Markdown source as the editor wrote it and raises an EditorError for the
first problem in the file. Known false positives are allowed, each with a reason, in mkdocs.yml under
`extra: safety_allow_list:`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from .errors import EditorError
from .markdown_text import fenced_blocks

WHERE = "mkdocs.yml (extra.safety_allow_list)"
KINDS = ("emails", "phones", "postcodes", "phrases")

# Raw HTML.
DANGEROUS_TAG = re.compile(r"<(script|iframe|frame|frameset|object|embed|applet)(?![\w-])", re.I)
PAGE_TAG = re.compile(r"<(meta|base|form)(?![\w-])", re.I)  # tags that change the whole page or send data away
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\](?:\(\s*<?(?P<url>[^\s)>]*)|\[(?P<ref>[^\]\n]*)\])?")
LINK_DEFINITION = re.compile(r"^[ ]{0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*<?(?P<url>[^\s>]*)", re.M)
OTHER_SITE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # https://host/..., //host/...
ATTR_LIST = re.compile(r"\{:?[ ]*([^}\n ][^\n]*)\}")
ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]*))?")
EVENT_HANDLER = re.compile(r"on[a-z]+", re.I)
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "srcset", "poster", "background", "data"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
MARKDOWN_URL = re.compile(r"\]\(\s*<?(?P<inline>[^\s)>]*)|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<ref>[^\s>]*)", re.M)
COMMENT = re.compile(r"<!--(?!-?>).*?--!?>", re.S)

# Personal data.
NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
NI_NUMBER = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I
)
OUTWARD = r"[A-PR-UWYZ](?:\d\d?|[A-HK-Y]\d\d?|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY])"
POSTCODE = re.compile(rf"\b(?:GIR ?0AA|{OUTWARD} ?\d[ABD-HJLNP-UW-Z]{{2}})\b", re.I)
EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
PHONE = re.compile(r"(?<![\w+/.-])(?:\+ ?44|0044|\(?0)(?:\d|[ -](?=[\d(])|[()])*")
BIRTH_WORD = re.compile(
    r"(?<!\w)(?:born(?!\s+(?:of|out)\b)|dob|d\.\s?o\.\s?b\.?|date\s+of\s+birth|birth[\s-]?date)(?!\w)", re.I
)
MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?" + (
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
DATES = [
    re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d/-]|\.\d)"),
    re.compile(r"(?<![\d/.-])\d{4}([/-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?![\d/-])"),
    re.compile(rf"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+\d{{4}}\b", re.I),
    re.compile(rf"\b{MONTH}\s+{DAY},?\s+\d{{4}}\b", re.I),
]
SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")
NEAR = 30


@dataclass(frozen=True)
class AllowList:
    """Known false positives, each mapped to the reason it is safe to publish."""

    emails: dict[str, str]
    phones: dict[str, str]
    postcodes: dict[str, str]
    phrases: dict[str, str]


@dataclass(frozen=True)
class Finding:
    """One problem at a character offset of the page."""

    pos: int
    problem: str
    fix: str


def load_allow_list(raw: object) -> AllowList:
    """Check `extra.safety_allow_list` from mkdocs.yml (None means nothing is allowed)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise EditorError(WHERE, "it is not a list of kinds.", f"under it, write any of {_kinds()}, each with entries.")
    unknown = sorted(str(kind) for kind in set(raw) - set(KINDS))
    if unknown:
        raise EditorError(WHERE, f"unknown kind(s): {', '.join(unknown)}.", f"the kinds are {_kinds()}.")
    return AllowList(**{kind: _entries(kind, raw.get(kind)) for kind in KINDS})


def _kinds() -> str:
    return ", ".join(f"`{kind}:`" for kind in KINDS)


def _entries(kind: str, raw: object) -> dict[str, str]:
    """The entries of one kind, normalised, each with a non-empty reason."""
    if raw is None:
        return {}
    example = f'write each entry on its own line under `{kind}:` as "VALUE": the reason it is safe to publish.'
    if not isinstance(raw, dict):
        raise EditorError(WHERE, f"`{kind}:` is not a list of entries with reasons.", example)
    entries = {}
    for value, reason in raw.items():
        if not isinstance(value, str) or not value.strip():
            raise EditorError(WHERE, f"the entry {value!r} under `{kind}:` is not text.", example)
        if not isinstance(reason, str) or not reason.strip():
            raise EditorError(
                WHERE,
                f"the entry {value!r} under `{kind}:` has no reason.",
                f'write it as "{value}": followed by why it is safe to publish, for example '
                f'"{value}": published on the council\'s own website.',
            )
        entries[_normalise(kind, value)] = reason.strip()
    return entries


def _normalise(kind: str, value: str) -> str:
    """An allow-list entry in the form the checks compare against, or an EditorError."""
    if kind == "phrases":
        return value
    if kind == "emails" and EMAIL.fullmatch(value.strip()):
        return value.strip().lower()
    if kind == "postcodes" and POSTCODE.fullmatch(value.strip()):
        return normal_postcode(value)
    if kind == "phones" and _is_uk_phone(normal_phone(value)):
        return normal_phone(value)
    what = {"emails": "an email address", "postcodes": "a UK postcode", "phones": "a UK phone number"}[kind]
    raise EditorError(
        WHERE,
        f"the entry {value!r} under `{kind}:` is not {what}.",
        "correct it, or move it under `phrases:` to allow that exact text. Short numbers such as 999 need no entry.",
    )


def normal_phone(number: str) -> str:
    """A phone number as national digits only: +44 (0)1480 373582 becomes 01480373582."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0044"):
        digits = digits[4:]
    elif re.match(r"\s*\+\s?44", number):
        digits = digits[2:]
    else:
        return digits
    return "0" + digits.removeprefix("0")


def normal_postcode(postcode: str) -> str:
    """A postcode in upper case with a single space: cb30ap becomes CB3 0AP."""
    compact = re.sub(r"\s", "", postcode).upper()
    return f"{compact[:-3]} {compact[-3:]}"


def _is_uk_phone(digits: str) -> bool:
    return 10 <= len(digits) <= 11 and re.match(r"0[1-9]", digits) is not None


def check_markdown(text: str, path: str, allow: AllowList) -> None:
    """Raise an EditorError for the first unsafe HTML or likely personal data in a page's Markdown source."""
    html_text = _mask_code_and_comments(text)
    data_text = _blank_phrases(text, allow.phrases)
    html_checks = (_dangerous_tags, _page_tags, _html_attributes, _attr_lists, _markdown_urls, _other_site_images)
    data_checks = (_nhs_numbers, _ni_numbers, _dates_of_birth, _postcodes, _emails, _phones)
    firsts = [next(check(html_text), None) for check in html_checks]
    firsts += [next(check(data_text, allow), None) for check in data_checks]
    found = min((f for f in firsts if f), key=lambda f: f.pos, default=None)
    if found:
        raise EditorError(path, found.problem, found.fix, line=text.count("\n", 0, found.pos) + 1)


# Masking


def _blank(fragment: str) -> str:
    """Spaces in place of every character but newlines, so offsets and line numbers stay the same."""
    return re.sub(r"[^\n]", " ", fragment)


def _blank_phrases(text: str, phrases: dict[str, str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        text = text.replace(phrase, _blank(phrase))
    return text


def _mask_code_and_comments(text: str) -> str:
    """Blank closed fenced code blocks, then HTML comments: neither reaches the reader as HTML.

    Any other `<!` or `<?` is blanked too, so that `<!-->` or a bogus comment cannot hide a tag from the checks.
    """
    lines = text.split("\n")
    for block in fenced_blocks(lines):
        lines[block.start : block.stop] = [_blank(code) for code in lines[block.start : block.stop]]
    return re.sub(r"<[!?]", "  ", COMMENT.sub(lambda m: _blank(m.group(0)), "\n".join(lines)))


# Raw HTML checks


def _dangerous_tags(text: str) -> Iterator[Finding]:
    for match in DANGEROUS_TAG.finditer(text):
        yield Finding(
            match.start(),
            f"the page contains the HTML tag <{match.group(1).lower()}>, which could run code or show another "
            "website inside this one.",
            "delete the tag. To point readers to a video, form or document on another website, write a link "
            "instead, for example [Watch the training video](https://www.example.org/video).",
        )


PAGE_TAG_FINDINGS = {
    "meta": (
        "the page contains a <meta> tag, which changes how the whole page behaves (a refresh, for example, sends "
        "readers to another address after a delay).",
        "delete the tag. To send readers from a page that has moved, list the move under `extra: redirects:` in "
        "mkdocs.yml (see CONTRIBUTING.md, 'Rename or remove a page'); to point to another page, write a link.",
    ),
    "base": (
        "the page contains a <base> tag, which changes where every link and image on the page points.",
        "delete the tag, and write each link relative to this page, for example [Contact](contact.md).",
    ),
    "form": (
        "the page contains a <form> tag, which would collect what readers type and send it somewhere; this site "
        "collects nothing from its readers.",
        "delete the form. The fillable referral form is made from its own page (see CONTRIBUTING.md, 'Change a "
        "question on the referral form'); for a form on another website, write a link to it.",
    ),
}


def _page_tags(text: str) -> Iterator[Finding]:
    for match in PAGE_TAG.finditer(text):
        problem, fix = PAGE_TAG_FINDINGS[match.group(1).lower()]
        yield Finding(match.start(), problem, fix)


def _other_site_images(text: str) -> Iterator[Finding]:
    """Images from another website: the site's Content-Security-Policy (img-src 'self') would block them."""
    definitions = {m.group("label").strip().lower(): m.group("url") for m in LINK_DEFINITION.finditer(text)}
    found = []
    for match in MARKDOWN_IMAGE.finditer(text):
        url = match.group("url")
        if url is None:
            label = (match.group("ref") or match.group("alt")).strip().lower()
            url = definitions.get(label, "")
        found.append((match.start(), url))
    for pos, tag, attrs in _TagReader(text).tags:
        for name, value in attrs:
            if name.lower() in ("src", "srcset", "poster") and tag in ("img", "source", "video", "input", "image"):
                found.append((pos, (value or "").split(",")[0].strip()))
    for pos, url in sorted(found):
        if OTHER_SITE.match(url):
            yield Finding(
                pos,
                f"this image comes from another website ({url}). The site only shows its own images (its "
                "security policy blocks the rest), so readers would see a broken image.",
                "save the image in docs/assets/images/ (if you may reuse it) and show it with a path relative to "
                "this page, for example ![What the picture shows](assets/images/picture.png) (see CONTRIBUTING.md, "
                "'Tables and images'); name its source under it.",
            )


class _TagReader(HTMLParser):
    """Every start tag with its offset and attributes, read the way a browser reads them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tags: list[tuple[int, str, list[tuple[str, str | None]]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        self.tags.append((self.line_starts[line - 1] + column, tag, attrs))

    handle_startendtag = handle_starttag


def _html_attributes(text: str) -> Iterator[Finding]:
    for pos, tag, attrs in _TagReader(text).tags:
        yield from _attribute_findings(pos, f"the HTML tag <{tag}>", attrs)


def _attr_lists(text: str) -> Iterator[Finding]:
    for match in ATTR_LIST.finditer(text):
        attrs = [(m.group(1), m.group(2) and m.group(2).strip("\"'")) for m in ATTRIBUTE.finditer(match.group(1))]
        yield from _attribute_findings(match.start(), f"the attribute list {{{match.group(1)}}}", attrs)


def _attribute_findings(pos: int, where: str, attrs: list[tuple[str, str | None]]) -> Iterator[Finding]:
    """Event handlers (onclick=...) and javascript:/data: addresses among a tag's attributes."""
    for name, value in attrs:
        if value is not None and EVENT_HANDLER.fullmatch(name):
            yield Finding(
                pos,
                f"{where} has an `{name}=` attribute, which runs code in the reader's browser.",
                f"remove `{name}=...`. For a link, write it in Markdown: [link text](https://www.example.org/page).",
            )
        elif name.lower() in URL_ATTRIBUTES and _bad_scheme(value or ""):
            yield _bad_url(pos, _bad_scheme(value or ""))


def _markdown_urls(text: str) -> Iterator[Finding]:
    for match in MARKDOWN_URL.finditer(text):
        scheme = _bad_scheme(match.group("inline") or match.group("ref") or "")
        if scheme:
            yield _bad_url(match.start(), scheme)


def _bad_scheme(url: str) -> str | None:
    """The javascript:, data: or vbscript: scheme of a URL as a browser reads it (entities, spaces), if any."""
    seen = re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower()
    return next((scheme for scheme in BAD_SCHEMES if seen.startswith(scheme)), None)


def _bad_url(pos: int, scheme: str) -> Finding:
    return Finding(
        pos,
        f"a link or image here uses a `{scheme}` address, which can run code or hide content in the page.",
        "link to a web page starting https://, or to another page of this site, for example "
        "[Making a referral](referrals/making-a-referral.md); for an image, save the file in docs/ and link to it.",
    )


# Personal data checks


def _allow_fix(kind: str, value: str) -> str:
    """How to allow-list a false positive, with a reason."""
    return (
        f'If it is not personal data, allow it in mkdocs.yml under `extra: safety_allow_list: {kind}:` as "{value}": '
        "followed by the reason it is safe to publish."
    )


def _hide(found: str) -> str:
    """Personal data shown in the build log with all but its first two characters hidden."""
    return found[:2] + re.sub(r"\w", "x", found[2:])


def _nhs_numbers(text: str, allow: AllowList) -> Iterator[Finding]:
    for match in NHS_NUMBER.finditer(text):
        if _nhs_check_digit_ok("".join(match.groups())) and not _after_isbn(text, match.start()):
            yield Finding(
                match.start(),
                f"'{_hide(match.group(0))}' looks like an NHS number. Pages must never identify a child or family.",
                "remove it; to show the format, write XXX XXX XXXX. "
                + _allow_fix("phrases", "the exact text from that line"),
            )


def _after_isbn(text: str, pos: int) -> bool:
    """True if the number at pos follows the word ISBN (a book's ISBN-10 can pass as an NHS or phone number)."""
    return re.search(r"\bISBN(?:-10)?:?\s*$", text[max(0, pos - 12) : pos], re.I) is not None


def _nhs_check_digit_ok(digits: str) -> bool:
    """True if the tenth digit is the modulus-11 check digit of the first nine (weights 10 down to 2)."""
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return check != 10 and (check % 11) == int(digits[9])


def _ni_numbers(text: str, allow: AllowList) -> Iterator[Finding]:
    for match in NI_NUMBER.finditer(text):
        yield Finding(
            match.start(),
            f"'{_hide(match.group(0))}' looks like a National Insurance number. Pages must never identify a person.",
            "remove it; to show the format, write QQ 12 34 56 C (HMRC's example). "
            + _allow_fix("phrases", "the exact text from that line"),
        )


def _dates_of_birth(text: str, allow: AllowList) -> Iterator[Finding]:
    words = list(BIRTH_WORD.finditer(text))
    dates = sorted((m for pattern in DATES for m in pattern.finditer(text) if _real_date(m)), key=lambda m: m.start())
    for date in dates:
        if any(_near(text, word, date) for word in words):
            yield Finding(
                date.start(),
                f"'{_hide(date.group(0))}' next to a word such as 'born' or 'date of birth' looks like a person's "
                "date of birth.",
                "remove the date, or give an age instead (for example 'a baby under one year old'). "
                + _allow_fix("phrases", "the exact text from that line"),
            )


def _real_date(match: re.Match) -> bool:
    """Numeric day/month pairs must be a real day and month, in either order."""
    if match.re is not DATES[0]:
        return True
    first, second = int(match.group(1)), int(match.group(3))
    return 1 <= min(first, second) <= 12 and 1 <= max(first, second) <= 31


def _near(text: str, word: re.Match, date: re.Match) -> bool:
    """True if the word and the date are at most NEAR characters apart, in the same sentence."""
    if word.end() <= date.start():
        gap = text[word.end() : date.start()]
    elif date.end() <= word.start():
        gap = text[date.end() : word.start()]
    else:
        return False
    return len(gap) <= NEAR and not SENTENCE_END.search(gap)


def _postcodes(text: str, allow: AllowList) -> Iterator[Finding]:
    for match in POSTCODE.finditer(text):
        postcode = normal_postcode(match.group(0))
        if postcode not in allow.postcodes:
            yield Finding(
                match.start(),
                f"'{match.group(0)}' looks like a postcode, which could show where a family lives.",
                "name the town or area only (for example Huntingdon). " + _allow_fix("postcodes", postcode),
            )


def _emails(text: str, allow: AllowList) -> Iterator[Finding]:
    for match in EMAIL.finditer(text):
        if match.group(0).lower() not in allow.emails:
            yield Finding(
                match.start(),
                f"'{match.group(0)}' is an email address typed into the page.",
                "remove it and point readers to the Contact page instead. If the address may be published, allow it "
                f'in mkdocs.yml under `extra: safety_allow_list: emails:` as "{match.group(0).lower()}": followed by '
                "the reason it is safe to publish.",
            )


def _phones(text: str, allow: AllowList) -> Iterator[Finding]:
    for match in PHONE.finditer(text):
        number = _phone_in(match.group(0))
        if number and normal_phone(number) not in allow.phones and not _after_isbn(text, match.start()):
            yield Finding(
                match.start(),
                f"'{number}' is a phone number typed into the page.",
                "add it in mkdocs.yml under `extra: contacts:` and show it with a <!-- contact: KEY --> marker on a "
                "line of its own. If it must stay in the text, allow it under `extra: safety_allow_list: phones:` as "
                f'"{normal_phone(number)}": followed by the reason it is safe to publish.',
            )


def _phone_in(candidate: str) -> str | None:
    """The longest start of a run of digits and separators that is a UK phone number (10-11 digits), if any."""
    ends = [m.end() for m in re.finditer(r"\d+", candidate)]
    numbers = [candidate[:end] for end in ends if _is_uk_phone(normal_phone(candidate[:end]))]
    return numbers[-1] if numbers else None


SVG_URL_ATTRIBUTES = {"href", "xlink:href", "src", "action", "formaction"}


def check_svg(text: str, path: str) -> None:
    """Raise an EditorError if an SVG image in docs/ holds code: a <script>, an embedded page, an event handler
    (onload=...), or a javascript: link. Such a file runs its code when a reader opens the image."""
    masked = COMMENT.sub(lambda m: _blank(m.group(0)), text)
    findings = [
        Finding(m.start(), f"the SVG image contains <{m.group(1).lower()}>", "") for m in DANGEROUS_TAG.finditer(masked)
    ]
    findings += [
        Finding(m.start(), "the SVG image contains <foreignObject>, which embeds a web page in the image", "")
        for m in re.finditer(r"<foreignObject(?![\w-])", masked, re.I)
    ]
    for pos, tag, attrs in _TagReader(masked).tags:
        for name, value in attrs:
            if EVENT_HANDLER.fullmatch(name):
                findings.append(Finding(pos, f"the SVG image's <{tag}> has an `{name}=` attribute", ""))
            elif name.lower() in SVG_URL_ATTRIBUTES and _bad_scheme(value or "") in ("javascript:", "vbscript:"):
                findings.append(Finding(pos, f"the SVG image's <{tag}> links to a `{_bad_scheme(value)}` address", ""))
    if findings:
        first = min(findings, key=lambda f: f.pos)
        raise EditorError(
            path,
            first.problem + ", which would run code in the reader's browser when the image is opened.",
            "remove it from the file, or save the picture again as a plain SVG without scripts or interactivity "
            "(in Inkscape: 'Plain SVG'), or as a PNG.",
            line=text.count("\n", 0, first.pos) + 1,
        )
