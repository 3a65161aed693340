// The site's additions to Material's search, loaded before Material's bundle (overrides/main.html).
//
// 1. Screen readers hear the number of results: the line that shows it becomes a polite live region.
//
// 2. Holds back the download of the search index until a visitor starts to search: focus on the search
// box, typing in it, its shortcut keys (/, s, f) or opening it on a small screen. Material's bundle
// asks for the index as soon as a page opens:
// - on a web server, with an XMLHttpRequest for search/search_index.json (held back here);
// - from disk (the offline copy), with a <script> for search/search_index.js (held back here too).
// A page opened from a search result (?h=...) or a search link (?q=...) needs the index at once.
// tests/test_search.py pins what this relies on in Material's bundle.
(function () {
  "use strict";
  var meta = document.querySelector(".md-search-result__meta");
  if (meta) {
    meta.setAttribute("role", "status");
    meta.setAttribute("aria-live", "polite");
  }

  // 3. A search that finds nothing never ends there: the suggestions under the results (where to call,
  // the FAQ, the glossary, how to tell us) show whenever the count line says nothing matched.
  var help = document.querySelector(".scr-search-help");
  if (meta && help && typeof MutationObserver !== "undefined") {
    new MutationObserver(function () {
      help.hidden = meta.textContent.trim() !== help.getAttribute("data-none");
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }

  var INDEX = /\/search\/search_index\.js(on)?(\?|#|$)/;
  var started = false;
  var waiting = [];

  function start() {
    if (started) {
      return;
    }
    started = true;
    waiting.splice(0).forEach(function (resume) { resume(); });
  }

  function later(resume) {
    if (started) {
      resume();
    } else {
      waiting.push(resume);
    }
  }

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.scrSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.scrSearchIndex) {
      return send.apply(request, args);
    }
    later(function () { send.apply(request, args); });
  };

  var append = Node.prototype.appendChild;
  Node.prototype.appendChild = function (child) {
    var parent = this;
    if (child && child.tagName === "SCRIPT" && INDEX.test(child.src || "")) {
      later(function () { append.call(parent, child); });
      return child;
    }
    return append.call(parent, child);
  };

  var params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) {
    start();
    return;
  }
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.matches && event.target.matches("[data-md-component=search-query]")) {
      start();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) {
      start();
    }
  });
  document.addEventListener("keydown", function (event) {
    var field = event.target && event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if (!field && !event.ctrlKey && !event.metaKey && !event.altKey && /^[/sf]$/i.test(event.key)) {
      start();
    }
  }, true);
})();
