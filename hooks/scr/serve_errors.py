"""`mkdocs serve`: a failed rebuild shows its message in the browser; the next good build brings the page back.

MkDocs' live-reload server (mkdocs/livereload) rebuilds on every save. When a rebuild fails it prints the
error in the terminal (a traceback, for a YAML mistake in mkdocs.yml), keeps the browser waiting and never
tells it why. Here, through the server's public parts (its `builder`, its WSGI app and its `root` folder):

- each rebuild first reads mkdocs.yml strictly (yaml_source), so a YAML mistake gets the editor's message
  with line, column and fix instead of a traceback, then builds while collecting the warnings and errors
  it logs;
- a failed rebuild writes those messages into an error page (hooks/templates/build-error.html) in the
  served folder and returns normally, so the server tells every open browser to reload;
- while the last rebuild failed, every page address answers with that error page. The server adds its
  live-reload script to it as to any page, so the next good build reloads the browser onto the page it
  was showing, without a manual reload;
- the live-reload script is inline, so each page's Content-Security-Policy (hooks/scr/security.py) would
  block it: its hash is added to the policy of every page served.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import traceback

from .config_file import load as load_config_file
from .errors import EditorError
from .templates import render

ERROR_PAGE = "_build-error.html"  # in the served folder, replaced by the next good build
log = logging.getLogger("mkdocs.plugins.scr")


class _Collect(logging.Handler):
    """Keeps the text of every warning and error logged during one build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class ServeErrors:
    """The server's builder and WSGI app, wrapped (see the module's docstring)."""

    def __init__(self, server, builder, config_file: str | None) -> None:
        self.server = server
        self.builder = builder
        self.config_file = config_file
        self.app = server.get_app()
        self.failed = False

    def build(self) -> None:
        collect = _Collect()
        logging.getLogger("mkdocs").addHandler(collect)
        try:
            if self.config_file:
                load_config_file(self.config_file)
            self.builder()
        except EditorError as error:  # mkdocs.yml could not be read: MkDocs itself would print a traceback
            log.error(error.message)  # collected, as everything logged at ERROR
        except SystemExit as abort:  # MkDocs' Abort, after it has logged the reasons ("Aborted with a BuildError!")
            if not collect.messages:
                collect.messages.append(str(abort))
        except Exception as error:  # not an editor's mistake: the developer needs the traceback
            traceback.print_exc()
            collect.messages.append(f"The build stopped with an unexpected error: {type(error).__name__}: {error}")
        else:
            self.failed = False
            return
        finally:
            logging.getLogger("mkdocs").removeHandler(collect)
        self.show(collect.messages)

    def show(self, messages: list[str]) -> None:
        os.makedirs(self.server.root, exist_ok=True)
        page = render("build-error.html", messages=[_split(message) for message in messages if message.strip()])
        with open(os.path.join(self.server.root, ERROR_PAGE), "w", encoding="utf-8") as file:
            file.write(page)
        self.failed = True
        log.error("The site could not be built: the browser shows why, and reloads by itself after the next good save.")

    def __call__(self, environ, start_response):
        """The WSGI app: while the last build failed, every page address gets the error page; every page's
        Content-Security-Policy lets the server's live-reload script run."""
        path = environ.get("PATH_INFO", "")
        last = path.rsplit("/", 1)[-1]
        if path.startswith("/livereload/") or not (not last or last.endswith(".html") or "." not in last):
            return self.app(environ, start_response)
        if self.failed:
            environ = {**environ, "PATH_INFO": self.server.mount_path + ERROR_PAGE}
        answer: dict = {}

        def keep(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return lambda data: None  # MkDocs' server never writes through this

        body = self.app(environ, keep)
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = answer["headers"]
        if any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers):
            content = allow_live_reload(content)
            headers = [(k, str(len(content)) if k.lower() == "content-length" else v) for k, v in headers]
        start_response(answer["status"], headers)
        return [content]


LIVE_RELOAD = re.compile(rb"<script>(?P<body>(?:(?!</script>).)*?livereload\((?:(?!</script>).)*)</script>", re.S)


def allow_live_reload(html: bytes) -> bytes:
    """Add the hash of the live-reload script MkDocs' server puts at the end of every page to the page's CSP
    (hooks/scr/security.py), which otherwise blocks it: the page would never reload by itself."""
    scripts = list(LIVE_RELOAD.finditer(html))
    if not scripts or b"Content-Security-Policy" not in html:
        return html
    digest = base64.b64encode(hashlib.sha256(scripts[-1].group("body")).digest())
    return html.replace(b"script-src 'self'", b"script-src 'self' 'sha256-" + digest + b"'", 1)


def _split(message: str) -> dict[str, str]:
    """A message as its where-and-what line and its "How to fix it" part (the format of errors.EditorError)."""
    text = message.strip()
    for prefix in ("ERROR", "WARNING"):
        text = text.removeprefix(prefix).lstrip(" -")
    problem, _, fix = text.partition("\n  How to fix it: ")
    return {"problem": problem.strip(), "fix": fix.strip()}


def install(server, builder, config_file: str | None):
    """Wrap a LiveReloadServer (from the hook's on_serve); returns the server, as on_serve must."""
    errors = ServeErrors(server, builder, config_file)
    server.builder = errors.build
    server.set_app(errors)
    return server
