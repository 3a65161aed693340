"""Where the site is published, and the pull request's preview: the addresses in the built site are the ones
that will really serve it (README, "Where the site is published")."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, build_site, mkdocs_config

WORKFLOWS = ROOT / ".github" / "workflows"


def published_address(config: dict) -> str:
    """Where publish.yml's gh-pages branch is served: the custom domain in docs/CNAME, or else GitHub Pages for
    the repository that edit_uri names (https://OWNER.github.io/REPO/)."""
    cname = ROOT / "docs" / "CNAME"
    if cname.exists():
        return f"https://{cname.read_text(encoding='utf-8').strip()}/"
    owner, repo = re.match(r"https://github\.com/([^/]+)/([^/]+)/", config["edit_uri"]).groups()
    return f"https://{owner.lower()}.github.io/{repo}/"


def locations(site: Path) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))


def root_paths(html: str) -> list[str]:
    """Every address in a page that starts at the server's root (href="/…", src="/…")."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        value
        for tag in soup.find_all(["a", "link", "script", "img"])
        for value in (tag.get("href"), tag.get("src"))
        if value and value.startswith("/")
    ]


def test_site_url_is_where_the_publish_workflow_publishes():
    config = mkdocs_config()
    publish = yaml.safe_load((WORKFLOWS / "publish.yml").read_text(encoding="utf-8"))
    deploy = [s for job in publish["jobs"].values() for s in job["steps"] if "github-pages-deploy" in s.get("uses", "")]
    assert deploy and deploy[0]["with"]["branch"] == "gh-pages"
    assert config["site_url"] == published_address(config), (
        "site_url in mkdocs.yml must be the address the gh-pages branch is served at "
        "(https://OWNER.github.io/REPO/, or https://DOMAIN/ with docs/CNAME)"
    )


def test_the_sitemap_404_page_and_pdfs_carry_the_published_address(site, config):
    address = config["site_url"]
    assert locations(site) and all(loc.startswith(address) for loc in locations(site))
    path = urlsplit(address).path
    paths = root_paths((site / "404.html").read_text(encoding="utf-8"))
    assert paths and all(p.startswith(path) for p in paths), [p for p in paths if not p.startswith(path)]
    canonical = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").find(
        "link", rel="canonical"
    )
    assert canonical["href"] == address
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert not home.find("meta", attrs={"name": "robots"}), "the published site must be open to search engines"


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> tuple[Path, str]:
    """The site built as a pull request's preview, as pull-request.yml builds it."""
    folder = "pr-preview/pr-7/"
    site = tmp_path_factory.mktemp("preview") / "site"
    result = build_site(ROOT, site, {"SCR_PDF": "0", "SCR_PREVIEW_DIR": folder})
    assert result.returncode == 0, result.stderr
    return site, urljoin(mkdocs_config()["site_url"], folder)


def test_a_preview_carries_its_own_address_everywhere(preview):
    site, address = preview
    assert all(loc.startswith(address) for loc in locations(site))
    paths = root_paths((site / "404.html").read_text(encoding="utf-8"))
    assert paths and all(p.startswith(urlsplit(address).path) for p in paths)


def test_a_preview_asks_search_engines_not_to_index_it(preview):
    site, _ = preview
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        if "http-equiv" in page.read_text(encoding="utf-8")[:600]:  # a "moved" notice only forwards the browser
            continue
        robots = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("meta", attrs={"name": "robots"})
        assert robots and "noindex" in robots["content"], page.relative_to(site)


@pytest.mark.parametrize("folder", ["../elsewhere/", "https://example.org/", "pr-7"])
def test_a_preview_folder_that_is_not_a_folder_fails_with_what_to_write(tmp_path, folder):
    result = build_site(ROOT, tmp_path / "site", {"SCR_PDF": "0", "SCR_PREVIEW_DIR": folder})
    assert result.returncode != 0
    assert "SCR_PREVIEW_DIR" in result.stderr and "such as pr-preview/pr-12/" in result.stderr
    assert "Traceback" not in result.stderr
