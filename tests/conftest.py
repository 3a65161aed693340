"""Build the real site once per test session; tests then read what a visitor would get."""

from __future__ import annotations

import copy
import functools
import http.server
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from search_probe import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS = [sys.executable, "-m", "mkdocs"]


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, taking the default of each `!ENV [NAME, default]` value."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def mkdocs_config() -> dict:
    """mkdocs.yml as data."""
    return _yaml_of(ROOT / "mkdocs.yml", whole=True)


def _yaml_of(path: Path, whole: bool) -> dict:
    """A YAML file (whole) or a Markdown file's front matter, parsed once for as long as the file is unchanged:
    the tests ask for the same files hundreds of times. Each caller gets its own copy to change."""
    stat = path.stat()
    return copy.deepcopy(_parse_yaml(str(path), stat.st_mtime_ns, stat.st_size, whole))


@functools.cache
def _parse_yaml(path: str, mtime_ns: int, size: int, whole: bool) -> dict:
    text = Path(path).read_text(encoding="utf-8")
    if whole:
        return yaml.load(text, Loader=_ConfigLoader)
    return yaml.safe_load(text.split("---", 2)[1])


def build_site(
    project: Path, site_dir: Path, env: dict | None = None, config_file: str = "mkdocs.yml"
) -> subprocess.CompletedProcess:
    """Run the strict production build of a project folder, as `make build` does.

    Copies of the project build without PDFs unless `env` asks for them (SCR_PDF=1): most tests
    only need the HTML, and the real site's build makes every PDF once per session. They leave out the
    web editor too, unless `env` has SCR_CMS=1.
    """
    env = {"SCR_PDF": "0" if project != ROOT else "1", **(env or {})}
    if project != ROOT:  # nor the web editor (.cache/web-editor/ is not in the copy): tests/test_cms_*.py build it
        env = {"SCR_CMS": "0", **env}
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", config_file, "--site-dir", str(site_dir)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        timeout=300,
    )


# `make check-content` (a pull request that changes only content) runs the tests that read the session's build of
# the real site, and nothing that needs a browser, another build, or the test machine's Debian packages (a test
# or module that needs those, but no fixture says so, is marked `full`).
_READS_THE_BUILD = {"built", "site", "pages", "search_index"}
_NEEDS_MORE = {"browser", "server", "urls", "offline_copy", "project_copy"}


# The longest files first (from `--durations=0` under three processes), so that under pytest-xdist they start at
# once and no process is left with a long file at the end. Only an order: a file not named here runs after these,
# and each file keeps its own order.
_LONGEST_FIRST = (
    "test_browser.py",
    "test_pdfs.py",
    "test_editor_mistakes.py",
    "test_a11y_engines.py",
    "test_search.py",
    "test_briefings.py",
    "test_pdf_layout.py",
    "test_correct_pages.py",
    "test_pdf_ua.py",
    "test_yaml_and_reviews.py",
    "test_names.py",
    "test_properdocs.py",
)


@pytest.hookimpl(tryfirst=True)  # before `-m content` chooses among them
def pytest_collection_modifyitems(config, items):
    rank = {name: number for number, name in enumerate(_LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file's own order is kept
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))  # with the fixtures they depend on
        if item.get_closest_marker("content") or item.get_closest_marker("full"):
            continue
        if fixtures & _READS_THE_BUILD and not fixtures & _NEEDS_MORE:
            item.add_marker(pytest.mark.content)


# With pytest-xdist (`make test` runs `-n 3`), the controller builds the real site once, cold, before the workers
# start, and each worker reads that build (with a copy of its PDF cache, which its own tests may add to and prune)
# instead of building it again. Run without -n, the session fixture `real_build` makes it.
_SHARED_BUILD = "scr_shared_build"


def _real_build(work: Path) -> dict:
    """The real site built once, cold, as `make build` builds it: the site, its PDF cache and the build's log."""
    site_dir, cache = work / "site", work / "pdf-cache"
    cache.mkdir(parents=True, exist_ok=True)
    result = build_site(ROOT, site_dir, {"SCR_OFFLINE_ZIP": "1", "SCR_PDF_CACHE": str(cache)})
    return {
        "site": str(site_dir),
        "cache": str(cache),
        "log": result.stderr,
        "failure": "" if result.returncode == 0 else f"{result.stdout}\n{result.stderr}",
    }


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if config.option.collectonly:
        return
    import tempfile

    config.scr_shared_build = _real_build(Path(tempfile.mkdtemp(prefix="scr-real-build-")))


def pytest_configure_node(node):  # an xdist hook, called in the controller for each worker
    shared = getattr(node.config, "scr_shared_build", None)
    if shared:
        node.workerinput[_SHARED_BUILD] = json.dumps(shared)


def pytest_sessionfinish(session):
    shared = getattr(session.config, "scr_shared_build", None)
    if shared:
        shutil.rmtree(Path(shared["site"]).parent, ignore_errors=True)


def _shared_build(config) -> dict | None:
    raw = getattr(config, "workerinput", {}).get(_SHARED_BUILD)
    return json.loads(raw) if raw else None


@pytest.fixture(scope="session")
def real_build(request, tmp_path_factory) -> dict:
    """The controller's build under xdist, or this session's own."""
    return _shared_build(request.config) or _real_build(tmp_path_factory.mktemp("real-build"))


@pytest.fixture(scope="session")
def pdf_cache(request, real_build, tmp_path_factory) -> Path:
    """The PDF cache the session's cold build filled. Under xdist, this worker's own copy of it: its tests add to
    the cache and prune it."""
    if _shared_build(request.config) is None:
        return Path(real_build["cache"])
    cache = tmp_path_factory.mktemp("pdf-cache")
    shutil.copytree(real_build["cache"], cache, dirs_exist_ok=True)
    return cache


@pytest.fixture(scope="session")
def built(real_build) -> tuple[Path, str]:
    """The real site built once, cold, as `make build` builds it, and the build's log."""
    assert not real_build["failure"], f"the real site failed to build:\n{real_build['failure']}"
    return Path(real_build["site"]), real_build["log"]


@pytest.fixture(scope="session")
def site(built) -> Path:
    return built[0]


@pytest.fixture(scope="session")
def config() -> dict:
    return mkdocs_config()


def _is_editor(path: Path, site: Path) -> bool:
    """The web editor at /admin/ is no public page (tests/test_cms_*.py check it)."""
    return path.relative_to(site).as_posix().startswith("admin/")


@pytest.fixture(scope="session")
def pages(site, config) -> dict[str, BeautifulSoup]:
    """Every built HTML page (except 404 and the "This page has moved" notices at renamed pages' old
    addresses, which tests/test_renames.py checks), keyed by its path in the site."""
    moved = {page_for(old) for old in config["extra"].get("redirects") or {}}
    return {
        str(path.relative_to(site)): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in sorted(site.rglob("*.html"))
        if path.name != "404.html" and str(path.relative_to(site)) not in moved and not _is_editor(path, site)
    }


@pytest.fixture(scope="session")
def search_index(site) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (browsers cannot be downloaded here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under the same path as its live address, as the 404 page's links expect."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def server(site, config):
    """The built site served on 127.0.0.1 by the test itself, at the path of the live address."""
    prefix = urlparse(config["site_url"]).path or "/"
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def urls(site, server, config) -> list[str]:
    """Every page of the site, 404 included (not the notices at renamed pages' old addresses, which only send
    the browser on to the new one: tests/test_renames.py checks them)."""
    moved = {page_for(old) for old in config["extra"].get("redirects") or {}}
    paths = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.relative_to(site).as_posix() not in moved and not _is_editor(p, site)
    )
    return [server + path.removesuffix("index.html") for path in paths]


def warm_cache(pdf_cache: Path, tmp_path: Path) -> Path:
    """A copy of the PDF cache the session's build filled, so only what changed renders."""
    cache = tmp_path / "cache"
    shutil.copytree(pdf_cache, cache)
    return cache


@pytest.fixture(scope="session")
def offline_copy(built, pdf_cache, tmp_path_factory) -> Path:
    """The offline zip as `make build` makes it, unzipped. Its PDFs come from the cache the real build filled."""
    work = tmp_path_factory.mktemp("offline")
    env = {"SCR_PDF": "1", "SCR_OFFLINE_COPY": "1", "SCR_PDF_CACHE": str(pdf_cache)}
    result = build_site(ROOT, work / "site", env, "mkdocs-offline.yml")
    assert result.returncode == 0, result.stderr
    spec = importlib.util.spec_from_file_location("make_offline_zip", ROOT / "scripts/make_offline_zip.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_zip(work / "site", work / "offline.zip")
    with zipfile.ZipFile(work / "offline.zip") as archive:
        archive.extractall(work / "unzipped")
    return work / "unzipped" / "scr-guidance-offline"


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throwaway copy of the project for building with one thing broken."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".git", ".venv", "site", ".site-*", ".cache", "__pycache__", "node_modules")
    shutil.copytree(ROOT, copy, ignore=ignore)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


def import_script(name: str):
    """A module from scripts/ (not a package), imported by file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look the module up while a class is made
    spec.loader.exec_module(module)
    return module


def page_for(src_uri: str) -> str:
    """The built HTML path for a Markdown source path (directory URLs)."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return "index.html"
    if stem.endswith("/index"):
        return stem.removesuffix("index") + "index.html"
    return stem + "/index.html"


def front_matter(path: Path) -> dict:
    return _yaml_of(path, whole=False)


def guidance_sources() -> dict[str, dict]:
    """Every guidance page in docs/ (not FAQ question files or snippets) with its front matter."""
    found = {}
    for path in sorted(DOCS.rglob("*.md")):
        rel = path.relative_to(DOCS).as_posix()
        if rel.startswith("_snippets/") or (rel.startswith("faq/") and rel != "faq/index.md"):
            continue
        found[rel] = front_matter(path)
    return found


def faq_sources() -> list[dict]:
    return [front_matter(p) for p in sorted((DOCS / "faq").glob("*.md")) if p.name != "index.md"]


def nav_entries(items=None) -> list[tuple[str, str]]:
    """Every (label, Markdown path) the navigation in mkdocs.yml lists, in order (labels may be empty)."""
    found = []
    for item in mkdocs_config()["nav"] if items is None else items or []:
        label, value = next(iter(item.items())) if isinstance(item, dict) else ("", item)
        if isinstance(value, list):
            found += nav_entries(value)
        elif isinstance(value, str) and value.endswith(".md"):
            found.append((label, value))
    return found


def first_banner_tel(config: dict) -> str:
    """The `tel:` link of the first number in the "Worried about a child?" banner (999 today)."""
    first = config["extra"]["worried_banner"][0]
    digits = "".join(config["extra"]["contacts"][first]["phone"].split())
    return "tel:" + ("+44" + digits[1:] if len(digits) > 4 and digits.startswith("0") else digits)


def theme_sources() -> dict[str, dict]:
    return {
        p.relative_to(DOCS).as_posix(): front_matter(p)
        for p in sorted((DOCS / "practice-themes").glob("*.md"))
        if p.name != "index.md"
    }


def form_page() -> str:
    """The page that defines the referral form (front matter `form:`)."""
    return next(src for src, meta in guidance_sources().items() if "form" in meta)


def plain_page() -> str:
    """A guidance page with nothing special about it: not the home page, a section index, a practice theme,
    the form, or a page the build needs by name. Tests that edit "some page" use it, whatever it is called."""
    from scr.offline import WORRIED_PAGE
    from scr.site import HISTORY_PAGE

    special = {"index.md", HISTORY_PAGE, WORRIED_PAGE}
    return next(
        src
        for src, meta in guidance_sources().items()
        if src not in special
        and not src.endswith("index.md")
        and src not in theme_sources()
        and not {"form", "process"} & set(meta)
    )


def first_theme() -> str:
    return next(iter(theme_sources()))


def marker_page(marker: str) -> str:
    """The guidance page that holds a marker such as `<!-- glossary -->`, whatever the page is called."""
    return next(src for src in guidance_sources() if marker in (DOCS / src).read_text(encoding="utf-8"))


def page_titled(words: str) -> str:
    """The guidance page whose title contains these words (any case), such as the accessibility statement,
    whatever its file is called."""
    return next(src for src, meta in guidance_sources().items() if words.lower() in meta["title"].lower())


def one_page_of_each_type() -> dict[str, str]:
    """One page of each type, as paths under the site's address: for the checks too slow to run on every page."""
    from scr import register

    form = next(path for path, meta in guidance_sources().items() if "form" in meta)
    return {
        "home": "",
        "guidance page": page_for(plain_page()).removesuffix("index.html"),
        "FAQ": "faq/",
        "practice theme": page_for(next(iter(theme_sources()))).removesuffix("index.html"),
        "form page": page_for(form).removesuffix("index.html"),
        "document register": page_for(register.PATH).removesuffix("index.html"),
        "404": "404.html",
    }
