// Small behaviours every page may use, bound by data attributes so that no page needs an
// inline script or an on* handler (the Content-Security-Policy allows neither):
//   <select data-autosubmit>            submits its form when the choice changes;
//   <form data-confirm="Question?">     asks before the form is sent;
//   <button data-confirm="Question?">   asks before that button sends its form.
// It also folds the header's menu behind its button on a narrow screen (the button stays
// hidden without this script, so the menu is then simply open).
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    var header = toggle.closest("header");
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.setAttribute("data-menu", open ? "open" : "closed");
    };
    toggle.hidden = false;
    setOpen(false);
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }
  // The menu's areas (details.nav-group): on a wide screen each opens as a drop-down, one
  // at a time, and a click outside closes them; inside the folded phone menu all are open,
  // so one tap on "Menu" shows every page.
  var wide = window.matchMedia("(min-width: 1200px)");
  var groups = function () { return document.querySelectorAll("details.nav-group"); };
  var fitGroups = function () {
    groups().forEach(function (d) { d.open = !wide.matches; });
  };
  fitGroups();
  if (wide.addEventListener) { wide.addEventListener("change", fitGroups); }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!wide.matches || !(opened instanceof HTMLDetailsElement) ||
        !opened.classList.contains("nav-group") || !opened.open) { return; }
    groups().forEach(function (other) {
      if (other !== opened) { other.open = false; }
    });
  }, true);
  document.addEventListener("click", function (event) {
    if (!wide.matches || (event.target instanceof Element && event.target.closest("details.nav-group"))) { return; }
    groups().forEach(function (d) { d.open = false; });
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // A link in the summary moves the focus into its field, not only the scroll position.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    var focusable = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    target.scrollIntoView({ block: "center" });
    if (focusable) { focusable.focus(); }
  });

  // Search as you type (an input with data-lookup and hx-get): the server is asked for
  // ?q=<what was typed>; tapping a match puts its number in the box.
  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (source instanceof HTMLInputElement && source.hasAttribute("data-lookup")) {
      event.detail.parameters = { q: source.value };
    }
  });
  document.addEventListener("click", function (event) {
    var choice = event.target instanceof Element ? event.target.closest("[data-combo-value]") : null;
    var combo = choice ? choice.closest("[data-combo]") : null;
    if (!combo) { return; }
    var input = combo.querySelector("input[data-lookup]");
    if (combo.hasAttribute("data-combo-multiple")) {
      pickAnother(combo, choice.getAttribute("data-combo-pk"), choice.getAttribute("data-combo-value"));
      input.value = "";
      combo.querySelector(".matches").textContent = "";
      input.focus();
      return;
    }
    input.value = choice.getAttribute("data-combo-value");
    // A search select keeps the chosen object's key in its hidden input.
    var key = combo.querySelector("input[data-combo-key]");
    if (key) { key.value = choice.getAttribute("data-combo-pk") || ""; }
    combo.querySelector(".matches").textContent = "";
    input.focus();
  });
  // A search select of several: each pick becomes a chip with its key in a hidden input
  // (skipped when already picked); a chip's button removes it.
  function pickAnother(combo, key, label) {
    var picked = combo.querySelector("[data-combo-picked]");
    var name = combo.getAttribute("data-combo-name");
    if (!key || picked.querySelector('input[value="' + key + '"]')) { return; }
    var item = document.createElement("li");
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = name; hidden.value = key;
    var text = document.createElement("span");
    text.textContent = label;
    var remove = document.createElement("button");
    remove.type = "button"; remove.className = "secondary"; remove.textContent = "×";
    remove.setAttribute("data-combo-remove", "");
    remove.setAttribute("aria-label", combo.getAttribute("data-combo-remove-label") + " " + label);
    item.append(hidden, text, " ", remove);
    picked.appendChild(item);
  }
  document.addEventListener("click", function (event) {
    var remove = event.target instanceof Element ? event.target.closest("[data-combo-remove]") : null;
    if (!remove) { return; }
    var combo = remove.closest("[data-combo]");
    remove.closest("li").remove();
    combo.querySelector("input[data-lookup]").focus();
  });
  // From the box, the arrow keys walk the matches; Enter in a box of several picks the
  // first match instead of sending the form.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var combo = target.closest("[data-combo]");
    if (!combo) { return; }
    var matches = Array.prototype.slice.call(combo.querySelectorAll(".matches [data-combo-value]"));
    var at = matches.indexOf(target);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!matches.length) { return; }
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) { combo.querySelector("input[data-lookup]").focus(); }
      else { matches[Math.min(next, matches.length - 1)].focus(); }
      event.preventDefault();
    } else if (event.key === "Enter" && target.hasAttribute("data-lookup") &&
               combo.hasAttribute("data-combo-multiple")) {
      event.preventDefault();
      if (matches.length) { matches[0].click(); }
    } else if (event.key === "Escape") {
      combo.querySelector(".matches").textContent = "";
      combo.querySelector("input[data-lookup]").focus();
    }
  });
  // Typing again forgets the choice until a match is picked (an empty box: none).
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-lookup")) { return; }
    var combo = input.closest("[data-combo]");
    var key = combo ? combo.querySelector("input[data-combo-key]") : null;
    if (key) { key.value = ""; }
  });

  // A table wider than a phone scrolls inside its own box, not the whole page. A box that
  // does scroll becomes a named, focusable region so it can be scrolled from a keyboard.
  function tableName(table) {
    if (table.caption) { return table.caption.textContent.trim(); }
    var node = table.parentElement;
    while (node && node !== document.body) {
      var heading = node.previousElementSibling;
      while (heading) {
        if (/^H[1-4]$/.test(heading.tagName)) { return heading.textContent.trim(); }
        heading = heading.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title;
  }
  function fitTables() {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
      var box = table.parentElement;
      if (!box.classList.contains("table-scroll")) {
        box = document.createElement("div");
        box.className = "table-scroll";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(table));
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  fitTables();
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(fitTables, 150);
  });
  document.addEventListener("htmx:afterSettle", fitTables);

  // A form refused by the server opens with its error summary in view and focused.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Criterion lists ([data-keyboard-list]: profile review, worksheet): "j" moves to the
  // next criterion, "k" to the previous one, unless the person is typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "j" && event.key !== "k") { return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) { return; }
    var list = document.querySelector("[data-keyboard-list]");
    if (!list) { return; }
    var rows = Array.prototype.slice.call(list.querySelectorAll(".criterion-row"));
    if (!rows.length) { return; }
    var current = document.activeElement && document.activeElement.closest ? document.activeElement.closest(".criterion-row") : null;
    var index = rows.indexOf(current);
    var next = event.key === "j" ? Math.min(index + 1, rows.length - 1) : Math.max(index - 1, 0);
    rows[next].focus();
    rows[next].scrollIntoView({ block: "start" });
    event.preventDefault();
  });
})();
// The header's task and inbox counts (notices/, includes/header_notices.html) are fetched
// after the page, so no page waits for the task providers; without this script the
// header still links to both pages, without numbers.
(function () {
  "use strict";
  var holder = document.querySelector("[data-notice-counts]");
  if (!holder || !window.fetch) {
    return;
  }
  fetch(holder.getAttribute("data-notice-counts"), { credentials: "same-origin" })
    .then(function (response) { return response.ok && !response.redirected ? response.text() : ""; })
    .then(function (html) {
      if (html.trim()) {
        holder.outerHTML = html;
      }
    })
    .catch(function () {});
})();
// Signing out forgets the field pages the service worker kept for this person (a phone may
// be shared); what waits in the send queue stays, marked with its own person.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && /\/accounts\/logout\/$/.test(form.action) && window.caches) {
    caches.delete("ctpat-field-pages-v1");
  }
});
