/*
 * The emergency alarm at the top of every page (templates/health/partials/_alarm_banner.html).
 *
 * The server draws the banner and says whether each emergency has been answered; the region polls
 * itself every 5 s (htmx). This plays the alarm sound, looped, while any emergency on the banner is
 * unanswered and not silenced at this station, and stops it when someone answers ("I am on it") or
 * the emergency is closed. Silencing is per station and per emergency (localStorage). When the
 * browser blocks sound until someone clicks, a "Sound blocked" button says so.
 *
 * State in the DOM, for people and tests:
 *   [data-alarm]       each emergency: "sounding", "answered" or "silenced"
 *   [data-alarm-wrap]  data-sound: "playing", "blocked" or "off"
 */
(function () {
  "use strict";

  var KEY = "alarm-silenced-";

  function wrap() {
    return document.querySelector("[data-alarm-wrap]");
  }

  function silenced(id) {
    try {
      return window.localStorage.getItem(KEY + id) === "1";
    } catch (e) {
      return false; // storage refused (a private window): the alarm keeps sounding, never the reverse
    }
  }

  function silence(id) {
    try {
      window.localStorage.setItem(KEY + id, "1");
    } catch (e) {
      /* nothing to remember it in: silenced until the next redraw */
    }
  }

  // Emergencies that are closed need not be remembered.
  function forget(open) {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(KEY) === 0 && !open[key]) window.localStorage.removeItem(key);
      }
    } catch (e) {
      /* no storage */
    }
  }

  function setSound(w, state) {
    w.setAttribute("data-sound", state);
    var unblock = w.querySelector("[data-alarm-unblock]");
    if (unblock) unblock.hidden = state !== "blocked";
  }

  function play(w) {
    var audio = w.querySelector("[data-alarm-audio]");
    if (!audio) return;
    if (!audio.paused) {
      setSound(w, "playing");
      return;
    }
    var started = audio.play();
    if (started && started.then) {
      started.then(
        function () {
          setSound(w, "playing");
        },
        function () {
          setSound(w, "blocked"); // autoplay refused until someone interacts with the page
        }
      );
    } else {
      setSound(w, "playing");
    }
  }

  function stop(w) {
    var audio = w.querySelector("[data-alarm-audio]");
    if (audio && !audio.paused) {
      audio.pause();
      audio.currentTime = 0;
    }
    setSound(w, "off");
  }

  function update() {
    var w = wrap();
    if (!w) return;
    var open = {};
    var sounding = false;
    w.querySelectorAll("[data-alarm]").forEach(function (banner) {
      var id = banner.getAttribute("data-emergency");
      open[KEY + id] = true;
      var state = banner.hasAttribute("data-answered") ? "answered" : silenced(id) ? "silenced" : "sounding";
      banner.setAttribute("data-alarm", state);
      var button = banner.querySelector("[data-alarm-silence]");
      if (button) button.hidden = state !== "sounding";
      var text = banner.querySelector("[data-alarm-state-text]");
      if (text) text.textContent = text.getAttribute("data-label-" + state) || "";
      if (state === "sounding") sounding = true;
    });
    forget(open);
    if (sounding) play(w);
    else stop(w);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest) return;
    var silenceButton = target.closest("[data-alarm-silence]");
    if (silenceButton) {
      silence(silenceButton.getAttribute("data-alarm-silence"));
      update();
      return;
    }
    var w = wrap();
    if (w && target.closest("[data-alarm-unblock]")) {
      play(w);
      return;
    }
    // Any click is a gesture that lets the sound start where it was blocked.
    if (w && w.getAttribute("data-sound") === "blocked") play(w);
  });

  // A poll that came back with another page (logged out meanwhile, a revoked display) shows that page whole.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.hasAttribute || !target.hasAttribute("data-alarm-region")) return;
    if (event.detail.xhr.status === 200 && event.detail.serverResponse.indexOf("data-alarm-region") === -1) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });

  // A display refused (revoked, or moved outside its address range) shows its 403 page instead of a stale board.
  document.addEventListener("htmx:responseError", function (event) {
    var elt = event.detail.elt;
    if (event.detail.xhr.status !== 403 || !elt || !elt.hasAttribute) return;
    if (elt.hasAttribute("data-alarm-region") || elt.hasAttribute("data-board")) window.location.reload();
  });

  // After any swap (the banner's own poll, "I am on it"): cheap, and the banner may have been replaced.
  document.addEventListener("htmx:afterSettle", update);

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
})();
