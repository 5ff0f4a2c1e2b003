// The partners dashboard's chart: partners by country, stacked by criticality tier. The
// figures come from the page (json_script), so the page needs no inline script.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("portfolio-data");
  var canvas = document.getElementById("portfolio-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = {high: "#b91c1c", medium: "#d97706", low: "#15803d"};
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (d) {
        return {label: d.label, data: d.data, backgroundColor: colours[d.tier]};
      })
    },
    options: {scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}}
  });
});
