"""The site builds unchanged with ProperDocs, the maintained fork of MkDocs 1.6, and gives the same site.

MkDocs 1.x is no longer maintained. If we have to move, ProperDocs is the first step (README,
"When MkDocs goes"). This builds the real site with ProperDocs, PDFs included, with the PDF cache
the session's MkDocs build filled, and compares the two sites file by file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.full  # a second build of the whole site: `make test` only

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def properdocs_build(tmp_path_factory, built):
    """The real site built by ProperDocs, as the session's MkDocs build was made: cold, with an empty PDF cache of
    its own. So the comparison below also proves that the PDFs are reproducible: two cold builds, the same bytes."""
    site_dir = tmp_path_factory.mktemp("properdocs-site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SCR_PDF": "1", "SCR_OFFLINE_ZIP": "1"}
    env["SCR_PDF_CACHE"] = str(tmp_path_factory.mktemp("properdocs-cache"))
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, f"ProperDocs could not build the site:\n{result.stdout}\n{result.stderr}"
    return site_dir, result.stderr


def _files(folder) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_properdocs_builds_the_same_files(site, properdocs_build):
    properdocs_site, _ = properdocs_build
    assert _files(properdocs_site) == _files(site)


def test_properdocs_pages_match_page_by_page(site, properdocs_build):
    """Every page, index, feed and PDF is the same bytes, apart from the generator tag that names the tool."""
    properdocs_site, _ = properdocs_build
    different = []
    for name in sorted(_files(site)):
        ours, theirs = (site / name).read_bytes(), (properdocs_site / name).read_bytes()
        if name.endswith(".html"):
            ours, theirs = GENERATOR.sub(b"", ours), GENERATOR.sub(b"", theirs)
        if ours != theirs:
            different.append(name)
    assert different == []


def test_the_properdocs_build_renders_every_pdf_afresh(site, properdocs_build):
    """Its PDFs come from a cold render, not from the session's cache: the byte-for-byte match above is a
    second cold build giving the same PDFs (reproducible builds), and ProperDocs giving every PDF the same input."""
    _, log = properdocs_build
    counts = re.search(r"PDFs: (\d+) rendered, (\d+) reused from cache", log)
    assert counts, log
    assert int(counts[1]) == len(list((site / "downloads").glob("*.pdf"))) and int(counts[2]) == 0, counts[0]
