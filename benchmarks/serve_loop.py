"""The editors' loop: time from saving a Markdown file to the rebuilt page under `mkdocs serve`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from harness import PYTHON, environment

PAGE = "privacy.md"
URL_PATH = "privacy/"
POLL = 0.02
TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


class Server:
    """`mkdocs serve` of one config in a project copy, with its log in a file."""

    def __init__(self, project: Path, config: str) -> None:
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/{URL_PATH}"
        self.log = tempfile.NamedTemporaryFile(prefix="bench-serve-", suffix=".log", delete=False)
        args = [PYTHON, "-m", "mkdocs", "serve", "--config-file", config, "--dev-addr", f"127.0.0.1:{self.port}"]
        env = environment({"SITE_URL": f"http://127.0.0.1:{self.port}/"})
        self.process = subprocess.Popen(args, cwd=project, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def wait_until(self, condition, what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(
                    f"mkdocs serve in {self.project}: {what}:\n{Path(self.log.name).read_text()[-3000:]}"
                )
            time.sleep(POLL)

    def ready(self) -> None:
        self.wait_until(lambda: fetch(self.url) is not None, "the page was never served")

    def edit_and_wait(self, text: str) -> float:
        """Append a sentence to the page's Markdown; seconds until the served page shows it.

        MkDocs holds every page request while a rebuild runs, so once the sentence is served the rebuild is over.
        """
        with open(self.project / "docs" / PAGE, "a", encoding="utf-8") as page:
            page.write(f"\n{text}\n")
        saved = time.perf_counter()
        self.wait_until(lambda: text in (fetch(self.url) or ""), "the edit never appeared")
        return time.perf_counter() - saved

    def stop(self) -> None:
        """Ctrl+C, as an editor stops it; kill only if it does not exit."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        os.unlink(self.log.name)


@contextmanager
def serving(servers: dict[str, tuple[Path, str]]):
    """Start a server for each (project, config), wait until each serves the page, stop them all at the end."""
    started = {}
    try:
        for name, (project, config) in servers.items():
            started[name] = Server(project, config)
        for server in started.values():
            server.ready()
        yield started
    finally:
        for server in started.values():
            server.stop()
