/*
 * Timers on the floor, injection and observation boards.
 *
 * The server owns the time: every timer is an ISO timestamp in a data attribute, and each board
 * carries the server's "now" (data-server-now) so that a wrong clock on the station computer is
 * corrected. The browser only ticks the display every second between refreshes, and re-syncs when
 * the tab becomes visible again. No inline script: everything is read from data attributes.
 *
 *   [data-board]           a board; data-server-now, data-label-* (translated texts, "{time}" marks the time),
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
 */
(function () {
  "use strict";
  // Loaded on every page (for the alarm banner) and again by the board pages: one copy runs.
  if (window.__boardTimers) return;
  window.__boardTimers = true;

  var busyRequests = 0;

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
    var serverNow = parse(board.getAttribute("data-server-now"));
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

  function boards() {
    return document.querySelectorAll("[data-board]");
  }

  function tickers() {
    return document.querySelectorAll("[data-board], [data-ticks]");
  }

  function tickAll() {
    tickers().forEach(tick);
  }

  // A refresh must not wipe what someone is typing or choosing. Polls wait while someone types or
  // chooses in the board (never for long: a forgotten field must not freeze the board), and a
  // refresh carries over what was typed or chosen, the open <details> and the focus.
  var QUIET_MS = 15000;
  var lastInteraction = 0;
  var carried = null;

  function busy() {
    return busyRequests > 0 || Date.now() - lastInteraction < QUIET_MS;
  }

  function fieldKey(field) {
    return field.form ? field.form.getAttribute("action") + "|" + field.name : null;
  }

  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) {
        return o.selected !== o.defaultSelected;
      });
    }
    return field.value !== field.defaultValue;
  }

  function carry(board, sentForm) {
    var state = { open: [], values: {}, focus: null };
    board.querySelectorAll("details[open][id]").forEach(function (d) {
      state.open.push(d.id);
    });
    board.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
      var key = fieldKey(field);
      if (!key || field.form === sentForm || !changed(field)) return;
      state.values[key] = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
    });
    var active = document.activeElement;
    if (active && board.contains(active) && active.form !== sentForm) state.focus = fieldKey(active);
    return state;
  }

  function restore(board, state) {
    state.open.forEach(function (id) {
      var d = document.getElementById(id);
      if (d && board.contains(d)) d.open = true;
    });
    board.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
      var key = fieldKey(field);
      if (key && Object.prototype.hasOwnProperty.call(state.values, key)) {
        if (field.type === "checkbox" || field.type === "radio") field.checked = state.values[key];
        else field.value = state.values[key];
        var details = field.closest("details");
        if (details) details.open = true;
      }
      if (key && key === state.focus) field.focus();
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.hasAttribute("data-board")) {
      if (busy()) event.preventDefault();
      return;
    }
    var board = elt.closest("[data-board]");
    if (!board) return;
    busyRequests += 1;
    elt._boardRequest = true;
    lastInteraction = 0;
    htmx.trigger(board, "htmx:abort"); // a refresh already on its way would bring back the old state
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
    busyRequests = Math.max(0, busyRequests - 1);
    elt.querySelectorAll("button").forEach(function (b) {
      b.disabled = false;
    });
    // The action was answered with its message (shown above the board); the board now fetches what
    // changed. The form sent is emptied first, so that the refresh does not carry its values back.
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 200 && xhr.status < 300) {
      if (elt.tagName === "FORM") elt.reset();
      var board = elt.closest("[data-board]") || boards()[0];
      if (board) htmx.trigger(board, "board-refresh");
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
    // Logged out meanwhile, or any other page instead of a board: show that page whole.
    if (event.detail.xhr.status === 200 && event.detail.serverResponse.indexOf("data-board") === -1) {
      event.detail.shouldSwap = false;
      window.location.reload();
      return;
    }
    var sent = event.detail.requestConfig && event.detail.requestConfig.elt;
    carried = carry(target, sent && sent.tagName === "FORM" ? sent : null);
  });

  document.addEventListener("htmx:afterSwap", function () {
    boards().forEach(function (board) {
      sync(board);
      if (carried) restore(board, carried);
      tick(board);
    });
    document.querySelectorAll("[data-ticks]").forEach(function (region) {
      sync(region);
      tick(region);
    });
    carried = null;
    showMessage();
  });

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("[data-board]")) lastInteraction = Date.now();
  });
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target.closest && target.closest("[data-board]") && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      lastInteraction = Date.now();
    }
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
    tickers().forEach(sync);
    tickAll();
    window.setInterval(tickAll, 1000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
