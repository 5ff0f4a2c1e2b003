// Field forms that work in a yard with no signal (inspections, gate log).
//
// - The service worker (/sw.js, inspections/sw.js) keeps the field pages so that they open
//   with no connection; this script registers it and asks it to keep the pages this page
//   links to with data-offline (each checklist's form, from the inspection list).
// - A form marked data-offline-queue is never posted by the browser: its fields and photos
//   go into a send queue in IndexedDB (photos as JPEG blobs, made small on the phone) and
//   are sent from there, now or when the connection returns. Each entry carries the
//   client_key made when the form was opened, so the server records it once however many
//   times it is sent; the key is made here, on the phone, so that two inspections filled in
//   from one kept copy of the page stay two.
// - What is typed is kept as a draft in IndexedDB while the form is filled in, and given
//   back when the page is opened again.
// - Before sending, the queue asks /offline/session whether the person is still signed in
//   (and takes a fresh CSRF token): a lapsed session asks them to sign in again and keeps
//   everything; nothing is posted into the login page.
// - The queue is shown on every field page: what waits, what the server refused and why.
// - A full phone store is reported when an entry cannot be kept, and the form is left as
//   it is, so nothing typed is lost.
(function () {
  "use strict";
  var DB_NAME = "ctpat-field";
  var MAX_SIDE = 1280;
  var RETRY_MIN = 5000;
  var RETRY_MAX = 300000;
  var box = document.getElementById("offline-status");
  var list = document.getElementById("offline-queue");
  var form = document.querySelector("form[data-offline-queue]");
  var text = box ? box.dataset : {};

  // --- IndexedDB, in promises: "queue" (what waits to be sent), "drafts" (by page) ---
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () {
          open.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
          open.result.createObjectStore("drafts", { keyPath: "page" });
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function run(store, mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(store, mode);
        var result;
        var request = work(tx.objectStore(store));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function all(store) { return run(store, "readonly", function (s) { return s.getAll(); }); }
  function put(store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); }
  function get(store, key) { return run(store, "readonly", function (s) { return s.get(key); }); }
  function del(store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); }

  // --- what the person reads ---
  function say(kind, extra) {
    if (!box) { return; }
    box.textContent = "";
    box.appendChild(document.createTextNode((text["msg" + kind] || "") + (extra ? " " + extra : "")));
    box.dataset.state = kind.toLowerCase();
  }
  function signInLink() {
    if (!box) { return; }
    say("Signin");
    var link = document.createElement("a");
    link.href = (text.loginUrl || "/accounts/login/") + "?next=" + encodeURIComponent(location.pathname);
    link.textContent = text.msgSigninLink || "Sign in";
    link.setAttribute("data-testid", "offline-sign-in");
    box.appendChild(document.createTextNode(" "));
    box.appendChild(link);
  }
  function when(ms) {
    var d = new Date(ms);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function showQueue() {
    if (!list) { return Promise.resolve(); }
    return all("queue").then(function (entries) {
      var items = list.querySelector("ul");
      items.textContent = "";
      list.hidden = entries.length === 0;
      entries.forEach(function (entry) {
        var li = document.createElement("li");
        li.dataset.state = entry.state;
        var mine = !entry.user || !text.user || String(entry.user) === String(text.user);
        var state = entry.state === "failed" ? text.msgStateFailed
          : (mine ? text.msgStateWaiting : text.msgStateOther);
        li.appendChild(document.createTextNode(entry.label + " · " + when(entry.at) + " · " + state));
        if (entry.state === "failed") {
          var why = document.createElement("span");
          why.className = "errorlist";
          why.textContent = " " + (entry.error || "");
          li.appendChild(why);
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "secondary";
          drop.textContent = text.msgDiscard || "Discard";
          drop.addEventListener("click", function () {
            if (window.confirm(text.msgDiscardConfirm || "Discard?")) {
              del("queue", entry.id).then(showQueue);
            }
          });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(drop);
        }
        items.appendChild(li);
      });
    }).catch(function () { /* no IndexedDB: nothing to show */ });
  }

  // --- photos: drawn on a canvas no larger than MAX_SIDE, kept as a JPEG blob ---
  // createImageBitmap reads the photo without an <img> (the Content-Security-Policy allows
  // no blob: images); a browser without it reads a data: URL instead.
  function decode(file) {
    if (window.createImageBitmap) { return createImageBitmap(file); }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onerror = reject;
      reader.onload = function () {
        var img = new Image();
        img.onerror = reject;
        img.onload = function () { resolve(img); };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
  }
  function resize(file) {
    return decode(file).then(function (img) {
      var scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(img.width * scale);
      canvas.height = Math.round(img.height * scale);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      if (img.close) { img.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.8);
      });
    }).catch(function () { return file; });
  }
  var photos = {};  // field name -> Promise<Blob>

  function markPhoto(name, has) {
    var input = form && form.querySelector("input[type=file][name='" + name + "']");
    var button = input && input.closest(".photo-button");
    if (button) {
      if (has) { button.setAttribute("data-has-photo", ""); } else { button.removeAttribute("data-has-photo"); }
    }
  }

  // --- a form's content, as kept and as sent ---
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function fields() {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "file" || el.name === "csrfmiddlewaretoken") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      out.push([el.name, el.value]);
    });
    return out;
  }
  function photoList() {
    var names = Object.keys(photos);
    return Promise.all(names.map(function (n) { return photos[n]; })).then(function (blobs) {
      return names.map(function (n, i) { return [n, blobs[i]]; });
    });
  }
  function label() {
    var main = form.querySelector("[data-offline-label]");
    var title = form.dataset.offlineTitle || document.title;
    return title + (main && main.value ? " " + main.value : "");
  }
  function restore(draft) {
    var values = {};
    draft.fields.forEach(function (f) { (values[f[0]] = values[f[0]] || []).push(f[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken") { return; }
      var v = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") { el.checked = v.indexOf(el.value) !== -1; }
      else if (v.length) { el.value = v[0]; }
    });
    draft.photos.forEach(function (p) { photos[p[0]] = Promise.resolve(p[1]); markPhoto(p[0], true); });
  }
  function nowLocal() {
    var d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16);
  }

  // --- drafts: kept while typing, given back on the next visit ---
  var page = location.pathname;
  var draftTimer = null;
  function keepDraft() {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(function () {
      photoList().then(function (p) {
        return put("drafts", { page: page, fields: fields(), photos: p, at: Date.now() });
      }).catch(function () { say("Full"); });
    }, 400);
  }

  // --- sending ---
  var flushing = false;
  var sentHere = {};  // client keys sent from this page view: only those lead on to the record
  var retryIn = RETRY_MIN;
  var retryTimer = null;
  function later() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, retryIn);
    retryIn = Math.min(retryIn * 2, RETRY_MAX);
  }
  function body(entry) {
    var data = new FormData();
    entry.fields.forEach(function (f) { data.append(f[0], f[1]); });
    entry.photos.forEach(function (p, i) { data.append(p[0], p[1], "photo" + i + ".jpg"); });
    return data;
  }
  function session() {
    return fetch("/offline/session", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error("session " + r.status); } return r.json(); });
  }
  function refusal(json) {
    var items = (json && json.summary) || [];
    return items.map(function (i) { return (i.label ? i.label + ": " : "") + i.message; }).join(" · ");
  }
  function sendOne(entry, csrf) {
    return fetch(entry.url, {
      method: "POST",
      body: body(entry),
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.type === "opaqueredirect" || response.status === 401) { return { signin: true }; }
      if (response.status >= 500 || type.indexOf("application/json") === -1) {
        if (response.status === 403) { return { refused: true, json: {}, status: 403 }; }
        throw new Error("server " + response.status);
      }
      return response.json().then(function (json) {
        return { ok: response.status < 300, refused: response.status >= 400, json: json, status: response.status };
      });
    });
  }
  function flush() {
    if (flushing) { return Promise.resolve(); }
    flushing = true;
    return all("queue").then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state === "waiting"; });
      if (!waiting.length) { flushing = false; return; }
      say("Sending");
      return session().then(function (state) {
        if (!state.authenticated) { flushing = false; signInLink(); return; }
        // Only what this person filled in goes with this person's session.
        waiting = waiting.filter(function (e) { return !e.user || String(e.user) === String(state.user); });
        if (!waiting.length) { flushing = false; say("Queued"); return; }
        var chain = Promise.resolve();
        var goTo = null;
        waiting.forEach(function (entry) {
          chain = chain.then(function () {
            return sendOne(entry, state.csrf).then(function (answer) {
              if (answer.signin) { throw { signin: true }; }
              if (answer.ok) {
                if (sentHere[entry.key] && answer.json.url) { goTo = answer.json.url; }
                return del("queue", entry.id);
              }
              entry.state = "failed";
              entry.error = refusal(answer.json) || text.msgRefused || String(answer.status);
              if (form && form.elements.client_key && entry.key === form.elements.client_key.value) {
                showSummary((answer.json && answer.json.summary) || []);
              }
              return put("queue", entry);
            });
          });
        });
        return chain.then(function () {
          flushing = false;
          retryIn = RETRY_MIN;
          return showQueue().then(function () {
            return all("queue").then(function (left) {
              var failed = left.filter(function (e) { return e.state === "failed"; }).length;
              say(failed ? "Error" : "Sent");
              if (goTo && !failed) { location.assign(goTo); }
            });
          });
        });
      }).catch(function (problem) {
        flushing = false;
        if (problem && problem.signin) { signInLink(); return; }
        say("Queued");
        later();
      });
    }).catch(function () { flushing = false; });
  }

  // A refusal of the form on this page: one box at the top that names each field by its
  // label and links to it, focused so that the inspector at the bottom of the form sees it.
  function showSummary(items) {
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
    heading.textContent = text.msgSummary || "";
    var ul = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var line = (item.label ? item.label + ": " : "") + item.message;
      var field = item.id ? document.getElementById(item.id) : null;
      if (field) {
        var link = document.createElement("a");
        link.href = "#" + item.id;
        link.textContent = line;
        li.appendChild(link);
        if (field.tagName !== "FIELDSET") { field.setAttribute("aria-invalid", "true"); }
      } else {
        li.textContent = line;
      }
      ul.appendChild(li);
    });
    summary.appendChild(heading);
    summary.appendChild(ul);
    box.parentNode.insertBefore(summary, box);
    summary.focus();
  }

  // --- the form on this page ---
  if (form) {
    var keyField = form.elements.client_key;
    get("drafts", page).then(function (draft) {
      if (draft) {
        restore(draft);
        say("Draft", when(draft.at));
      } else {
        if (keyField) { keyField.value = newKey(); }
        var stamp = form.querySelector("input[type=datetime-local][data-offline-now]");
        if (stamp) { stamp.value = nowLocal(); }
      }
    }).catch(function () { if (keyField) { keyField.value = newKey(); } });

    form.addEventListener("input", keepDraft);
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type === "file" && input.files.length) {
        photos[input.name] = resize(input.files[0]);
        markPhoto(input.name, true);
      }
      keepDraft();
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var content = fields();
      var key = keyField ? keyField.value : "";
      photoList().then(function (p) {
        var entry = {
          url: form.action || location.href, fields: content, photos: p, at: Date.now(),
          key: key, label: label(), state: "waiting", user: text.user || "",
        };
        sentHere[key] = true;
        // The same form sent twice (a double tap) stays one entry: same client_key.
        return all("queue").then(function (entries) {
          var same = entries.filter(function (e) { return key && e.key === key; })[0];
          if (same) { entry.id = same.id; }
          return put("queue", entry);
        });
      }).then(function () {
        clearTimeout(draftTimer);
        return del("drafts", page);
      }).then(function () {
        retryIn = RETRY_MIN;
        return showQueue();
      }).then(function () {
        if (!navigator.onLine) { say("Queued"); return; }
        return flush();
      }).catch(function () {
        // Nothing was kept (the store is full or refused): the form stays as typed.
        say("Full");
      });
    });
  }

  // --- the service worker, and pages kept ahead of need ---
  if ("serviceWorker" in navigator && box && box.dataset.worker) {
    navigator.serviceWorker.register(box.dataset.worker, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var urls = [location.pathname];
      document.querySelectorAll("a[data-offline]").forEach(function (a) { urls.push(a.getAttribute("href")); });
      document.querySelectorAll("script[src], link[rel=stylesheet][href]").forEach(function (el) {
        urls.push(el.getAttribute("src") || el.getAttribute("href"));
      });
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "kept") { document.documentElement.dataset.offlineReady = "1"; }
      });
      registration.active.postMessage({ type: "keep", urls: urls });
    }).catch(function () { /* no worker (private mode, old browser): the queue still works */ });
  }

  if (navigator.storage && navigator.storage.estimate && box) {
    navigator.storage.estimate().then(function (e) {
      if (e.quota && e.usage / e.quota > 0.9) { say("Nearlyfull"); }
    });
  }

  window.addEventListener("online", function () { retryIn = RETRY_MIN; flush(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && navigator.onLine) { flush(); }
  });
  showQueue().then(function () { if (navigator.onLine) { flush(); } });
})();
