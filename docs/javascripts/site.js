// Small accessibility fixes on top of Material for MkDocs. Served from the site itself (allowed by the CSP).

// On narrow screens Material lets a wide table scroll sideways inside its own box. Make every such
// box reachable and named for keyboard and screen reader users (WCAG 2.1.1), on every page view.
document$.subscribe(function () {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Table (scrolls sideways on small screens)");
  });
});

// The header's menu and search buttons are real <button>s (overrides/partials/header.html). Material
// opens its drawer and search panel with hidden checkboxes (#__drawer, #__search): each button clicks
// its checkbox, as Material's own labels did, and says whether its panel is open (aria-expanded).
document.querySelectorAll("button[data-scr-toggle]").forEach(function (button) {
  var toggle = document.getElementById(button.getAttribute("data-scr-toggle"));
  if (!toggle) return;
  var sync = function () {
    button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
  };
  button.addEventListener("click", function () {
    toggle.click();
    if (toggle.id === "__search" && toggle.checked) {
      var query = document.querySelector(".md-search__input");
      if (query) query.focus();
    }
  });
  toggle.addEventListener("change", sync);
  sync();
});
