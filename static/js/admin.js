// Django's admin to WCAG 2.1 AA: the two-box selector (filter_horizontal) names its search icons with an
// aria-label on a plain span, which ARIA does not allow; as an image, the icon may carry the name.
(function () {
  "use strict";
  function nameIcons() {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  // SelectFilter2.js draws the boxes on the window's load, in a listener added before this deferred script's.
  window.addEventListener("load", function () {
    nameIcons();
    window.setTimeout(nameIcons);
  });
})();
