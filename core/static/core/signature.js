// On-screen signature (training sign-in, inspections): draw in the canvas with a finger, pen or mouse; on submit the
// drawing is put into the hidden "signature" field as a PNG data URL. The server checks
// it again (PNG content, size), so this script only helps the person sign.
(function () {
  "use strict";
  function setUp(form) {
    var canvas = form.querySelector("canvas.signature-pad");
    var field = form.querySelector("input[data-signature-field], input[name=signature]");
    var clear = form.querySelector("[data-signature-clear]");
    if (!canvas || !field) { return; }
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    function resize() {
      var ratio = window.devicePixelRatio || 1;
      var box = canvas.getBoundingClientRect();
      canvas.width = Math.round(box.width * ratio);
      canvas.height = Math.round(box.height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.2;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#1d2433";
      drawn = false;
    }
    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(p.x + 0.1, p.y + 0.1);
      ctx.stroke();
      drawn = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
    });
    // Each finished stroke is put in the field at once (and announced as a change), so a
    // script that reads the form before this one's submit handler (the field pages' send
    // queue, their drafts) has the drawing too.
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () {
        if (!drawing) { return; }
        drawing = false;
        field.value = canvas.toDataURL("image/png");
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        field.value = "";
        drawn = false;
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
    form.addEventListener("submit", function () {
      field.value = drawn ? canvas.toDataURL("image/png") : "";
    });
    // htmx sends the form itself; give it the drawing too.
    form.addEventListener("htmx:configRequest", function (event) {
      event.detail.parameters.signature = drawn ? canvas.toDataURL("image/png") : "";
    });
    resize();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-signature]").forEach(setUp);
  });
})();
