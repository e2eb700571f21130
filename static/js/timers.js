/*
 * Timers on the floor, injection and observation boards.
 *
 * The server owns the time: every timer is an ISO timestamp in a data attribute, and each board
 * carries the server's "now" (data-server-now) so that a wrong clock on the station computer is
 * corrected. The browser only ticks the display every second between refreshes, and re-syncs when
 * the tab becomes visible again. No inline script: everything is read from data attributes.
 *
 *   [data-board]           a board; data-server-now (or the X-Server-Now header of its refresh), data-label-* (translated texts, "{time}" marks the time),
 *                          data-timer-statuses (each kind of timer's statuses and their labels, JSON); the
 *                          server writes both from core/timers.py, so no text is kept here
 *   [data-ticks]           not a board but ticks like one (the alarm banner on every page); data-server-now
 *   [data-since]           counts up from the timestamp
 *   [data-until]           counts down to the timestamp, then shows how far past it
 *   [data-timer-card]      a card ("booth", "observation") whose status follows data-due-soon / data-deadline or
 *                          data-minimum (observation); [data-status-text] inside gets the status text
 *   [data-check-due]       the next check: ok before data-check-due, due until data-check-overdue, then
 *                          overdue (class check-ok / check-due / check-overdue and the text; data-check-time
 *                          is the due time as the server wrote it, "{due}" in the labels)
 *   [data-closing]         the closing banner (visits/templatetags/closing.py): shown from data-warn (the time left,
 *                          data-label-left with "{minutes}"), from data-last ("check-in is closed") until
 *                          data-closes, then "closed" until data-ends; inside a board, or on its own with
 *                          data-server-now
 *   [data-board-dismiss]   "Cancel" of a question above a board (assign a booth past closing): it goes away
 */
(function () {
  "use strict";
  // Loaded on every page (for the alarm banner) and again by the board pages: one copy runs.
  if (window.__boardTimers) return;
  window.__boardTimers = true;

  function parse(value) {
    var t = Date.parse(value);
    return isNaN(t) ? null : t;
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function label(board, name, time) {
    var text = board.getAttribute("data-label-" + name) || "";
    return text.replace("{time}", time);
  }

  // Each refresh tells how far the station's clock is from the server's. A refresh that took long to
  // arrive makes the server look earlier than it is, so the largest of the recent estimates is the
  // best one; taking it also keeps a timer from stepping back after a slow refresh.
  var skews = [];
  var SKEW_SAMPLES = 12;

  function sync(board) {
    // A board answered by its poll is drawn once for everyone (maybe earlier in the minute): the
    // server's clock comes in a header of the answer (kept by htmx:beforeSwap below).
    var serverNow = parse(board._serverNow || board.getAttribute("data-server-now"));
    if (serverNow !== null) {
      skews.push(serverNow - Date.now());
      if (skews.length > SKEW_SAMPLES) skews.shift();
    }
    board._skew = skews.length ? Math.max.apply(null, skews) : 0;
  }

  function statusLabels(board, card) {
    var raw = board.getAttribute("data-timer-statuses") || "{}";
    if (board._statusSource !== raw) {
      board._statusSource = raw;
      board._statuses = JSON.parse(raw);
    }
    return board._statuses[card.getAttribute("data-timer-card")] || {};
  }

  function setStatus(board, card, status) {
    if (card.getAttribute("data-status") === status) return;
    var labels = statusLabels(board, card);
    card.setAttribute("data-status", status);
    Object.keys(labels).forEach(function (name) {
      card.classList.toggle("status-" + name, name === status);
    });
    var badge = card.querySelector("[data-status-text]");
    if (badge) badge.textContent = labels[status] || "";
  }

  function tick(board) {
    if (board._skew === undefined) sync(board);
    var now = Date.now() + board._skew;

    board.querySelectorAll("[data-since]").forEach(function (el) {
      var since = parse(el.getAttribute("data-since"));
      if (since !== null) el.textContent = clock((now - since) / 1000);
    });
    board.querySelectorAll("[data-until]").forEach(function (el) {
      var until = parse(el.getAttribute("data-until"));
      if (until === null) return;
      var left = (until - now) / 1000;
      var kind = el.getAttribute("data-until-kind") || "left";
      if (left > 0) {
        el.textContent = label(board, kind, clock(left));
      } else {
        el.textContent = label(board, kind + "-past", clock(-left));
      }
    });
    board.querySelectorAll("[data-check-due]").forEach(function (el) {
      var due = parse(el.getAttribute("data-check-due"));
      if (due === null) return;
      var overdue = parse(el.getAttribute("data-check-overdue"));
      var status, text;
      if (now < due) {
        status = "ok";
        text = label(board, "check-ok", clock((due - now) / 1000));
      } else if (overdue === null || now < overdue) {
        status = "due";
        text = label(board, "check-due", "");
      } else {
        status = "overdue";
        text = label(board, "check-overdue", "").replace("{minutes}", String(Math.floor((now - due) / 60000)));
      }
      ["ok", "due", "overdue"].forEach(function (name) {
        el.classList.toggle("check-" + name, name === status);
      });
      text = text.replace("{due}", el.getAttribute("data-check-time") || "");
      if (text && el.textContent !== text) el.textContent = text;
    });
    board.querySelectorAll("[data-timer-card]").forEach(function (card) {
      var deadline = parse(card.getAttribute("data-deadline"));
      var minimum = parse(card.getAttribute("data-minimum"));
      if (deadline !== null) {
        var dueSoon = parse(card.getAttribute("data-due-soon"));
        if (now >= deadline) setStatus(board, card, "overdue");
        else if (dueSoon !== null && now >= dueSoon) setStatus(board, card, "due_soon");
        else setStatus(board, card, "running");
      } else if (minimum !== null) {
        setStatus(board, card, now >= minimum ? "minimum_reached" : "running");
      }
    });
  }

  // The closing banner: which of its parts shows is a matter of the clock; only the minutes left change.
  function tickClosing(el) {
    // Inside a board, the board's clock; on its own (drawn with the page), its data-server-now counted once.
    var host = el.closest("[data-board]") || el;
    if (host._skew === undefined) sync(host);
    var now = Date.now() + (host === el && skews.length ? Math.max.apply(null, skews) : host._skew);
    var at = {};
    ["warn", "last", "closes", "ends"].forEach(function (name) {
      at[name] = parse(el.getAttribute("data-" + name));
    });
    if (at.closes === null) return;
    var parts = {
      left: at.warn !== null && now >= at.warn && now < at.closes,
      admission: at.last !== null && now >= at.last && now < at.closes,
      closed: now >= at.closes && (at.ends === null || now < at.ends),
    };
    var shown = false;
    Object.keys(parts).forEach(function (name) {
      var part = el.querySelector("[data-closing-" + name + "]");
      if (part && part.hidden === parts[name]) part.hidden = !parts[name];
      shown = shown || parts[name];
    });
    if (el.hidden === shown) el.hidden = !shown;
    if (parts.left) {
      var left = el.querySelector("[data-closing-left]");
      var text = (el.getAttribute("data-label-left") || "").replace(
        "{minutes}",
        String(Math.max(0, Math.ceil((at.closes - now) / 60000)))
      );
      if (left && text && left.textContent !== text) left.textContent = text;
    }
  }

  function boards() {
    return document.querySelectorAll("[data-board]");
  }

  function tickers() {
    return document.querySelectorAll("[data-board], [data-ticks]");
  }

  function tickAll() {
    tickers().forEach(tick);
    document.querySelectorAll("[data-closing]").forEach(tickClosing);
  }

  // A refresh must not wipe what someone is typing or choosing. The board is morphed into its new
  // version (hx-swap="morph": the idiomorph extension), so the fields, the open <details> and the focus
  // are the same elements as before; each form has an id, so that it is only ever morphed into itself.
  // Two rules keep what a person did: a field they have changed keeps its value (the focused one by
  // idiomorph's own ignoreActiveValue), and a section they opened stays open. Requests do not cross
  // (hx-sync on the board and its forms): an action cuts short a refresh on its way, or waits for an
  // action already sent, and the poll skips its turn while a request is out.
  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      var chosen = Array.prototype.filter.call(field.options, function (o) {
        return o.defaultSelected;
      });
      return field.selectedIndex !== (chosen.length ? chosen[chosen.length - 1].index : 0);
    }
    return field.value !== field.defaultValue;
  }

  // Called once the page has loaded: the extension, like htmx, is a deferred script.
  function keepWhatWasDone() {
    if (!window.Idiomorph) return;
    Idiomorph.defaults.ignoreActiveValue = true;
    Idiomorph.defaults.callbacks.beforeNodeMorphed = function (old, next) {
      if (/^(INPUT|SELECT|TEXTAREA)$/.test(old.tagName) && old.name === next.name && changed(old)) return false;
    };
    Idiomorph.defaults.callbacks.beforeAttributeUpdated = function (name, elt, how) {
      if (name === "open" && how === "remove" && elt.tagName === "DETAILS") return false;
    };
  }

  // A question above the board (its answer to an action) is answered like an action from the board.
  function fromBoard(elt) {
    return elt.closest("[data-board]") || elt.closest("#board-messages");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.hasAttribute("data-board") || !fromBoard(elt)) return;
    elt._boardRequest = true;
    elt.querySelectorAll("button").forEach(function (b) {
      b.disabled = true;
    });
  });

  // An action is answered with its message alone. The message is shown together with the board it
  // speaks of: kept until the board's refresh has arrived (or for a moment, if no refresh comes), so
  // that the board does not change under the hands of someone who has just read it.
  var pendingMessage = null;
  var pendingTimer = null;
  var NOTICE_MS = 10000; // a notice of success leaves after a while; an error stays until the next action
  var noticeTimer = null;

  function showMessage() {
    window.clearTimeout(pendingTimer);
    if (pendingMessage === null) return;
    var box = document.getElementById("board-messages");
    if (box) {
      box.innerHTML = pendingMessage;
      htmx.process(box); // a question in the message (assign a booth past closing?) posts like the board's forms
      window.clearTimeout(noticeTimer);
      noticeTimer = window.setTimeout(function () {
        box.querySelectorAll("[data-testid=board-notice]").forEach(function (notice) {
          notice.remove();
        });
      }, NOTICE_MS);
    }
    pendingMessage = null;
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.hasAttribute && elt.hasAttribute("data-board")) {
      showMessage(); // the refresh answered "no change", or failed: the message waits no longer
      return;
    }
    if (!elt._boardRequest) return;
    elt._boardRequest = false;
    elt.querySelectorAll("button").forEach(function (b) {
      b.disabled = false;
    });
    // The action was answered with its message (shown above the board); the board now fetches what
    // changed. The form sent is emptied first, so that the refresh does not keep its values. The refresh
    // is asked for once this request is over: until then hx-sync would have the poll skip its turn.
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 200 && xhr.status < 300) {
      if (elt.tagName === "FORM") elt.reset();
      var board = elt.closest("[data-board]") || boards()[0];
      if (board) {
        window.setTimeout(function () {
          htmx.trigger(board, "board-refresh");
        });
      }
      pendingTimer = window.setTimeout(showMessage, 2000);
    } else {
      // Refused without a change, as "the database is busy, try again" (a 503, which htmx does not swap; its
      // message was kept above): shown at once, and the form keeps its values for the next try.
      showMessage();
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target.id === "board-messages" && boards().length) {
      pendingMessage = event.detail.serverResponse;
      event.detail.shouldSwap = false;
      return;
    }
    if (!target.hasAttribute("data-board")) return;
    var xhr = event.detail.xhr;
    if (xhr.status === 200) {
      // What is this board's own in the answer comes in headers, the board being the same bytes for
      // everyone: the server's clock, and the token its next poll goes with (htmx:configRequest below).
      target._serverNow = xhr.getResponseHeader("X-Server-Now");
      target._pollToken = xhr.getResponseHeader("X-Board-Token") || target._pollToken;
    }
    // Logged out meanwhile, or any other page instead of a board: show that page whole.
    if (event.detail.xhr.status === 200 && event.detail.serverResponse.indexOf("data-board") === -1) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });

  // A board drawn with its page polls with the token in its URL; after its first refresh, with the one
  // its last answer gave (visits/board_poll.py reads either).
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.hasAttribute && elt.hasAttribute("data-board") && elt._pollToken) {
      event.detail.headers["X-Board-Token"] = elt._pollToken;
    }
  });

  document.addEventListener("htmx:afterSwap", function () {
    boards().forEach(function (board) {
      sync(board);
      tick(board);
    });
    document.querySelectorAll("[data-ticks]").forEach(function (region) {
      sync(region);
      tick(region);
    });
    document.querySelectorAll("[data-closing]").forEach(tickClosing);
    showMessage();
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-board-dismiss]");
    if (!cancel || !boards().length) return; // without a board, the link goes back to the page
    event.preventDefault();
    var box = cancel.closest("[role=alertdialog]");
    if (box) box.remove();
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") return;
    skews = []; // the clock may have been changed, or the machine asleep: measure afresh
    tickAll();
    boards().forEach(function (board) {
      htmx.trigger(board, "board-refresh");
    });
  });

  function start() {
    keepWhatWasDone();
    tickers().forEach(sync);
    tickAll();
    window.setInterval(tickAll, 1000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
