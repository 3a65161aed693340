// The site's search worker: a thin wrapper around Material for MkDocs' own search worker.
// Made by the build (hooks/scr/search.py) from hooks/templates/search-worker.js.
//
// - Material's worker (lunr and its index) is loaded only when the first message arrives, which
//   Material sends once the search index has been downloaded, that is, once a visitor starts to search.
// - Each query is tuned before Material's worker sees it: words that say nothing ("how", "do", "I",
//   "mean") and words on half the site's pages ("child", "review") are dropped when others remain;
//   an abbreviation from the glossary brings the words it stands for, and those words bring the
//   abbreviation; words of five letters or more also match with one letter wrong (lunr's word~1);
//   and a word the site never uses, with a common ending, also finds the other forms of its root
//   ("disciplined" finds "disciplinary": lunr's stemmer alone cannot bridge them), as root* with the
//   ending taken off. A word the site does use is left to match itself.
// Material's messages: {type: 0, data: {config, docs, options}} sets up the index, {type: 2, data: query}
// asks a query. tests/test_search.py pins both, so an upgrade that changes them fails loudly.
(function () {
  "use strict";
  var SETUP = 0;
  var QUERY = 2;
  var FUZZY_MIN_LENGTH = 5;
  var ROOT_MIN_LENGTH = 5;
  var ROOT_BOOST = 0.3;
  // Endings that make other forms of one word, longest first: "disciplin|ed", "interview|ing", "publish|ed".
  var ENDINGS = ["ational", "ations", "ation", "ments", "ment", "ingly", "ings", "ing", "aries", "ary", "ions",
    "ion", "ives", "ive", "edly", "ied", "ies", "ers", "er", "ed", "ness", "ities", "ity", "ally", "al", "ly", "es", "s"];

  // The root of a word, for finding its other forms (root*), or null if it has no ending to take off.
  function root(word) {
    for (var i = 0; i < ENDINGS.length; i++) {
      var ending = ENDINGS[i];
      if (word.length - ending.length >= ROOT_MIN_LENGTH && word.slice(-ending.length) === ending) {
        return word.slice(0, -ending.length);
      }
    }
    return null;
  }
  var MATERIAL = {{ material_worker | tojson }};
  var synonyms = {};
  var loaded = null;

  // Under the offline copy's iframe-worker shim this runs in a hidden iframe, where relative addresses
  // resolve against the page: find our own address from our script element instead.
  function materialUrl() {
    var script = typeof document !== "undefined" && document.querySelector("script[src]");
    return new URL(MATERIAL, script ? script.src : self.location.href).href;
  }

  function load() {
    if (!loaded) {
      // importScripts is synchronous in a worker, and returns a promise under the shim.
      loaded = Promise.resolve(importScripts(materialUrl()));
    }
    return loaded;
  }

  // Words that carry no meaning in a question typed to this site ("what does LADO mean").
  var FILLERS = ["mean", "means", "meaning", "stand", "stands", "tell", "know", "want", "need", "please"];
  var common = {};
  var vocabulary = {}; // every word on the site, lower case

  function learnWords(docs) {
    (docs || []).forEach(function (doc) {
      ((doc.title || "") + " " + (doc.text || "")).toLowerCase().replace(/<[^>]*>/g, " ")
        .split(/[^a-z]+/).forEach(function (word) { vocabulary[word] = true; });
    });
  }

  function isFiller(word) {
    return FILLERS.indexOf(word) >= 0 || (typeof self.lunr !== "undefined" && !self.lunr.stopWordFilter(word));
  }

  function tune(query) {
    if (typeof query !== "string" || /[+~^*:"]|(^|\s)-/.test(query)) {
      return query; // the visitor wrote lunr's own syntax: leave it as it is
    }
    var words = query.toLowerCase().replace(/[^\w'\s-]/g, " ").split(/[\s\-]+/).filter(Boolean);
    var kept = words.filter(function (word) { return !isFiller(word); });
    // A word found on half the pages or more ("child", "review") picks out nothing: leave it out
    // when the query has other words.
    var specific = kept.filter(function (word) { return !common[word]; });
    if (specific.length) {
      kept = specific;
    }
    if (!kept.length) {
      return query;
    }
    var terms = kept.slice();
    Object.keys(synonyms).forEach(function (abbr) {
      var expansion = synonyms[abbr];
      if (kept.indexOf(abbr) >= 0) {
        expansion.forEach(function (word) {
          if (!isFiller(word) && !common[word]) {
            terms.push(word);
          }
        });
      } else if (expansion.every(function (word) { return isFiller(word) || words.indexOf(word) >= 0; })) {
        terms.push(abbr);
      }
    });
    kept.forEach(function (word) {
      if (word.length >= FUZZY_MIN_LENGTH && /^\w+$/.test(word)) {
        terms.push(word + "~1");
      }
      var base = /^[a-z]+$/.test(word) && !vocabulary[word] && root(word);
      if (base) {
        terms.push(base + "*^" + ROOT_BOOST); // weaker than the word itself, so exact words still lead
      }
    });
    return terms.join(" ");
  }

  addEventListener("message", function (event) {
    if (event.scrTuned) {
      return; // our own copy, for Material's listener
    }
    event.stopImmediatePropagation();
    var message = event.data;
    load().then(function () {
      if (message && message.type === SETUP && message.data && message.data.config) {
        synonyms = message.data.config.synonyms || {};
        (message.data.config.common || []).forEach(function (word) { common[word] = true; });
        learnWords(message.data.docs);
      } else if (message && message.type === QUERY) {
        message = { type: QUERY, data: tune(message.data) };
      }
      var copy = new MessageEvent("message", { data: message });
      copy.scrTuned = true;
      dispatchEvent(copy);
    });
  });
})();
