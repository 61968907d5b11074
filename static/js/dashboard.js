// Netralitas dashboard: draws the charts from the figures the page carries (json_script "angka-dasbor").
// The same numbers are in the table beside each chart; without JavaScript the tables are the figures.
(function () {
  const source = document.getElementById("angka-dasbor");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const palette = ["#6b1d1d", "#1f6f8b", "#d08c2b", "#3c7d3b", "#6f42c1", "#6c757d", "#c0392b", "#17a2b8", "#8e6c4a"];
  const charts = [];

  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const figure = data[canvas.dataset.chart];
    if (!figure) {
      return;
    }
    const kind = canvas.dataset.kind || "bar";
    const several = figure.datasets.length > 1;
    const datasets = figure.datasets.map((set, index) => ({
      label: set.label,
      data: set.values,
      backgroundColor: kind === "doughnut" ? palette : several ? palette[index] : palette[0],
      borderColor: kind === "line" ? palette[0] : undefined,
      fill: false,
      tension: 0.2,
    }));
    // Many or long labels read better down the side; the table beside the chart holds them in full.
    const horizontal = kind === "bar" && (figure.labels.length > 4 || figure.labels.some((l) => l.length > 18));
    const labelAxis = {
      ticks: {
        callback: function (value) {
          const label = this.getLabelForValue(value);
          return label.length > 38 ? label.slice(0, 37) + "…" : label;
        },
      },
    };
    charts.push(
      new window.Chart(canvas, {
        type: kind,
        data: { labels: figure.labels, datasets: datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: horizontal ? "y" : "x",
          plugins: { legend: { display: several || kind === "doughnut" } },
          scales:
            kind === "doughnut"
              ? {}
              : {
                  [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0 } },
                  [horizontal ? "y" : "x"]: labelAxis,
                },
        },
      }),
    );
  });

  // Printing: redraw at the printed size, and back afterwards.
  const resize = () => charts.forEach((chart) => chart.resize());
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);

  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
})();
