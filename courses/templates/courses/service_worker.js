/* Kefu Academy's service worker (/sw.js): the emergency cards, the last lessons opened and
   the practice pages, for use without a signal. Every rule comes from CONFIG, made by
   courses.offline (its docstring says the rule); this script only applies it. */
"use strict";

const CONFIG = {{ config|safe }};
const SHELL = "kefu-shell-" + CONFIG.version;
const SHELL_PREFIX = "kefu-shell-";
const PAGES = "kefu-pages";
const SAVED_AT = "Kefu-Saved-At";
// base.html's empty marker; a copy served offline carries the time it was saved in it.
const OFFLINE_MARK = '<meta name="kefu-offline-copy" content="">';
const PRECACHED_PAGES = new Set([CONFIG.emergencyUrl, CONFIG.offlineUrl]);
const MATCH = { ignoreVary: true };

function absolute(url) {
  const parsed = new URL(url, self.location.href);
  parsed.hash = "";
  return parsed.href;
}

const PRECACHED = new Set(CONFIG.precache.map(absolute));

function storable(response, page) {
  if (!response || response.status !== 200 || response.type !== "basic" || response.redirected) {
    return false;  // an error, or a redirect (to the login page, say): nothing to keep
  }
  return !page || (response.headers.get("Content-Type") || "").startsWith("text/html");
}

async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, new Date().toISOString());
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

async function asOfflineCopy(copy) {
  const savedAt = (copy.headers.get(SAVED_AT) || "").replace(/[^0-9A-Za-z:.+-]/g, "");
  const text = (await copy.text()).replace(
    OFFLINE_MARK, '<meta name="kefu-offline-copy" content="' + savedAt + '">'
  );
  const headers = new Headers(copy.headers);
  headers.delete("Content-Length");  // the marker made the page longer
  return new Response(text, { status: 200, headers });
}

async function precache() {
  const cache = await caches.open(SHELL);
  await Promise.all(CONFIG.precache.map(async (url) => {
    const page = PRECACHED_PAGES.has(url);
    let response = null;
    try {
      response = await fetch(url, { cache: "reload", credentials: "same-origin" });
    } catch (error) {
      response = null;
    }
    if (storable(response, page)) {
      await cache.put(url, page ? await stamped(response) : response);
      return;
    }
    // Signed out or no signal: keep the copy an older worker saved, if there is one.
    const older = await caches.match(url, MATCH);
    if (older) {
      await cache.put(url, older);
    } else if (!page) {
      throw new Error("Not precached: " + url);
    }
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(SHELL_PREFIX) && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function offlinePage() {
  const page = await caches.match(CONFIG.offlineUrl, MATCH);
  return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

async function evict(cache, kept) {
  // Cache keys come in the order they were put: the first is the page opened longest ago.
  const mine = (await cache.keys()).filter(
    (request) => new URL(request.url).pathname.startsWith(kept.prefix)
  );
  for (const request of mine.slice(0, Math.max(0, mine.length - kept.limit))) {
    await cache.delete(request, MATCH);
  }
}

async function store(cacheName, key, response, kept) {
  const copy = await stamped(response);
  const cache = await caches.open(cacheName);
  await cache.delete(key, MATCH);  // put it back last: the most recently opened
  await cache.put(key, copy);
  if (kept) await evict(cache, kept);
}

function networkFirst(event, cacheName, kept) {
  const key = absolute(event.request.url);
  const network = fetch(event.request).then(async (response) => {
    if (storable(response, true)) await store(cacheName, key, response.clone(), kept);
    return response;
  });
  // The answer is stored even when it comes after the copy was shown.
  event.waitUntil(network.catch(() => null));
  return (async () => {
    const copy = await caches.match(key, MATCH);
    if (!copy) {
      try {
        return await network;
      } catch (error) {
        return offlinePage();
      }
    }
    // A weak signal: do not keep someone in a flooded basement waiting for it.
    const patience = new Promise((resolve) => setTimeout(resolve, CONFIG.networkTimeoutMs, null));
    try {
      const response = await Promise.race([network, patience]);
      if (response) return response;
    } catch (error) {
      // no signal at all
    }
    return asOfflineCopy(copy);
  })();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CONFIG.bypass.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode !== "navigate") {
    if (PRECACHED.has(absolute(request.url))) {
      event.respondWith(caches.match(request.url, MATCH).then((hit) => hit || fetch(request)));
    }
    return;
  }
  if (url.pathname === CONFIG.emergencyUrl) {
    event.respondWith(networkFirst(event, SHELL, null));
    return;
  }
  const kept = CONFIG.kept.find((rule) => url.pathname.startsWith(rule.prefix));
  if (kept) {
    event.respondWith(networkFirst(event, PAGES, kept));
  } else {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});
