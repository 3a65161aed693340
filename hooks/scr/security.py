"""Security headers: a strict Content-Security-Policy with the hashes of each page's inline scripts,
the `_headers` file for static hosts, and the fixes that make Material's HTML valid."""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:(?!\bsrc=)[^>])*)>(?P<body>.*?)</script>", re.S | re.I)
DATA_TYPES = ("application/json", "application/ld+json")  # data blocks: not run, so not hashed
CHECKABLE_INPUT = re.compile(r"<input\b[^>]*\btype=\"(?:checkbox|radio)\"[^>]*>")

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "X-Frame-Options": "DENY",
}


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for every inline script the page runs, in page order."""
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        kind = re.search(r"\btype=\"([^\"]+)\"", match.group("attrs"))
        if kind and kind.group(1) in DATA_TYPES:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy(script_hashes: list[str], for_meta: bool = True) -> str:
    """The site's Content-Security-Policy. Nothing from any other origin; scripts only our own files and hashes.

    `frame-ancestors` only works as a real header, so the <meta> version leaves it out.
    """
    directives = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes) if script_hashes else "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if not for_meta:
        directives.append("frame-ancestors 'none'")
    return "; ".join(d.strip() for d in directives)


def add_csp_meta(html: str) -> tuple[str, list[str]]:
    """Put the page's CSP <meta> straight after <meta charset>, before any script. Returns the hashes too."""
    hashes = inline_script_hashes(html)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    html, count = re.subn(r"(<meta charset=\"utf-8\">)", r"\1\n    " + tag, html, count=1, flags=re.I)
    if not count:
        html = html.replace("<head>", "<head>\n    " + tag, 1)
    return html, hashes


ORPHAN_LABEL = re.compile(
    r"<label(?P<attrs>[^>]*?)\sfor=\"(?P<for>[^\"]+)\"(?P<rest>[^>]*)>(?P<body>.*?)</label>", re.S
)


UNUSED_TOC_TOGGLE = re.compile(r"\s*<input class=\"md-nav__toggle md-toggle\" type=\"checkbox\" id=\"__toc\">")


def fix_material_markup(html: str) -> str:
    """Things in Material's templates that the W3C checker rejects, fixed without changing behaviour:
    `autocomplete` on its checkbox toggles, `tabindex=""` on navigation labels, a label for a
    toggle that a section index page does not have (it becomes a plain title), and the table of
    contents' toggle on a page with no table of contents (a checkbox with no label: HTML_CodeSniffer)."""
    html = CHECKABLE_INPUT.sub(lambda m: m.group(0).replace(' autocomplete="off"', ""), html)
    html = html.replace(' tabindex=""', "")
    if 'for="__toc"' not in html:  # a page without a table of contents: its toggle has no label and no use
        html = UNUSED_TOC_TOGGLE.sub("", html)

    def orphan(match: re.Match) -> str:
        if f'id="{match.group("for")}"' in html:
            return match.group(0)
        return f"<span{match.group('attrs')}{match.group('rest')}>{match.group('body')}</span>"

    return ORPHAN_LABEL.sub(orphan, html)


def headers_file(script_hashes: list[str]) -> str:
    """`_headers` for hosts that read one (Netlify, Cloudflare Pages): the same policy as a real header."""
    lines = ["/*", f"  Content-Security-Policy: {policy(script_hashes, for_meta=False)}"]
    lines += [f"  {name}: {value}" for name, value in HEADERS.items()]
    return "\n".join(lines) + "\n"


def add_skip_link(html: str, target: str) -> str:
    """Material gives a page a "Skip to content" link only when it has headings in a table of contents
    (the 404 page has none): add one pointing at the page's main heading."""
    if 'class="md-skip"' in html:
        return html
    html = re.sub(r"<h1(?![^>]*\bid=)", f'<h1 id="{target}"', html, count=1)
    link = f'<a href="#{target}" class="md-skip">Skip to content</a>'
    return html.replace('<div data-md-component="skip">', '<div data-md-component="skip">' + link, 1)
