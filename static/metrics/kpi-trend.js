// The 12-month trend chart on a KPI page. The data comes from the page's json_script
// element (no inline script under the CSP); the table beside it holds the same figures
// and stays the accessible alternative.
const source = document.getElementById("kpi-trend-data");
const canvas = document.getElementById("kpi-trend-chart");
if (source && canvas && window.Chart) {
  const data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: data.label,
          data: data.values,
          borderColor: "#1d70b8",
          backgroundColor: "#1d70b8",
          spanGaps: false,
          tension: 0,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: data.unit } } },
      plugins: { legend: { display: false } },
    },
  });
  canvas.dataset.rendered = "true";
}
