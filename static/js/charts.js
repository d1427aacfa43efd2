/*
 * Charts from data already on the page, with the vendored Chart.js (static/vendor/chart.js/).
 *
 * A <canvas data-chart="line|bar"> takes its numbers from either
 *   data-chart-json="ID"   a <script type="application/json" id="ID"> holding
 *                          {"labels": [...], "series": [{"label": "...", "values": [...]}]}
 *                          and optionally "scale" (count, rating, nps, percent), "incomplete"
 *                          (the index of the running month), per series "axis" and "hidden"
 *                          (per value: null, or why it is withheld) and "text" (the words), or
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

  // Axes that fit the measure: a 1-5 rating from 1 to 5, shares from 0 to 100 %, the NPS
  // from -100 to 100 on an axis of its own.
  var AXES = {
    count: { beginAtZero: true, ticks: { precision: 0 } },
    rating: { min: 1, max: 5, ticks: { stepSize: 1 } },
    percent: { min: 0, max: 100 },
    nps: { min: -100, max: 100 },
  };

  function scales(data) {
    var scale = data.scale || "count";
    var result = { y: Object.assign({ position: "left" }, AXES[scale]) };
    var twoAxes = data.series.some(function (series) { return series.axis === "percent"; });
    if (scale === "nps" && twoAxes) {
      result.percent = Object.assign(
        { position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "%" } },
        AXES.percent
      );
    }
    result.x = {
      ticks: {
        callback: function (value, index) {
          var label = data.labels[index];
          return index === data.incomplete ? label + " *" : label;
        },
      },
    };
    return result;
  }

  function axisOf(series, axes) {
    return series.axis === "percent" && axes.percent ? "percent" : "y";
  }

  function seriesDataset(series, index, data, axes) {
    var colour = PALETTE[index % PALETTE.length];
    var running = data.incomplete;
    return {
      label: series.label,
      data: series.values,
      yAxisID: axisOf(series, axes),
      borderColor: colour,
      backgroundColor: colour,
      tension: 0.2,
      spanGaps: true,
      // A withheld month is bridged by a dashed line, never drawn as a fall to zero; the line
      // into the running month is dashed too: that month is not over.
      segment: {
        borderDash: function (context) {
          var gap = context.p1DataIndex - context.p0DataIndex > 1;
          return gap || context.p1DataIndex === running ? [6, 4] : undefined;
        },
      },
      pointStyle: series.values.map(function (value, at) {
        return at === running ? "rectRot" : "circle";
      }),
    };
  }

  // One dataset for the legend and the tooltips: a grey cross on the axis where a value is
  // withheld, saying why.
  function hiddenDataset(data, axes) {
    var marks = data.labels.map(function () { return null; });
    var reasons = data.labels.map(function () { return []; });
    var reasonKey = null;
    data.series.forEach(function (series) {
      (series.hidden || []).forEach(function (reason, at) {
        if (!reason) return;
        // On the bottom of the main axis, where the marks' dataset is drawn.
        marks[at] = axes.y.min !== undefined ? axes.y.min : 0;
        reasons[at].push(series.label + ": " + data.text[reason]);
        reasonKey = reasonKey || reason;
      });
    });
    if (!reasonKey) return null;
    return {
      type: "line",
      label: data.text[reasonKey],
      data: marks,
      reasons: reasons,
      showLine: false,
      pointStyle: "crossRot",
      pointRadius: 7,
      pointBorderWidth: 2,
      borderColor: "#5b6475",
      backgroundColor: "#5b6475",
    };
  }

  function tooltipLabel(context) {
    var reasons = context.dataset.reasons;
    if (reasons) return reasons[context.dataIndex];
    return context.dataset.label + ": " + context.formattedValue;
  }

  function tooltipTitle(items, data) {
    if (!items.length) return "";
    var index = items[0].dataIndex;
    var label = data.labels[index];
    return index === data.incomplete ? label + " (" + data.text.incomplete + ")" : label;
  }

  function config(canvas, data) {
    var axes = scales(data);
    var datasets = data.series.map(function (series, index) {
      return seriesDataset(series, index, data, axes);
    });
    var hidden = data.text ? hiddenDataset(data, axes) : null;
    if (hidden) datasets.push(hidden);
    return {
      type: canvas.dataset.chart || "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: axes,
        plugins: {
          tooltip: {
            callbacks: {
              label: tooltipLabel,
              title: function (items) { return tooltipTitle(items, data); },
            },
          },
        },
      },
    };
  }

  function draw(canvas) {
    var data = canvas.dataset.chartJson
      ? fromJson(canvas.dataset.chartJson)
      : fromTable(canvas.dataset.chartTable);
    if (!data || !window.Chart) return null;
    return new window.Chart(canvas, config(canvas, data));
  }

  function drawAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("canvas[data-chart]"), draw);
  }

  window.publiqCharts = { draw: draw, drawAll: drawAll, config: config };
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
})();
