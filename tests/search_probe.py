"""What the search tests and the search benchmark share: Chromium's flags, a watch on Material's search worker,
and how to read the first results off the page. Plain Python, no pytest, so the benchmark can import it."""

from __future__ import annotations

# Debian's Chromium, as root, on a machine with no network: no sandbox, and none of Chromium's own connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Counts the queries Material's page script sends to the search worker and the results that come back,
# so a test knows when the results on screen are those of the query it typed.
WORKER_WATCH = """
(() => {
  const Native = window.Worker;
  window.__search = {sent: 0, received: 0, last: null, workers: []};
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      window.__search.workers.push(new URL(args[0], location.href).href);
      this.addEventListener("message", e => { if (e.data && e.data.type === 3) window.__search.received++; });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) { window.__search.sent++; window.__search.last = message.data; }
      return super.postMessage(message, ...rest);
    }
  };
})();
"""

RESULTS = """
async (base) => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [...document.querySelectorAll(".md-search-result__item")].slice(0, 3).map(item =>
    [...item.querySelectorAll("a[href]")].filter(a => !a.closest("details")).map(a => {
      const url = new URL(a.href);
      return url.pathname.slice(new URL(base).pathname.length) + url.hash;
    }));
}
"""


def ask(page, base: str, query: str) -> list[list[str]]:
    """Type a query into the search box, key by key, and return the first three result groups' links."""
    box = page.locator("input.md-search__input")
    # All but the last letter at once, then the last one as a key press: Material reads the box on keyup, so it
    # searches for the whole query as a typist's last key would make it, without a search for every letter.
    box.fill(query[:-1])
    page.keyboard.type(query[-1:])
    page.wait_for_function(
        "q => window.__search.last === q && window.__search.sent === window.__search.received", arg=query
    )
    return page.evaluate(RESULTS, base)


def found(groups: list[list[str]], wanted: str) -> bool:
    """The wanted page heads one of the groups; a wanted section (#anchor) is shown in its group."""
    if "#" in wanted:
        return any(wanted in links for links in groups)
    return any(links and links[0].split("#")[0] == wanted for links in groups)
