"""Check every external link in the guidance online, and write a Markdown report.

    .venv/bin/python scripts/check_external_links.py REPORT.md

The links are those in docs/**/*.md and the contact addresses in mkdocs.yml. Run weekly by
.github/workflows/external-links.yml, which opens an issue with the report when a link is
broken. It needs the internet, so the tests never run it: they test the pure functions (finding
links, classifying answers, writing the report) instead.

A link is fine when it answers 2xx or 3xx (redirects are followed). 401, 403 and 429 mean the
site refused an automated check, so those links are listed as "could not check", not broken.
Anything else (404, 410, 5xx, no answer within the timeout) is broken.
Exit status: 0 when the check ran (whatever it found), 1 on a usage error. When the
GITHUB_OUTPUT variable is set, `broken=N` is written there for the workflow.
"""

from __future__ import annotations

import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
UNCHECKABLE = {401, 403, 429}

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)  # within one paragraph
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# [text](url "title"), ![alt](url), [id]: url, <url> and a bare url in the text.
URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+(?:\([^\s<>()]*\)[^\s<>()\[\]\"'`]*)*", re.I)
TRAILING = ".,;:!?*_"


@dataclass(frozen=True)
class Link:
    url: str
    path: str
    line: int


@dataclass(frozen=True)
class Result:
    url: str
    status: int | None  # the HTTP status, or None when there was no answer
    error: str = ""  # why there was no answer (timeout, DNS, TLS, ...)

    @property
    def verdict(self) -> str:
        return classify(self.status)


def _blank(match: re.Match) -> str:
    """Replace a match with spaces, keeping its newlines so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def extract_links(text: str, path: str) -> list[Link]:
    """Every external http(s) link in a Markdown text, with its line; code and comments skipped."""
    text = FENCE.sub(_blank, text)
    text = HTML_COMMENT.sub(_blank, text)
    text = CODE_SPAN.sub(_blank, text)
    links = []
    for match in URL.finditer(text):
        url = match.group(0).rstrip(TRAILING)
        if re.fullmatch(r"https?://", url, re.I):
            continue
        links.append(Link(url, path, text.count("\n", 0, match.start()) + 1))
    return links


def collect_links(root: Path = ROOT) -> dict[str, list[Link]]:
    """Every external link in docs/**/*.md and in the contacts in mkdocs.yml, grouped by address."""
    found: dict[str, list[Link]] = {}
    for path in sorted((root / "docs").rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        for link in extract_links(path.read_text(encoding="utf-8"), rel):
            found.setdefault(link.url, []).append(link)
    config = root / "mkdocs.yml"
    if config.exists():
        for link in contact_links(config.read_text(encoding="utf-8"), "mkdocs.yml"):
            found.setdefault(link.url, []).append(link)
    return found


def contact_links(config_text: str, path: str) -> list[Link]:
    """The `url:` of each contact under `extra: contacts:` in mkdocs.yml (shown on every page)."""
    loader = type("_Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    config = yaml.load(config_text, Loader=loader) or {}
    contacts = (config.get("extra") or {}).get("contacts") or {}
    lines = config_text.splitlines()
    links = []
    for contact in contacts.values():
        url = str((contact or {}).get("url") or "")
        if re.match(r"https?://", url, re.I):
            line = next((i for i, text in enumerate(lines, 1) if url in text), 1)
            links.append(Link(url, path, line))
    return links


def classify(status: int | None) -> str:
    """'ok', 'unchecked' (the site refused an automated check) or 'broken'."""
    if status is None:
        return "broken"
    if 200 <= status < 400:
        return "ok"
    if status in UNCHECKABLE:
        return "unchecked"
    return "broken"


def _request(url: str, method: str) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_url(url: str, request: Callable[[str, str], int] = _request) -> Result:
    """HEAD the address, and GET it when HEAD is refused or fails (many sites mishandle HEAD)."""
    try:
        status = request(url, "HEAD")
        if classify(status) != "ok":
            status = request(url, "GET")
        return Result(url, status)
    except Exception as error:  # noqa: BLE001 - any failure to get an answer is reported, not raised
        try:
            return Result(url, request(url, "GET"))
        except Exception as retry_error:  # noqa: BLE001
            return Result(url, None, _describe(retry_error) or _describe(error))


def _describe(error: Exception) -> str:
    reason = getattr(error, "reason", None)
    return str(reason or error) or type(error).__name__


def _where(links: Iterable[Link]) -> str:
    return ", ".join(f"`{link.path}` line {link.line}" for link in links)


def _answer(result: Result) -> str:
    return f"HTTP {result.status}" if result.status is not None else f"no answer ({result.error})"


def format_report(results: list[Result], links: dict[str, list[Link]]) -> str:
    """The Markdown report: broken links first, then the ones that could not be checked."""
    broken = sorted((r for r in results if r.verdict == "broken"), key=lambda r: r.url)
    unchecked = sorted((r for r in results if r.verdict == "unchecked"), key=lambda r: r.url)
    ok = len(results) - len(broken) - len(unchecked)
    lines = [
        "# External link check",
        "",
        f"{len(results)} external links checked: {ok} fine, {len(broken)} broken, "
        f"{len(unchecked)} could not be checked.",
    ]
    if broken:
        lines += [
            "",
            "## Broken links",
            "",
            "Fix or remove each link in the files named (the page may have moved: search the site it was on).",
            "",
            "| Link | Answer | Where |",
            "| --- | --- | --- |",
        ]
        lines += [f"| <{r.url}> | {_cell(_answer(r))} | {_where(links.get(r.url, []))} |" for r in broken]
    if unchecked:
        lines += [
            "",
            "## Could not check",
            "",
            "These sites refuse automated checks. Open each link in a browser once in a while.",
            "",
            "| Link | Answer | Where |",
            "| --- | --- | --- |",
        ]
        lines += [f"| <{r.url}> | {_cell(_answer(r))} | {_where(links.get(r.url, []))} |" for r in unchecked]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check_external_links.py REPORT.md", file=sys.stderr)
        return 1
    links = collect_links()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(check_url, sorted(links)))
    report = format_report(results, links)
    Path(argv[0]).write_text(report, encoding="utf-8")
    print(report)
    broken = sum(r.verdict == "broken" for r in results)
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
            output.write(f"broken={broken}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
