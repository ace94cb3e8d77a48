/* Working without a signal (courses.offline): registers the service worker for signed-in
   staff, says when a page is a copy the worker kept, and lists the kept lessons on the
   offline page. Texts come in data- attributes (the CSP allows no inline script). */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[data-service-worker]");
  var workerUrl = script && script.getAttribute("data-service-worker");
  if (workerUrl && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(workerUrl, { scope: "/" }).catch(function () {
      // No worker (private mode, an old browser): the site works as before, online only.
    });
  }

  function twoDigits(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function readableTime(iso) {
    var when = new Date(iso);
    if (isNaN(when.getTime())) return "";
    return when.getFullYear() + "-" + twoDigits(when.getMonth() + 1) + "-" +
      twoDigits(when.getDate()) + " " + twoDigits(when.getHours()) + ":" +
      twoDigits(when.getMinutes());
  }

  // A page the worker served from its copy carries the time the copy was saved.
  var mark = document.querySelector('meta[name="kefu-offline-copy"]');
  var note = document.getElementById("offline-note");
  var savedAt = mark && mark.getAttribute("content");
  if (note && savedAt) {
    var time = document.createElement("time");
    time.className = "date";
    time.setAttribute("datetime", savedAt);
    time.textContent = readableTime(savedAt);
    note.textContent = note.getAttribute("data-text") + " ";
    note.appendChild(time);
    note.hidden = false;
  }

  // The offline page: the lessons this browser kept, most recently opened first.
  var list = document.querySelector("[data-kept-pages]");
  if (!list || !("caches" in window)) return;
  var prefix = list.getAttribute("data-kept-pages");
  var parser = new DOMParser();
  caches.open("kefu-pages").then(function (cache) {
    return cache.keys().then(function (requests) {
      var kept = requests.filter(function (request) {
        return new URL(request.url).pathname.indexOf(prefix) === 0;
      }).reverse();
      return Promise.all(kept.map(function (request) {
        return cache.match(request, { ignoreVary: true }).then(function (response) {
          return response.text().then(function (text) {
            var heading = parser.parseFromString(text, "text/html").querySelector("main h1");
            return { url: request.url, title: heading ? heading.textContent.trim() : request.url };
          });
        });
      }));
    });
  }).then(function (pages) {
    pages.forEach(function (page) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = page.url;
      link.textContent = page.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    var empty = document.querySelector("[data-kept-pages-empty]");
    if (empty) empty.hidden = pages.length > 0;
  }).catch(function () {});
})();
