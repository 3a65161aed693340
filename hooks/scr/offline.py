"""The offline copy: files Material would otherwise fetch from a CDN, served from the npm packages we install,
and links that work from disk."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import EditorError

# Where in the site each polyfill goes, and which installed npm file it comes from.
SHIMS = {"assets/javascripts/iframe-worker-shim.js": "node_modules/iframe-worker/shim/index.js"}


def shim_sources(polyfills: list, root: Path) -> dict[str, Path]:
    """The local files behind the polyfills the config asks for; a third-party URL is refused."""
    found = {}
    if polyfills is not None and (
        not isinstance(polyfills, list) or not all(isinstance(script, str) for script in polyfills)
    ):
        raise EditorError(
            "mkdocs-offline.yml (extra.polyfills)",
            f"`polyfills` is {polyfills!r}, which is not a list of files.",
            f"write one file per line under `polyfills:`, each as `- FILE`, for example - {next(iter(SHIMS))}",
        )
    for script in polyfills or []:
        if "://" in script:
            raise EditorError(
                "mkdocs-offline.yml (extra.polyfills)",
                f"the polyfill {script} would be loaded from another website.",
                f"use one of the local copies: {', '.join(SHIMS)}.",
            )
        source = root / SHIMS.get(script, script)
        if not source.is_file():
            raise EditorError(
                "mkdocs-offline.yml (extra.polyfills)",
                f"{source} is missing.",
                "run `make setup` (or `npm ci`) to install the front-end packages from package-lock.json.",
            )
        found[script] = source
    return found


WORRIED_PAGE = "worried-about-a-child.md"


def worried_page(files):
    """The "Worried about a child?" page, which the banner on every page links to by its built address."""
    page = files.get_file_from_path(WORRIED_PAGE)
    if page is None:
        raise EditorError(
            f"docs/{WORRIED_PAGE}", "this page is missing.", "the banner on every page links to it: restore it."
        )
    return page


def relative_links(html: str, base: str) -> str:
    """Links and sources that start with the site's own path (as on 404.html) made relative to the site's root folder.

    Only for a page that lives in that folder: the offline copy's 404.html, opened from disk.
    """
    if not base.endswith("/"):
        base += "/"

    def relative(match: re.Match) -> str:
        target = match.group("target") or "index.html"
        if target in (".", "./"):
            target = "index.html"
        return f'{match.group("attr")}="{target}"'

    html = re.sub(rf'(?P<attr>\b(?:href|src))="{re.escape(base)}(?P<target>[^"]*)"', relative, html)
    # Material's settings (search worker, base for its scripts), as in the offline copy's other root pages.
    html = html.replace(f'"base": "{base}"', '"base": "."').replace(
        f'new URL("{base}",location)', 'new URL(".",location)'
    )
    return re.sub(rf'(?P<key>"[a-z]+"): "{re.escape(base)}(?P<target>[^"]*)"', r'\g<key>: "\g<target>"', html)
