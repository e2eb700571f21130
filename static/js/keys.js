/*
 * The keyboard on every page: the skip links, "/" to the code search, the arrow keys in the search's
 * matches, and where the focus goes after a message. The keys of each station are listed on the page
 * (templates/partials/_keys.html) and in docs/accessibility.md. No inline script: everything is read
 * from data attributes.
 *
 *   .skip-link[href="#id"]   moves the focus to the element (made focusable for the moment)
 *   [data-key-search]        the code search that "/" focuses (not while typing in a field); ArrowDown
 *                            from it goes to the first match
 *   [data-key-search-page]   the page "/" goes to when this one has no code search (the station's keys help
 *                            names it: the reception's pages go to the reception's search)
 *   [data-key-results]       the matches under the search: ArrowDown/ArrowUp move from one [data-result]
 *                            link to the next, Home/End to the first and last, Escape back to the search;
 *                            Enter opens the match (it is a link)
 *   [data-keys-single]       the checkbox in the keys help that turns the single-key shortcuts ("/") off
 *                            (WCAG 2.1.4), remembered in this browser
 *   [data-messages]          the page's messages: an error among them takes the focus when the page opens
 *   #board-messages          the answer to an action on a board (static/js/timers.js shows it): an error
 *                            or a question takes the focus; a notice with data-focus="<id>" sends it to
 *                            that heading's card (its primary action, or the heading when it has none) or
 *                            to the heading; a notice whose action
 *                            took the focused element away takes the focus itself
 */
(function () {
  "use strict";
  if (window.__keys) return;
  window.__keys = true;

  var SINGLE_KEYS = "keys.single";
  var FOCUSABLE = "button:not([disabled]), a[href], input:not([type=hidden]):not([disabled]), select, textarea, summary";

  function singleKeysOn() {
    try {
      return window.localStorage.getItem(SINGLE_KEYS) !== "off";
    } catch (e) {
      return true;
    }
  }

  // The board's refresh morphs it into the server's version, which would take away a tabindex set
  // here, and the focus with it: the morph is told to keep those (after static/js/timers.js has set
  // its own rules, which are kept).
  function keepTabindex() {
    if (!window.Idiomorph) return;
    var callbacks = Idiomorph.defaults.callbacks;
    var before = callbacks.beforeAttributeUpdated;
    if (before && before.__keys) return;
    var wrapped = function (name, elt, how) {
      if (name === "tabindex" && how === "remove" && elt.__keysFocusable) return false;
      return before ? before.apply(this, arguments) : undefined;
    };
    wrapped.__keys = true;
    callbacks.beforeAttributeUpdated = wrapped;
  }

  // An element that is not focusable of itself (a heading, a message) is made so for the script alone.
  function focusOn(el) {
    if (!el) return false;
    if (!el.matches(FOCUSABLE) && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "-1");
      el.__keysFocusable = true;
      keepTabindex();
    }
    el.focus();
    return document.activeElement === el;
  }

  function typing(el) {
    if (!el || el === document.body) return false;
    return el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
  }

  function lost() {
    var el = document.activeElement;
    return !el || el === document.body || !el.isConnected;
  }

  // Skip links: the target takes the focus, so that the next Tab goes on from there.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".skip-link");
    if (!link) return;
    var target = document.getElementById((link.getAttribute("href") || "").replace(/^#/, ""));
    if (!target) return;
    event.preventDefault();
    focusOn(target);
    target.scrollIntoView({ block: "start" });
  });

  function results() {
    var box = document.querySelector("[data-key-results]");
    return box ? Array.prototype.slice.call(box.querySelectorAll("a[data-result]")) : [];
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var active = document.activeElement;
    var search = document.querySelector("[data-key-search]");

    // "/" focuses the code search, wherever the focus is but in a field; on a page of the same station
    // without one (a client's card), it goes to the search's page.
    if (event.key === "/" && !typing(active) && singleKeysOn()) {
      var page = document.querySelector("[data-key-search-page]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      } else if (page) {
        event.preventDefault();
        window.location.href = page.getAttribute("data-key-search-page");
      }
      return;
    }

    // The arrow keys in the search's matches (roving focus over the links; Enter follows the link).
    var links = results();
    if (!links.length) return;
    var at = links.indexOf(active);
    var next = null;
    if (active === search && event.key === "ArrowDown") next = links[0];
    else if (at === -1) return;
    else if (event.key === "ArrowDown") next = links[Math.min(at + 1, links.length - 1)];
    else if (event.key === "ArrowUp") next = at === 0 ? search : links[at - 1];
    else if (event.key === "Home") next = links[0];
    else if (event.key === "End") next = links[links.length - 1];
    else if (event.key === "Escape") next = search;
    if (!next) return;
    event.preventDefault();
    next.focus();
  });

  // The switch for the single-key shortcuts, in the keys help.
  function startSwitch() {
    document.querySelectorAll("[data-keys-single]").forEach(function (box) {
      box.checked = singleKeysOn();
      box.addEventListener("change", function () {
        try {
          if (box.checked) window.localStorage.removeItem(SINGLE_KEYS);
          else window.localStorage.setItem(SINGLE_KEYS, "off");
        } catch (e) {
          /* private mode: the switch lasts for this page */
        }
      });
    });
    var search = document.querySelector("[data-key-search]");
    if (search && !singleKeysOn()) search.removeAttribute("aria-keyshortcuts");
  }

  // A page drawn with an error (a message, or a form sent back with its errors): the error is the
  // next thing to read and to fix.
  function focusError() {
    var error =
      document.querySelector("[data-messages] .alert-danger") ||
      document.querySelector("main form .alert-danger, main [data-testid=blockers]") ||
      document.querySelector("main form .is-invalid");
    if (error) focusOn(error);
  }

  // The answer to an action on a board, once it is shown above the board (after the board's refresh).
  function answered(box) {
    var error = box.querySelector("[data-testid=board-error]");
    if (error) return focusOn(error);
    var question = box.querySelector("[data-testid=assign-confirm]");
    if (question) return focusOn(question.querySelector("button") || question);
    var notice = box.querySelector("[data-testid=board-notice]");
    if (!notice) return;
    var id = notice.getAttribute("data-focus");
    var target = id && document.getElementById(id);
    if (target) {
      var card = document.querySelector('article[aria-labelledby="' + id + '"]');
      // The card may be new to the page: its forms are given to htmx now (as the swap's settle would do
      // in a moment, and no twice), so that an Enter at once posts as the board's forms do.
      if (card && window.htmx) htmx.process(card);
      // The card's primary action ("End: to observation" on a booth), not the emergency button before it.
      var action = card && (card.querySelector(".btn-primary:not([disabled])") || card.querySelector(FOCUSABLE));
      if (focusOn(action || target)) return;
    }
    if (lost()) focusOn(notice);
  }

  function watchBoardMessages() {
    var box = document.getElementById("board-messages");
    if (!box || !window.MutationObserver) return;
    new MutationObserver(function () {
      if (box.children.length) answered(box);
    }).observe(box, { childList: true });
  }

  function start() {
    startSwitch();
    focusError();
    watchBoardMessages();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
