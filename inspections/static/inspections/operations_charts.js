// Operations figures as charts: the share of outbound loads with a complete inspection
// (a line against the goal of every load), and the problems found each month (bars).
// The numbers come from the page (json_script); the same numbers are in the table below
// the charts, for screen readers and print. Colours follow the portal palette: green for
// what should be high, red for seal discrepancies (a possible breach), amber for pests,
// slate for missed supervisor sign-offs.
(function () {
  "use strict";
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function colour(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }
  function draw() {
    var data = read("operations-chart-data");
    var labels = read("operations-chart-labels");
    if (!data || !labels || typeof Chart === "undefined") { return; }
    var ok = colour("--ok", "#1f7a3a");
    var bad = colour("--bad", "#b42318");
    var warn = colour("--warn", "#a15c07");
    var slate = colour("--muted", "#5b6475");
    var share = document.getElementById("chart-complete-share");
    if (share) {
      new Chart(share, {
        type: "line",
        data: {
          labels: data.months,
          datasets: [
            {
              label: labels.complete_share,
              data: data.complete_share,
              borderColor: ok,
              backgroundColor: ok,
              spanGaps: false,
              tension: 0.2,
            },
            {
              label: labels.goal,
              data: data.months.map(function () { return 100; }),
              borderColor: slate,
              borderDash: [6, 4],
              pointRadius: 0,
              borderWidth: 1,
            },
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } } },
        },
      });
    }
    var problems = document.getElementById("chart-problems");
    if (problems) {
      new Chart(problems, {
        type: "bar",
        data: {
          labels: data.months,
          datasets: [
            { label: labels.seal_discrepancies, data: data.seal_discrepancies, backgroundColor: bad },
            { label: labels.pest_findings, data: data.pest_findings, backgroundColor: warn },
            { label: labels.missed_signoffs, data: data.missed_signoffs, backgroundColor: slate },
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
