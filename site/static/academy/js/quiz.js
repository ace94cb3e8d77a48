// Quiz attempt page: autosave each answer as it changes, keep unsent answers on the device
// while offline, reorder steps, and count down the time limit. Grading stays on the server:
// this script never sees the answer key.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) return;
  // The page's words, translated by the server (no inline script: the CSP forbids it).
  var words = document.getElementById("quiz-text");
  var text = words ? Object.assign({}, words.dataset) : {};
  var url = form.dataset.autosaveUrl;
  var storeKey = "kefu-attempt-" + form.dataset.attempt;
  var status = document.getElementById("save-state");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var submitting = false;

  function pending() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function keep(all) {
    try { localStorage.setItem(storeKey, JSON.stringify(all)); } catch (e) { /* storage full */ }
  }
  function show(message, kind) {
    status.textContent = message;
    status.className = "save-state " + (kind || "");
  }

  function fieldsOf(fieldset) {
    var position = fieldset.dataset.position;
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "q" + position || name.indexOf("q" + position + "-") === 0) {
        (fields[name] = fields[name] || []).push(value);
      }
    });
    return fields;
  }

  // One request at a time: answers arrive in the order they were given, and the server
  // never sees two saves of the same attempt racing each other.
  var queue = Promise.resolve();
  var inFlight = 0;

  // data-pending="0" once every answer given on this page has reached the server.
  function mark() {
    form.dataset.pending = inFlight > 0 || Object.keys(pending()).length > 0 ? "1" : "0";
  }

  function post(position, fields) {
    show(text.saving, "saving");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ position: Number(position), fields: fields })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }

  function send(position, fields) {
    inFlight += 1;
    mark();
    queue = queue.then(function () {
      return post(position, fields).then(function (result) {
        var all = pending();
        var same = JSON.stringify(all[position]) === JSON.stringify(fields);
        if (result.status === 200 && result.body.saved === true) {
          if (same) delete all[position];
          keep(all);
          show(text.saved + " " + new Date().toLocaleTimeString(), "saved");
        } else if (result.status >= 400 && result.status < 500 &&
                   result.status !== 401 && result.status !== 403) {
          // Refused (time up, already submitted, not a valid answer): retrying cannot help.
          if (same) delete all[position];
          keep(all);
          show(text.refused + " " + (result.body.error || ""), "refused");
        } else {
          // Logged out, a stale CSRF token, a server hiccup, anything unexpected: keep the
          // answer on the device and say so; it is sent again by the retry timer or the
          // next time the page is opened.
          show((result.body.error || text.offline), "offline");
        }
      }).catch(function () {
        show(text.offline, "offline");
      }).then(function () {
        inFlight -= 1;
        mark();
      });
    });
    return queue;
  }

  // Kept on the device at once, sent a moment later: a reload or a lost connection in
  // between loses nothing (restore() sends it on the next load).
  function remember(fieldset) {
    var position = fieldset.dataset.position;
    var fields = fieldsOf(fieldset);
    var all = pending();
    all[position] = fields;
    keep(all);
    mark();
    return fields;
  }

  function save(fieldset) {
    return send(fieldset.dataset.position, remember(fieldset));
  }

  function flush() {
    if (inFlight) return;
    var all = pending();
    Object.keys(all).forEach(function (position) { send(position, all[position]); });
  }

  // Answers typed offline before a reload: put them back into the form, then send them.
  function restore() {
    var all = pending();
    Object.keys(all).forEach(function (position) {
      var fields = all[position];
      var fieldset = document.getElementById("q" + position);
      if (!fieldset) return;
      fieldset.querySelectorAll("input, select, textarea").forEach(function (input) {
        var values = fields[input.name];
        if (!values) return;
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = values.indexOf(input.value) !== -1;
        } else if (input.type !== "hidden" || input.closest(".q-ordering")) {
          input.value = values[values.length - 1];
        }
      });
      var list = fieldset.querySelector("ol.ordering");
      if (list && fields["q" + position]) {
        fields["q" + position][0].split(",").forEach(function (id) {
          var item = list.querySelector('li[data-id="' + id + '"]');
          if (item) list.appendChild(item);
        });
      }
    });
    flush();
  }

  var timers = {};
  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset) return;
    var position = fieldset.dataset.position;
    remember(fieldset);
    clearTimeout(timers[position]);
    // Typing autosaves after a pause; a click on an option saves at once.
    var delay = event.target.tagName === "TEXTAREA" || event.target.type === "text" ? 800 : 0;
    timers[position] = setTimeout(function () { save(fieldset); }, delay);
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button.move");
    if (!button) return;
    var item = button.closest("li");
    var list = item.parentNode;
    if (button.dataset.move === "up" && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (button.dataset.move === "down" && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    }
    button.focus();
    var fieldset = list.closest("fieldset.question");
    var ids = Array.prototype.map.call(list.children, function (li) { return li.dataset.id; });
    fieldset.querySelector('input[type=hidden][name="q' + fieldset.dataset.position + '"]').value = ids.join(",");
    save(fieldset);
  });

  form.addEventListener("submit", function (event) {
    if (!submitting && !form.dataset.timeUp && !window.confirm(text.confirm)) {
      event.preventDefault();
      return;
    }
    // The device copy is cleared by the review page, once the server has the submission.
    submitting = true;
  });

  window.addEventListener("online", flush);
  setInterval(function () { if (Object.keys(pending()).length) flush(); }, 5000);
  restore();

  var timer = document.getElementById("timer");
  if (timer) {
    var endsAt = Date.now() + Number(timer.dataset.seconds) * 1000;
    var label = timer.querySelector("b");
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      label.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      timer.classList.toggle("urgent", left <= 60);
      if (left === 0 && !submitting) {
        form.dataset.timeUp = "1";
        show(text.timeUp, "refused");
        form.requestSubmit ? form.requestSubmit() : form.submit();
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
