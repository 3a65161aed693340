"""The web editor at /admin/ (Decap CMS): its config.yml made from the front-matter schema, its page, and its own
Content-Security-Policy.

The forms are made from the same constants and `extra:` lists the build checks files with (frontmatter.REQUIRED and
OPTIONAL, faq.FIELDS and REQUIRED, themes.REQUIRED, briefings.FIELDS, and the audiences, statuses, FAQ topics and tags
in mkdocs.yml), so a form cannot ask for what the build refuses, nor leave out what it requires. A field added to the
schema appears in the forms as a line of text until it is given a better widget below.

Decap's own script comes from its npm package, pinned in package.json (`webEditor`: name, version, sha512) and
fetched by scripts/fetch_web_editor.py (`make web-editor`) into .cache/web-editor/; it is copied beside the page, and
nothing loads from a CDN. A web build without it fails with that command, except `mkdocs serve` and SCR_CMS=0.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import briefings, faq, frontmatter, themes
from .errors import EditorError
from .search import BOOST_RANGE
from .templates import render

FOLDER = "admin/"
FAQ_FOLDER = "faq"  # docs/faq/: one file per question (faq.py), and the FAQ page, faq/index.md
SCRIPT = "decap-cms.js"
DEFAULT_LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"  # where `make cms` starts decap-server
DATE_FORMAT = "YYYY-MM-DD"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"  # what frontmatter._iso_date accepts
GITHUB = re.compile(
    r"^https://github\.com/(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?(?:/(?:edit|blob|tree)/(?P<branch>[^/]+)(?:/.*)?|/?)$"
)

# Files go through tags.check_tags (which refuses none) in these collections.
TAGGED = ("faq", "themes")
THEME_ONLY = ("child_says", *briefings.FIELDS)  # a guidance page may have them, but only a theme uses them

LABELS = {
    "title": "Title",
    "description": "Description (for search engines)",
    "owner": "Owner",
    "last_reviewed": "Last reviewed",
    "review_due": "Review due",
    "audience": "Audience",
    "status": "Status",
    "summary": "Summary (the card on the themes page)",
    "child_says": "The child says (the card's quote, without quotation marks)",
    "order": "Order in the list",
    "tags": "Tags",
    "form": "Fillable form name",
    "process": "Process diagram steps",
    "hide": "Parts of the page to hide",
    "search": "Search settings",
    "keywords": "Extra search words",
    "id": "Id (the answer's web address: never change it once published)",
    "question": "Question",
    "topic": "Topic",
    "body": "Text",
}
HINTS = {
    "description": "One or two sentences saying what the page covers.",
    "owner": "The team that keeps this page right (the list is `owners:` in mkdocs.yml).",
    "last_reviewed": "The day the page was last checked, today or earlier.",
    "review_due": "The day the next review is due: after the last review, usually a year later.",
    "order": "A whole number; the list runs from low to high.",
    "tags": "Tags link themes and FAQ questions to each other. A new tag is added to mkdocs.yml first.",
    "id": "Lower-case letters, digits and single hyphens, for example when-do-you-have-an-scr.",
    "form": "Lower-case letters, digits and hyphens; the fillable PDF is named after it.",
    "keywords": "Words people might search for that the page does not use.",
}


@dataclass(frozen=True)
class Choices:
    """The lists in mkdocs.yml `extra:` that the build checks front matter against (site.Settings)."""

    audiences: dict[str, str]
    statuses: dict[str, str]
    faq_topics: dict[str, str]
    tags: dict[str, str]
    owners: tuple[str, ...] = ()


def _options(mapping: dict[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": key} for key, label in mapping.items()]


def _words_pattern(limit: int, one_sentence: bool) -> list[str]:
    """A Decap `pattern` ([regex, message]) for briefings.check_front_matter's limits."""
    words = rf"\s*\S+(?:\s+\S+){{0,{limit - 1}}}\s*$"
    if one_sentence:  # no second sentence end, as briefings counts them: . ! or ? before a space or the end
        regex = r"^(?![\s\S]*[.!?](?=\s|$)[\s\S]*[.!?](?=\s|$))" + words
        return [regex, f"One sentence of {limit} words or fewer."]
    return ["^" + words, f"{limit} words or fewer."]


def widget(name: str, choices: Choices) -> dict:
    """The Decap widget for one front-matter field, with what the build accepts as its options and limits."""
    date = {
        "widget": "datetime",
        "date_format": DATE_FORMAT,
        "time_format": False,
        "pattern": [DATE_PATTERN, "A date as year-month-day, for example 2027-03-31."],
    }
    if name in frontmatter.DATE_FIELDS:
        return {**date, "default": "{{now}}"} if name == "last_reviewed" else date
    if name in briefings.FIELDS:
        box, limit, purpose = briefings.FIELDS[name]
        return {
            "widget": "text",
            "hint": f"Optional: {purpose}. At most {limit} words. Left empty, the briefing uses its default.",
            "pattern": _words_pattern(limit, name == "why_it_matters"),
        }
    known = {
        "description": {"widget": "text"},
        "summary": {"widget": "text"},
        "audience": {"widget": "select", "multiple": True, "min": 1, "options": _options(choices.audiences)},
        "status": {"widget": "select", "options": _options(choices.statuses)},
        "owner": {
            "widget": "select",
            "options": list(choices.owners),
            **({"default": choices.owners[0]} if len(choices.owners) == 1 else {}),
        },
        "tags": {"widget": "select", "multiple": True, "options": _options(choices.tags)},
        "topic": {"widget": "select", "options": _options(choices.faq_topics)},
        "order": {"widget": "number", "value_type": "int", "min": 0, "step": 10},
        "form": {"widget": "string", "pattern": [r"^[a-z0-9]+(-[a-z0-9]+)*$", "For example scr-referral."]},
        "id": {"widget": "string", "pattern": ["^" + faq.ID_PATTERN.pattern + "$", "For example who-leads-an-scr."]},
        "hide": {"widget": "select", "multiple": True, "options": list(frontmatter.MATERIAL_HIDE)},
        "keywords": {"widget": "list", "field": {"name": "keyword", "label": "Word or phrase", "widget": "string"}},
        "process": {
            "widget": "list",
            "fields": [
                {"name": "step", "label": "What happens", "widget": "string"},
                {"name": "time", "label": "When", "widget": "string"},
            ],
        },
        "search": {
            "widget": "object",
            "collapsed": True,
            "fields": [
                {"name": "exclude", "label": "Leave out of search", "widget": "boolean", "required": False},
                {
                    "name": "boost",
                    "label": f"Boost ({BOOST_RANGE[0]} to {BOOST_RANGE[1]}; 1 is normal)",
                    "widget": "number",
                    "value_type": "float",
                    "min": BOOST_RANGE[0],
                    "max": BOOST_RANGE[1],
                    "required": False,
                },
            ],
        },
    }
    return dict(known.get(name, {"widget": "string"}))


def field(name: str, required: bool, choices: Choices) -> dict:
    spec = {"name": name, "label": LABELS.get(name, name.replace("_", " ").capitalize()), **widget(name, choices)}
    if name in HINTS and "hint" not in spec:
        spec["hint"] = HINTS[name]
    if name == "status" and "current" in choices.statuses:
        spec["default"] = "current"  # what check_governance assumes when a page has no status
    spec["required"] = required
    return spec


def page_fields(choices: Choices, theme: bool = False) -> list[dict]:
    """A guidance page's fields (a practice theme's, with its own required ones and the briefing boxes)."""
    required = set(frontmatter.REQUIRED) | (set(themes.REQUIRED) | {"tags"} if theme else set())
    names = list(frontmatter.REQUIRED) + [n for n in frontmatter.OPTIONAL if theme or n not in THEME_ONLY]
    first = ("title", "description", *themes.REQUIRED, *briefings.FIELDS) if theme else ("title", "description")
    names = [n for n in first if n in names] + [n for n in names if n not in first]
    return [field(name, name in required, choices) for name in names] + [body_field(theme_body() if theme else None)]


def question_fields(choices: Choices) -> list[dict]:
    required = set(faq.REQUIRED) | {"tags"}
    return [field(name, name in required, choices) for name in faq.FIELDS] + [body_field(None, label="Answer")]


def body_field(default: str | None, label: str = "Text") -> dict:
    """The Markdown below the front matter, edited as it is written (Decap's rich-text mode would rewrite the
    site's own markers, footnotes and snippets)."""
    spec = {"name": "body", "label": label, "widget": "markdown", "modes": ["raw"], "editor_components": []}
    if label == "Answer":
        spec["hint"] = "The answer in Markdown, with no heading: the question is its heading."
    else:
        spec["hint"] = "Markdown. The first line is the title as a heading: # and the same words as the title above" + (
            "; then write under each section heading: the 7-minute briefing is made from them." if default else "."
        )
    if default:
        spec["default"] = default
    return spec


def theme_body() -> str:
    """A new theme starts with the sections its 7-minute briefing is made from (briefings.SECTIONS)."""
    return "\n\n".join(f"## {heading}" for heading in briefings.SECTIONS) + "\n"


def _slug(src_uri: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", src_uri.removesuffix(".md").lower()).strip("-")


def repository(repo_url: str | None, edit_uri: str | None) -> tuple[str, str] | None:
    """(owner/name, branch) of the GitHub repository mkdocs.yml names in repo_url or edit_uri."""
    for url in (repo_url, edit_uri):
        match = GITHUB.match(url or "")
        if match:
            return match.group("repo"), match.group("branch") or "main"
    return None


def config(
    choices: Choices,
    pages: list[tuple[str, str]],
    repo: tuple[str, str],
    site_url: str | None,
    local_backend: str = DEFAULT_LOCAL_BACKEND,
    auth: dict | None = None,
) -> dict:
    """Decap's configuration. `pages` are (path in docs/, title) of every guidance page that is not a theme."""
    backend = {"name": "github", "repo": repo[0], "branch": repo[1]}
    for key in ("base_url", "auth_endpoint"):  # the sign-in service an administrator sets up (CONTRIBUTING.md)
        if (auth or {}).get(key):
            backend[key] = auth[key]
    common = {"format": "frontmatter", "extension": "md", "editor": {"preview": False}}
    result = {
        "backend": backend,
        "local_backend": {"url": local_backend},
        "publish_mode": "editorial_workflow",
        "media_folder": "docs/assets",
        "public_folder": "/assets",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [
            {
                "name": "pages",
                "label": "Guidance pages",
                "label_singular": "Guidance page",
                "description": "Every page of the site except the FAQ questions and the practice themes. A new "
                "page also needs a place in the menu (mkdocs.yml): ask a developer.",
                **common,
                "files": [
                    {"name": _slug(src), "label": title, "file": "docs/" + src, "fields": page_fields(choices)}
                    for src, title in pages
                ],
            },
            {
                "name": "faq",
                "label": "FAQ questions",
                "label_singular": "FAQ question",
                "description": "One question and its answer per file; the FAQ page lists them by topic and order.",
                "folder": "docs/" + FAQ_FOLDER,
                # The FAQ page itself (faq/index.md) is a guidance page: Decap keeps entries whose `title` equals
                # the filter's value, and a filter without one keeps the files that have no title.
                "filter": {"field": "title"},
                "create": True,
                "slug": "{{fields.id}}",
                "identifier_field": "question",
                "summary": "{{question}}",
                **common,
                "fields": question_fields(choices),
            },
            {
                "name": "themes",
                "label": "Practice themes",
                "label_singular": "Practice theme",
                "description": "One page per theme, with the boxes of its 7-minute briefing. The practice themes "
                "page itself is under Guidance pages.",
                "folder": "docs/" + themes.FOLDER.rstrip("/"),
                "create": True,
                "slug": "{{slug}}",
                "identifier_field": "title",
                **common,
                "fields": page_fields(choices, theme=True),
            },
        ],
    }
    if site_url:
        result["site_url"] = result["display_url"] = site_url
    return result


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # every field written out in full, as an editor reads it
        return True


def dump(data: dict) -> str:
    head = "# Made by the build from the front-matter schema (hooks/scr/cms.py): do not edit.\n"
    return head + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def policy(local_backend: str, auth: dict | None = None, for_meta: bool = True) -> str:
    """The editor's own Content-Security-Policy: Decap's script from this site; GitHub's API and the local
    decap-server for saving, and its own blob: addresses (a form's local backup); inline styles (Decap's
    components style themselves) and `eval` (Decap compiles its configuration schema with ajv). The public pages
    keep their own, stricter policy."""
    # blob: Decap reads back its own blob: addresses (persistLocalDraftBackup, on every new entry's form).
    connect = ["'self'", "blob:", "https://api.github.com", origin(local_backend)]
    if (auth or {}).get("base_url"):
        connect.append(origin(auth["base_url"]))
    directives = [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https://avatars.githubusercontent.com https://raw.githubusercontent.com",
        "font-src 'self' data:",
        "connect-src " + " ".join(dict.fromkeys(connect)),
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if not for_meta:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def headers_block(local_backend: str, auth: dict | None = None) -> str:
    """The `_headers` block for /admin/ (a path from the host's root, as the site-wide `/*` block's is).
    `! Content-Security-Policy` first drops the policy that the `/*` block gives every address (Cloudflare Pages'
    syntax), so that the editor's own applies."""
    return f"/{FOLDER}*\n  ! Content-Security-Policy\n  Content-Security-Policy: {policy(local_backend, auth, False)}\n"


FETCH_COMMAND = "make web-editor"  # scripts/fetch_web_editor.py, once; make build, make cms and make test run it


def web_editor_pin(root: Path) -> dict[str, str]:
    """The web editor's npm package, as package.json pins it: {"name", "version", "integrity"}."""
    try:
        pin = json.loads((root / "package.json").read_text(encoding="utf-8"))["webEditor"]
        if all(isinstance(pin.get(key), str) and pin[key] for key in ("name", "version", "integrity")):
            return pin
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    raise EditorError(
        "package.json (webEditor)",
        "the web editor's pinned npm package (`webEditor`: name, version and integrity) cannot be read.",
        "restore `webEditor` in package.json from the last good version, or build without the editor with SCR_CMS=0.",
    )


def bundle_dir(root: Path) -> Path:
    """Where scripts/fetch_web_editor.py unpacks the pinned version's files."""
    pin = web_editor_pin(root)
    return root / ".cache" / "web-editor" / f"{pin['name']}-{pin['version']}"


def installed_script(root: Path) -> Path | None:
    script = bundle_dir(root) / SCRIPT
    return script if script.is_file() else None


def not_fetched(root: Path) -> EditorError:
    """The web build's message when the pinned editor has not been fetched into .cache/web-editor/."""
    pin = web_editor_pin(root)
    return EditorError(
        bundle_dir(root).relative_to(root).as_posix(),
        f"the web editor at /admin/ ({pin['name']} {pin['version']}, pinned under `webEditor` in package.json) has "
        "not been fetched, so the site would be published without it.",
        f"run `{FETCH_COMMAND}` and build again (`make build` does both); to build without the editor, set SCR_CMS=0.",
    )


def write(
    site_dir: Path,
    script: Path,
    data: dict,
    site_name: str,
    local_backend: str,
    auth: dict | None = None,
    favicon: str | None = None,
) -> None:
    """admin/index.html, admin/config.yml, and the files scripts/fetch_web_editor.py unpacked beside `script`:
    Decap's bundle and its licence notice (the bundle's first line points to it). `favicon` is the site's icon
    (theme.favicon), linked so that the browser does not ask for a /favicon.ico the site does not have."""
    folder = site_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    icon = "../" + favicon.lstrip("/") if favicon else None
    page = render("admin.html", csp=policy(local_backend, auth), script=SCRIPT, site_name=site_name, favicon=icon)
    (folder / "index.html").write_text(page, encoding="utf-8")
    (folder / "config.yml").write_text(dump(data), encoding="utf-8")
    for path in sorted(script.parent.iterdir()):
        shutil.copyfile(path, folder / path.name)


def check_auth(value, source_line: int | None = None) -> dict:
    """`extra: cms:` in mkdocs.yml: the sign-in service's base_url and auth_endpoint (both optional)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) - {"base_url", "auth_endpoint"}:
        raise EditorError(
            "mkdocs.yml (extra.cms)",
            f"`cms:` is {value!r}; it takes `base_url:` and `auth_endpoint:` only.",
            "write `base_url: https://...` (the sign-in service's address) under `cms:`, and `auth_endpoint: auth` "
            "if the service uses another path (CONTRIBUTING.md, 'Signing in to the web editor').",
            line=source_line,
        )
    base = value.get("base_url")
    if base is not None and (not isinstance(base, str) or urlsplit(base).scheme != "https"):
        raise EditorError(
            "mkdocs.yml (extra.cms)",
            f"`base_url` is {base!r}, not an https:// address.",
            "write the sign-in service's address, for example base_url: https://scr-cms-auth.example.org",
            line=source_line,
        )
    return value
