// Offline-tolerant field forms (inspections, gate log, seal checks).
//
// A form marked data-offline-queue is sent with fetch. When the network is down the
// submission (fields and photos, already made small on the phone) is kept in
// localStorage and sent again when the connection returns. Every submission carries the
// client_key made when the form was opened, so the server creates the record once however
// many times it is sent.
(function () {
  "use strict";
  var STORE = "ctpat-offline-queue";
  var MAX_SIDE = 1280;

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(STORE, JSON.stringify(queue)); }

  function status(kind, extra) {
    var box = document.getElementById("offline-status");
    if (!box) { return; }
    box.textContent = (box.dataset["msg" + kind] || "") + (extra ? " " + extra : "");
    box.dataset.state = kind.toLowerCase();
  }

  // Photos: draw on a canvas no larger than MAX_SIDE and keep a JPEG data URL.
  function resize(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onerror = reject;
      reader.onload = function () {
        var img = new Image();
        img.onerror = reject;
        img.onload = function () {
          var scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(img.width * scale);
          canvas.height = Math.round(img.height * scale);
          canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
          resolve(canvas.toDataURL("image/jpeg", 0.8));
        };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
  }

  function dataUrlToBlob(url) {
    var parts = url.split(",");
    var bytes = atob(parts[1]);
    var buffer = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) { buffer[i] = bytes.charCodeAt(i); }
    return new Blob([buffer], { type: "image/jpeg" });
  }

  function serialise(form) {
    var fields = [];
    var photos = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) { return; }
      if (el.type === "file") {
        if (el.dataset.resized) { photos.push([el.name, el.dataset.resized]); }
        return;
      }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      fields.push([el.name, el.value]);
    });
    return { url: form.action || location.href, fields: fields, photos: photos, at: Date.now() };
  }

  function body(entry) {
    var data = new FormData();
    entry.fields.forEach(function (f) { data.append(f[0], f[1]); });
    entry.photos.forEach(function (p, i) { data.append(p[0], dataUrlToBlob(p[1]), "photo" + i + ".jpg"); });
    return data;
  }

  function send(entry) {
    return fetch(entry.url, {
      method: "POST",
      body: body(entry),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (response.status >= 500) { throw new Error("server " + response.status); }
      return response.json().then(function (json) { return { status: response.status, json: json }; });
    });
  }

  var flushing = false;
  function flush(onDone) {
    if (flushing) { return; }
    var queue = load();
    if (!queue.length) { return; }
    flushing = true;
    status("Sending");
    var entry = queue[0];
    send(entry).then(function (answer) {
      var rest = load().filter(function (e) { return e.at !== entry.at; });
      save(rest);
      flushing = false;
      if (answer.status === 400) {
        status("Error");
        showSummary(answer.json.summary || []);
        return;
      }
      status("Sent");
      if (onDone) { onDone(answer.json); } else if (rest.length) { flush(); }
    }).catch(function () {
      flushing = false;
      status("Queued");
    });
  }

  // A refusal: one box at the top of the page that names each field by its label and
  // links to it, focused so that the inspector at the bottom of the form sees it.
  function showSummary(items) {
    var box = document.getElementById("offline-status");
    var form = document.querySelector("form[data-offline-queue]");
    if (!box || !form) { return; }
    var old = document.querySelector("[data-error-summary]");
    if (old) { old.parentNode.removeChild(old); }
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("data-error-summary", "");
    summary.setAttribute("data-testid", "error-summary");
    var heading = document.createElement("h2");
    heading.textContent = box.dataset.msgSummary || "";
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var text = (item.label ? item.label + ": " : "") + item.message;
      var field = item.id ? document.getElementById(item.id) : null;
      if (field) {
        var link = document.createElement("a");
        link.href = "#" + item.id;
        link.textContent = text;
        li.appendChild(link);
        if (field.tagName !== "FIELDSET") { field.setAttribute("aria-invalid", "true"); }
      } else {
        li.textContent = text;
      }
      list.appendChild(li);
    });
    summary.appendChild(heading);
    summary.appendChild(list);
    box.parentNode.insertBefore(summary, box);
    summary.focus();
  }

  function afterSend(json) { if (json && json.url) { location.assign(json.url); } }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file" || !input.dataset.resize || !input.files.length) { return; }
    resize(input.files[0]).then(function (url) { input.dataset.resized = url; });
    var button = input.closest(".photo-button");
    if (button) { button.setAttribute("data-has-photo", ""); }
  });

  document.querySelectorAll("form[data-offline-queue]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var queue = load();
      var entry = serialise(form);
      var key = entry.fields.filter(function (f) { return f[0] === "client_key"; })[0];
      // The same form sent twice (double tap) stays one entry: same client_key.
      queue = queue.filter(function (e) {
        var k = e.fields.filter(function (f) { return f[0] === "client_key"; })[0];
        return !(k && key && k[1] === key[1]);
      });
      queue.push(entry);
      save(queue);
      if (!navigator.onLine) { status("Queued"); return; }
      flush(afterSend);
    });
  });

  window.addEventListener("online", function () { flush(afterSend); });
  setInterval(function () { if (navigator.onLine) { flush(afterSend); } }, 5000);
  if (navigator.onLine) { flush(); }
})();
