// The idle timeout, seen from the station: a minute before the server logs the session out, a banner
// counts down with a "Stay logged in" button that pings the server. The server decides (it keeps the
// last activity in the session); this only warns. The boards' own polling is not activity, on either side.
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.dataset.idleTimeout || "0", 10);
  if (!timeout) return;
  var banner = document.querySelector(".idle-warning");
  var countdown = banner && banner.querySelector("[data-idle-countdown]");
  var stay = banner && banner.querySelector("[data-idle-stay]");
  var WARN = Math.min(60, Math.floor(timeout / 2));
  var lastActivity = Date.now();

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function tick() {
    var left = timeout - Math.floor((Date.now() - lastActivity) / 1000);
    if (left <= 0) {
      window.location.href = body.dataset.idleLogout;
      return;
    }
    if (banner) {
      banner.hidden = left > WARN;
      if (countdown) countdown.textContent = String(left);
    }
  }

  function stayLoggedIn() {
    fetch(body.dataset.idlePing, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.ok) {
        lastActivity = Date.now();
        tick();
      } else {
        window.location.href = body.dataset.idleLogout;
      }
    });
  }

  if (stay) stay.addEventListener("click", stayLoggedIn);
  // A request a person caused (a search, a form sent with htmx) counts on the server too; a board's
  // poll (an element marked data-board) and the alarm banner's (data-passive) do not.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.closest && elt.closest("[data-board]")) return;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-passive")) return;
    lastActivity = Date.now();
  });
  window.setInterval(tick, 1000);
  tick();
})();
