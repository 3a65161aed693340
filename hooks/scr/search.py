"""Search: what goes into Material's search index, and the small worker that tunes each query.

Material's search plugin writes search/search_index.json; `tune_index` then reworks it: our `tags`
(slugs such as `seeing-the-child`, which Material weights a million times a title) are replaced by
readable keywords on the page itself, and the glossary's abbreviations travel with the index so the
worker can expand them. Sections that only point elsewhere (Sources, related pages, footnotes) are
kept out of the index by `exclude_sections`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from markdown.extensions.toc import slugify

from .errors import EditorError
from .templates import render

# Sections that list other documents rather than answer anything: Material's search plugin skips an
# element with `data-search-exclude`, and a heading that has it takes its whole section with it.
EXCLUDED_SECTIONS = ("sources", "related-themes", "related-questions", "all-questions", r"topic-[a-z0-9-]+-questions")
SECTION_HEADING = re.compile(r"<h[23] id=\"(?:" + "|".join(EXCLUDED_SECTIONS) + r")\"")
FOOTNOTES = '<div class="footnote">'

# How much a match in a field counts. Material's defaults: title 1000, text 1, tags 1,000,000.
TITLE_BOOST = 100.0
KEYWORDS_BOOST = 100.0
# A word on at least this share of pages says little about which page is wanted ("child", "review"):
# the worker leaves it out of a query that has other words.
COMMON_SHARE = 0.5
WORD = re.compile(r"[a-z0-9][a-z0-9']*")
BOOST_RANGE = (0.1, 10.0)  # an editor's `search: boost:`; Material multiplies every section of the page by it

WORKER = "assets/javascripts/workers/scr-search.js"
PAGE_SCRIPT = "assets/javascripts/search.js"
MATERIAL_WORKER = re.compile(r"\"search\": \"assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)\"")
CONFIG_WORKER = re.compile(r"(\"search\": ?\"[^\"]*assets/javascripts/workers/)search\.[0-9a-f]+\.min\.js\"")


def exclude_sections(html: str) -> str:
    """Mark the sections search should skip (see EXCLUDED_SECTIONS) and footnotes."""
    html = SECTION_HEADING.sub(lambda m: m.group(0) + " data-search-exclude", html)
    return html.replace(FOOTNOTES, '<div class="footnote" data-search-exclude>')


def check_search_meta(meta: dict, path: str, line_of) -> None:
    """`search: {boost: N, exclude: true}` and `keywords: [...]` in a page's front matter."""
    search = meta.get("search")
    if search is not None:
        if not isinstance(search, dict) or set(search) - {"boost", "exclude"}:
            raise EditorError(
                path,
                "`search` must hold `boost:` (a number) and/or `exclude: true`.",
                "write it on two lines:\nsearch:\n  boost: 2",
                line=line_of("search"),
            )
        boost = search.get("boost")
        if "boost" in search and (
            isinstance(boost, bool)
            or not isinstance(boost, (int, float))
            or not BOOST_RANGE[0] <= boost <= BOOST_RANGE[1]
        ):
            raise EditorError(
                path,
                f"`search: boost:` is {boost!r}; it must be a number from {BOOST_RANGE[0]} to {BOOST_RANGE[1]}.",
                "use 2 or 3 for a page that answers common questions, 0.5 to push a page down; 1 is normal.",
                line=line_of("search"),
            )
        if "exclude" in search and not isinstance(search["exclude"], bool):
            raise EditorError(
                path,
                "`search: exclude:` must be true or false.",
                "write `exclude: true` to keep the page out of search, or delete the line.",
                line=line_of("search"),
            )
    keywords = meta.get("keywords")
    if keywords is not None and (
        not isinstance(keywords, list)
        or not keywords
        or not all(isinstance(k, str) and k.strip() and len(k) <= 60 for k in keywords)
    ):
        raise EditorError(
            path,
            "`keywords` must be a list of short words or phrases people might search for.",
            "write for example keywords: [phone, call, report a concern]",
            line=line_of("keywords"),
        )


def page_keywords(meta: dict, tag_labels: dict[str, str]) -> list[str]:
    """The words a page should be found by besides its text: its `keywords`, and its tags' names."""
    words = [str(k).strip() for k in meta.get("keywords") or []]
    words += [tag_labels.get(tag, str(tag)) for tag in meta.get("tags") or [] if isinstance(tag, str)]
    return list(dict.fromkeys(words))


def tune_index(data: dict, keywords: dict[str, list[str]], synonyms: dict[str, list[str]]) -> dict:
    """Rework Material's search index: tags out, keywords on each page's own entry, synonyms for the worker.

    `keywords` is keyed by page URL as it appears in the index (`referrals/making-a-referral/`).
    """
    fields = data["config"]["fields"]
    fields.pop("tags", None)
    fields["title"] = {"boost": TITLE_BOOST}
    fields["keywords"] = {"boost": KEYWORDS_BOOST}
    for entry in data["docs"]:
        entry.pop("tags", None)
        words = keywords.get(entry["location"])
        if words:
            entry["keywords"] = ", ".join(words)
    data["config"]["synonyms"] = synonyms
    data["config"]["common"] = common_words(data["docs"])
    return data


def common_words(docs: list[dict]) -> list[str]:
    """Words found on at least COMMON_SHARE of the pages (title or text, any section)."""
    pages: dict[str, set[str]] = {}
    for entry in docs:
        page = entry["location"].split("#")[0]
        text = re.sub(r"<[^>]+>", " ", entry.get("title", "") + " " + entry.get("text", "")).lower()
        pages.setdefault(page, set()).update(WORD.findall(text))
    counts: dict[str, int] = {}
    for words in pages.values():
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    return sorted(word for word, count in counts.items() if count >= COMMON_SHARE * len(pages))


def abbreviation_synonyms(abbreviations) -> dict[str, list[str]]:
    """`lado` → the words of "Local Authority Designated Officer": the worker adds the abbreviation to a
    query that has all those words, and the words to a query with the abbreviation."""
    found = {}
    for item in abbreviations:
        words = WORD.findall(item.meaning.lower())
        if words:
            found[item.abbr.lower()] = words
    return found


def rewrite_index_files(site_dir: str, keywords: dict[str, list[str]], synonyms: dict[str, list[str]]) -> None:
    """Tune search/search_index.json in the built site (before Material's offline plugin inlines it)."""
    path = Path(site_dir, "search", "search_index.json")
    if not path.is_file():
        return
    data = tune_index(json.loads(path.read_text(encoding="utf-8")), keywords, synonyms)
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")


def material_worker_name(base_template: str) -> str:
    """The file name of Material's search worker, read from its base.html (it changes with each release)."""
    match = MATERIAL_WORKER.search(base_template)
    if not match:
        raise EditorError(
            "mkdocs.yml (theme)",
            "Material's base.html no longer names its search worker where the site's search expects it.",
            "this comes from a Material for MkDocs upgrade: pin the previous version in requirements.txt, "
            "or update hooks/scr/search.py to the new template (see README, 'How search works').",
        )
    return match.group(1)


def worker_script(material_worker: str) -> str:
    """Our search worker: loads Material's (by name, beside it) once the index is there, and tunes queries."""
    return compact(render("search-worker.js", material_worker=material_worker))


def page_script() -> str:
    """The page's part: holds the index back until a visitor starts to search; announces results."""
    return compact(render("search.js"))


def compact(script: str) -> str:
    """Our own scripts without their comment lines and indentation: every first view downloads them."""
    lines = (line.strip() for line in script.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


def use_our_worker(html: str) -> str:
    """Point Material's `__config` at our worker instead of its own."""
    return CONFIG_WORKER.sub(lambda m: m.group(1) + 'scr-search.js"', html, count=1)


# Where a search that finds nothing sends the visitor (overrides/partials/search.html).
FAQ_PAGE = "faq/index.md"
REPORT_PAGE = "how-we-check-facts.md"  # its section on telling us about a mistake or a missing answer
REPORT_HEADING = re.compile(r"^##\s+(Tell us about a mistake.*)$", re.M)


def help_links(files, documents: dict, redirects: dict, worried_url: str, glossary_marker: str) -> dict[str, str]:
    """Site-relative addresses for the "no results" suggestions: who to call, the FAQ, the glossary (the page
    holding its marker) and how to tell us. A page renamed with a redirect is followed; a missing one is left out."""

    def url(src: str | None) -> str | None:
        src = redirects.get(src, src) if src else None
        file = files.get_file_from_path(src) if src else None
        return file.url if file else None

    links = {
        "worried": worried_url,
        "faq": url(FAQ_PAGE),
        "glossary": url(next((src for src, doc in documents.items() if glossary_marker in doc.body), None)),
    }
    report_src = redirects.get(REPORT_PAGE, REPORT_PAGE)
    report = url(REPORT_PAGE)
    heading = REPORT_HEADING.search(documents[report_src].body) if report_src in documents else None
    links["report"] = report + "#" + slugify(heading[1], "-") if report and heading else report
    return {key: value for key, value in links.items() if value}
