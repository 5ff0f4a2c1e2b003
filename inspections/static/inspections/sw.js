// The field pages' service worker, served at /sw.js so that it may answer for the whole
// portal (portal/offline.py). It keeps the pages field staff fill in a yard (inspections,
// seals, gate log, incidents) so that they open with no connection at all:
//   - a field page is fetched from the network first and its copy kept; with no network the
//     kept copy answers (a page never opened nor prefetched answers a short notice instead);
//   - the portal's static files (names carry a content hash) are kept on first use and
//     answered from the cache after that;
//   - a page may ask for pages to be kept ahead of need ({type: "keep", urls: [...]}), e.g.
//     the inspection list keeps each checklist's form.
// Everything else (other pages, POSTs, the API) goes to the network untouched: the send
// queue of the pages lives in IndexedDB (offline.js), not here.
"use strict";

var PAGES = "ctpat-field-pages-v1";
var STATIC = "ctpat-static-v1";
var FIELD = /^\/companies\/\d+\/(inspections|seals|incidents)\//;

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name !== PAGES && name !== STATIC;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isStatic(url) { return url.pathname.indexOf("/static/") === 0; }

function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

// A page is kept under its path alone: the form opened with ?seal=… is the same form.
function pageKey(url) { return url.origin + url.pathname; }

function offlineNotice() {
  var body =
    '<!doctype html><html lang="es"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Sin conexión / No connection</title>" +
    '<main style="font-family:system-ui,sans-serif;padding:1rem;max-width:30rem">' +
    "<h1>Sin conexión</h1><p>Esta página no se guardó en el teléfono. Vuelva a abrirla " +
    "cuando haya conexión.</p><h2>No connection</h2><p>This page was not kept on the " +
    "phone. Open it again once there is a connection.</p></main></html>";
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

function page(request) {
  var url = new URL(request.url);
  return fetch(request).then(function (response) {
    if (keepable(response)) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(pageKey(url), copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(pageKey(url));
    }).then(function (kept) { return kept || offlineNotice(); });
  });
}

function staticFile(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (kept) {
      if (kept) { return kept; }
      return fetch(request).then(function (response) {
        if (keepable(response)) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (isStatic(url)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate" && FIELD.test(url.pathname)) {
    event.respondWith(page(request));
  }
});

var ASSET = /<(?:script[^>]+src|link[^>]+href)="(\/static\/[^"]+)"/g;

function keepAssets(html) {
  var urls = [];
  var match;
  while ((match = ASSET.exec(html)) !== null) { urls.push(match[1]); }
  return caches.open(STATIC).then(function (cache) {
    return Promise.all(urls.map(function (path) {
      var url = new URL(path, self.location.origin).href;
      return cache.match(url).then(function (found) {
        if (found) { return; }
        return fetch(url).then(function (response) {
          if (keepable(response)) { return cache.put(url, response); }
        });
      });
    }));
  });
}

// Keep pages and files ahead of need; the page that asked hears back when they are kept.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) { return; }
  var work = data.urls.map(function (href) {
    var url = new URL(href, self.location.origin);
    if (url.origin !== self.location.origin) { return Promise.resolve(); }
    var store = isStatic(url) ? STATIC : PAGES;
    var key = isStatic(url) ? url.href : pageKey(url);
    return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
      if (!keepable(response)) { return; }
      var copy = response.clone();
      var kept = caches.open(store).then(function (cache) { return cache.put(key, copy); });
      if (store !== PAGES) { return kept; }
      // A page kept ahead of need brings its scripts and styles along, or it would open
      // offline without them.
      return Promise.all([kept, response.text().then(keepAssets)]);
    }).catch(function () { /* offline: kept copies stay as they are */ });
  });
  event.waitUntil(Promise.all(work).then(function () {
    if (event.source) { event.source.postMessage({ type: "kept", count: data.urls.length }); }
  }));
});
