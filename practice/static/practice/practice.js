// Daily practice: one card at a time, ratings sent in the background. A rating that cannot
// be sent (no connection, server unreachable) waits in this device's queue and is sent when
// the connection returns; the server stores each rating id once, so sending again is safe.
// Loaded on every signed-in page, so that the queue goes from whatever page is open.
(function () {
  "use strict";
  var root = document.querySelector("[data-practice]");
  var status = document.querySelector("[data-queue-status]");
  var QUEUE = "kefu.practice.queue";
  var DONE = "kefu.practice.done";
  var user = root ? root.dataset.user : (document.body.dataset.user || "");
  var url = root ? root.dataset.reviewUrl : "/practice/reviews/";

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full */ }
  }
  function showQueue() {
    if (!status) return;
    var waiting = read(QUEUE).filter(function (i) { return i.user === user; }).length;
    status.textContent = waiting
      ? "有 " + waiting + " 条评分还没有送达，联网后会自动发送。"
      : "";
  }

  function mine(item) { return item.user === user; }

  // Sends the queue one rating at a time; resolves when it is empty or a rating must wait.
  var sending = null;
  function flush() {
    if (sending) return sending;
    var settle = function () { sending = null; showQueue(); };
    sending = sendNext().then(settle, settle);
    return sending;
  }
  function sendNext() {
    var item = read(QUEUE).find(mine);
    if (!item) return Promise.resolve();
    var token = csrf() || item.csrf;  // this page's token: the queued one may be stale
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ id: item.id, card: item.card, rating: item.rating, reviewed_at: item.reviewed_at })
    }).then(function (response) {
      // Stored (201), stored before (200), or refused for good (400, 404, 409): done with it.
      // Signed out or a stale form token (403) and server trouble (5xx): keep it for later.
      if (response.ok || [400, 404, 409].indexOf(response.status) >= 0) {
        write(QUEUE, read(QUEUE).filter(function (i) { return i.id !== item.id; }));
        return sendNext();
      }
    });
  }

  // Logging out clears what this site stored on the device (Clear-Site-Data), the queue
  // included: send it first, and ask before dropping ratings that still cannot go.
  var logout = document.querySelector("form[action$='/logout/']");
  if (logout) {
    logout.addEventListener("submit", function (event) {
      if (!read(QUEUE).some(mine)) return;
      event.preventDefault();
      var decided = false;
      var leave = function () {
        if (decided) return;
        decided = true;
        var left = read(QUEUE).filter(mine).length;
        if (!left || window.confirm("有 " + left + " 条评分还没有送达，退出后会丢失。仍要退出吗？")) {
          logout.submit();
        }
      };
      flush().then(leave);
      setTimeout(leave, 4000);  // never keep someone from logging out for long
    });
  }

  function csrf() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  window.addEventListener("online", flush);
  flush();
  if (!root) return;

  var cards = Array.prototype.slice.call(root.querySelectorAll(".practice-card"));
  var progress = root.querySelector("[data-progress]");
  var done = read(DONE);
  var finished = 0;  // cards done for today (a forgotten one only once it is remembered)
  var forgotten = 0;
  // A page shown again from the offline cache must not ask for cards already rated.
  cards = cards.filter(function (card) {
    if (done.indexOf(card.dataset.clientId) >= 0) { card.remove(); return false; }
    return true;
  });
  var total = cards.length;
  root.classList.add("one-at-a-time");

  function show(index) {
    cards.forEach(function (card, n) { card.hidden = n !== index; });
    if (index >= cards.length) {
      root.querySelector("[data-done]").hidden = false;
      root.querySelector("[data-done-figures]").textContent =
        "今天练了 " + finished + " 张卡片" +
        (forgotten ? "，忘了的 " + forgotten + " 次都已重新过了一遍。" : "。");
      if (progress) progress.textContent = "";
      return;
    }
    if (progress) progress.textContent = "第 " + (index + 1) + " / " + total + " 张";
  }

  function newId() {
    // crypto.randomUUID needs a secure context; getRandomValues works everywhere.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // A forgotten card comes back at the end of the session, as a new rating.
  function again(card) {
    var copy = card.cloneNode(true);
    copy.dataset.clientId = newId();
    copy.querySelector("input[name=id]").value = copy.dataset.clientId;
    copy.querySelector("details").open = false;
    root.insertBefore(copy, root.querySelector("[data-done]"));
    cards.push(copy);
    total += 1;
    listen(copy);
  }

  function listen(card) {
    card.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var index = cards.indexOf(card);
      var button = event.submitter;
      if (!button || !button.value) return;
      var item = {
        id: card.dataset.clientId,
        card: Number(card.dataset.card),
        rating: Number(button.value),
        reviewed_at: new Date().toISOString(),
        user: user,
        csrf: csrf()
      };
      var queue = read(QUEUE);
      if (!queue.some(function (i) { return i.id === item.id; })) queue.push(item);
      write(QUEUE, queue);
      write(DONE, read(DONE).concat([item.id]).slice(-500));
      if (item.rating > 1) { finished += 1; } else { forgotten += 1; again(card); }
      show(index + 1);
      flush();
    });
  }
  cards.forEach(listen);
  show(0);
})();
