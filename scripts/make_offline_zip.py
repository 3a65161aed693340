"""Zip the offline build into downloads/scr-guidance-offline.zip, the same bytes for the same files.

Usage: python scripts/make_offline_zip.py SITE_DIR ZIP_PATH
"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from pathlib import Path

TOP = "scr-guidance-offline"


def make_zip(site_dir: Path, target: Path) -> int:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 315532800)  # 1980-01-01, the earliest a zip can say
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{TOP}/{path.relative_to(site_dir).as_posix()}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return len(files)


if __name__ == "__main__":
    count = make_zip(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"offline copy: {count} files in {sys.argv[2]}")
