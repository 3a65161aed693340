"""Fetch the web editor (Decap CMS) for /admin/: its one published file set, not its dependency tree.

`decap-cms` on npm is a ready-built bundle, but its package.json also pulls in the ~700 packages it was built
from, which would more than double `npm ci` for every test run. So `make` runs this instead: `npm pack` fetches
the package's own tarball from the npm registry (through npm's cache), the tarball is checked against the
sha512 pinned in package.json (`webEditor`), and only the files the browser loads are unpacked into
.cache/web-editor/<name>-<version>/: the bundle, and its licence notice (which the bundle's first line points
to). The build (hooks/scr/cms.py) copies that folder into site/admin/.

Left out: the source maps (nothing asks for them), and the chunks the bundle can load on demand, which this
editor never asks for (seen in Chromium, and checked by tests/test_cms_browser.py, which fails if the editor asks
the site for a file it does not have): 91 are CodeMirror language modes, for Decap's `code` widget and the Markdown
code-block component (the forms have neither: hooks/scr/cms.py sets `editor_components: []`), and 3 are a WebP
encoder with its two .wasm files, for image processing on upload, which config.yml does not turn on. Turn one of
those on, and widen `wanted` below.

Usage: .venv/bin/python scripts/fetch_web_editor.py   (`make web-editor`; make runs it again when package.json or
this script changes)
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from scr import cms  # noqa: E402  (the pin and the folder are read where the build reads them)


def wanted(member: str, script: str) -> bool:
    """The bundle and its licence notice: no chunk, no source map (see above)."""
    return member in (f"package/dist/{script}", f"package/dist/{script}.LICENSE.txt")


def main() -> int:
    pin = cms.web_editor_pin(ROOT)
    target = cms.bundle_dir(ROOT)
    with tempfile.TemporaryDirectory() as work:
        spec = f"{pin['name']}@{pin['version']}"
        result = subprocess.run(
            ["npm", "pack", spec, "--pack-destination", work, "--json", "--loglevel=error"],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print(f"npm pack {spec} failed:\n{result.stderr}", file=sys.stderr)
            return 1
        tarball = Path(work) / json.loads(result.stdout)[0]["filename"]
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != pin["integrity"]:
            print(
                f"{tarball.name} is not the file pinned in package.json (webEditor.integrity):\n"
                f"  pinned {pin['integrity']}\n  got    {digest}\n"
                "If you changed webEditor.version on purpose, set webEditor.integrity to "
                f"`npm view {spec} dist.integrity`.",
                file=sys.stderr,
            )
            return 1
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.isfile() and wanted(m.name, cms.SCRIPT)]
            for member in members:
                source = archive.extractfile(member)
                assert source is not None
                (partial / Path(member.name).name).write_bytes(source.read())
        if not (partial / cms.SCRIPT).is_file():
            print(f"{tarball.name} has no dist/{cms.SCRIPT}: is webEditor.name right?", file=sys.stderr)
            return 1
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    print(f"web editor: {spec} ({len(members)} files) in {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
