/*
 * Charts from data already on the page, with the vendored Chart.js (static/vendor/chart.js/).
 *
 * A <canvas data-chart="line|bar"> takes its numbers from either
 *   data-chart-json="ID"   a <script type="application/json" id="ID"> holding
 *                          {"labels": [...], "series": [{"label": "...", "values": [...]}]}, or
 *   data-chart-table="ID"  a <table id="ID">: the header cells after the first are the labels,
 *                          each body row is a series (its first cell the name, then numbers).
 * Every chart keeps its numbers in a table on the page too: the chart is a view of them.
 */
(function () {
  "use strict";

  var PALETTE = ["#1f5fbf", "#d5153d", "#1c7c45", "#a55d00", "#6b3fa0", "#00838f", "#5b6475"];

  function number(text) {
    var value = parseFloat(String(text).replace(/\s/g, "").replace(",", "."));
    return isNaN(value) ? null : value;
  }

  function fromJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function fromTable(id) {
    var table = document.getElementById(id);
    if (!table) return null;
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"), 1);
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    return {
      labels: headers.map(function (cell) { return cell.textContent.trim(); }),
      series: rows
        .filter(function (row) { return row.cells.length > 1; })
        .map(function (row) {
          var cells = Array.prototype.slice.call(row.cells);
          return {
            label: cells[0].textContent.trim(),
            values: cells.slice(1, headers.length + 1).map(function (cell) {
              return number(cell.textContent);
            }),
          };
        }),
    };
  }

  function draw(canvas) {
    var data = canvas.dataset.chartJson
      ? fromJson(canvas.dataset.chartJson)
      : fromTable(canvas.dataset.chartTable);
    if (!data || !window.Chart) return null;
    return new window.Chart(canvas, {
      type: canvas.dataset.chart || "line",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, index) {
          var colour = PALETTE[index % PALETTE.length];
          return {
            label: series.label,
            data: series.values,
            borderColor: colour,
            backgroundColor: colour,
            tension: 0.2,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function drawAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("canvas[data-chart]"), draw);
  }

  window.publiqCharts = { draw: draw, drawAll: drawAll };
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
})();
