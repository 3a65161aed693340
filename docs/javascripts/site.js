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

// On small screens the menu and search buttons are <label>s, which a keyboard cannot reach. Make them
// buttons. (Material already activates a focused label on Enter; Space is added here, as buttons expect.)
[["__drawer", "Menu"], ["__search", "Search"]].forEach(function (pair) {
  document.querySelectorAll('label.md-header__button[for="' + pair[0] + '"]').forEach(function (label) {
    label.setAttribute("tabindex", "0");
    label.setAttribute("role", "button");
    label.setAttribute("aria-label", pair[1]);
    label.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        label.click();
      }
    });
  });
});
