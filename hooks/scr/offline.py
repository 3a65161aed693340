"""The offline copy: files Material would otherwise fetch from a CDN, served from the npm packages we install."""

from __future__ import annotations

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
