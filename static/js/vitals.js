/*
 * The emergency page's vital signs chart, drawn with the vendored Chart.js.
 *
 * No inline script (the Content-Security-Policy forbids it): the chart is a
 *   <canvas data-vitals-chart data-source="ID">
 * whose data is in <script type="application/json" id="ID">{"labels": [...], "series": [{"key", "name", "values"}]}</script>,
 * written by Django's json_script. The same values are in the table below the chart.
 */
(function () {
  "use strict";

  var COLOURS = { breathing_rate: "#0d6efd", oxygen_saturation: "#198754", pulse: "#dc3545" };

  function readJSON(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function draw() {
    if (typeof Chart === "undefined") return;
    Chart.defaults.locale = document.documentElement.lang || "nb";
    document.querySelectorAll("canvas[data-vitals-chart]").forEach(function (canvas) {
      var data = readJSON(canvas.getAttribute("data-source"));
      if (!data || !data.series) return;
      new Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series) {
            var colour = COLOURS[series.key] || "#6c757d";
            return {
              label: series.name,
              data: series.values,
              borderColor: colour,
              backgroundColor: colour,
              borderWidth: 2,
              pointRadius: 3,
              spanGaps: true,
              tension: 0,
            };
          }),
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { position: "bottom" } },
          scales: {
            x: { ticks: { autoSkip: true, maxRotation: 0 } },
            y: { beginAtZero: true, ticks: { precision: 0 } },
          },
        },
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
