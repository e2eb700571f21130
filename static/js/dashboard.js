/*
 * The dashboard's charts, drawn with the vendored Chart.js from the JSON the page embeds.
 *
 * No inline script (a Content-Security-Policy without it is planned): every chart is a
 *   <canvas data-chart="bar|line" data-source="ID">
 * whose data is in <script type="application/json" id="ID">{"name", "labels", "values"}</script>,
 * written by Django's json_script. The same numbers are in a table beside each chart.
 * Also: [data-print] buttons print the page (the monthly report).
 */
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function drawCharts() {
    if (typeof Chart === "undefined") return;
    // Numbers on the axes as the page's language writes them (1 200 in bokmål, 1,200 in English).
    Chart.defaults.locale = document.documentElement.lang || "nb";
    var style = getComputedStyle(document.documentElement);
    var colour = style.getPropertyValue("--bs-primary").trim() || "#0d6efd";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var data = readJSON(canvas.getAttribute("data-source"));
      if (!data) return;
      var kind = canvas.getAttribute("data-chart") === "line" ? "line" : "bar";
      new Chart(canvas, {
        type: kind,
        data: {
          labels: data.labels,
          datasets: [
            {
              label: data.name,
              data: data.values,
              backgroundColor: colour,
              borderColor: colour,
              borderWidth: kind === "line" ? 2 : 0,
              pointRadius: kind === "line" ? 0 : undefined,
              tension: 0.2,
            },
          ],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: {
            x: { ticks: { autoSkip: true, maxRotation: 0 } },
            y: { beginAtZero: true, ticks: { precision: 0 } },
          },
        },
      });
    });
  }

  function bindPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  function start() {
    drawCharts();
    bindPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
