// Follow-up questions of a partner questionnaire ("if no, explain"): a question marked
// data-show-if="<question id>" data-show-values="<answer keys>" is shown only while that
// question has one of those answers. Without this script the server does the same on
// each save, and a follow-up whose question is not answered yet is shown with its hint.
(function () {
  "use strict";
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (row) {
      var parent = row.getAttribute("data-show-if");
      var wanted = row.getAttribute("data-show-values").split(" ");
      var parentRow = document.getElementById("q-" + parent);
      var chosen = Array.prototype.map.call(
        form.querySelectorAll('[name="answer-' + parent + '"]:checked'),
        function (input) { return input.value; }
      );
      var asked = (!parentRow || !parentRow.hidden) &&
        chosen.some(function (value) { return wanted.indexOf(value) !== -1; });
      row.hidden = !asked;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-follow-ups]");
    if (!form) { return; }
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
