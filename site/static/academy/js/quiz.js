// Quiz attempt page: autosave each answer as it changes, keep unsent answers on the device
// while offline, reorder steps with arrows, keep the navigator up to date, and count down
// the time limit. Everything also works without this script (pages are sent as forms, steps
// get a place each); grading stays on the server: this script never sees the answer key.
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
      if (list) sortByPlaces(list);
      showAnswered(fieldset);
    });
    flush();
  }

  // --- ordering: the places chosen and the arrows keep one order -----------------------
  function places(list) {
    return Array.prototype.map.call(list.children, function (li) {
      return li.querySelector("select.step-place");
    });
  }
  // Every step gets its place in the list as shown: the list is the answer.
  function numberPlaces(list) {
    places(list).forEach(function (select, index) { select.value = String(index + 1); });
  }
  // The list follows the places chosen (ties keep their order; steps without one go last),
  // as the server reads them without this script.
  function sortByPlaces(list) {
    var items = Array.prototype.slice.call(list.children);
    var last = items.length + 1;
    items.map(function (li, index) {
      var value = Number(li.querySelector("select.step-place").value) || last;
      return { li: li, key: value * 1000 + index };
    }).sort(function (a, b) { return a.key - b.key; }).forEach(function (entry) {
      list.appendChild(entry.li);
    });
  }
  function moveToPlace(select) {
    var item = select.closest("li");
    var list = item.parentNode;
    var target = Number(select.value) - 1;
    if (target < 0) return;
    list.removeChild(item);
    list.insertBefore(item, list.children[target] || null);
    numberPlaces(list);
    select.focus();
  }
  document.querySelectorAll("ol.ordering .step-moves").forEach(function (moves) {
    moves.hidden = false;
  });

  // --- navigator: answered / flagged as the learner goes (the server says it on each page) --
  function navButton(fieldset) {
    return document.querySelector('.nav-q[data-position="' + fieldset.dataset.position + '"]');
  }
  function showAnswered(fieldset) {
    var button = navButton(fieldset);
    if (!button) return;
    var any = false;
    fieldset.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.name === "flag" || input.type === "hidden") return;
      if (input.type === "radio" || input.type === "checkbox") {
        any = any || input.checked;
      } else {
        any = any || input.value.trim() !== "";
      }
    });
    button.classList.toggle("answered", any);
    button.classList.toggle("unanswered", !any);
  }

  var timers = {};
  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset) return;
    if (event.target.name === "flag") {
      // Saved with the page, when the learner moves on.
      var button = navButton(fieldset);
      if (button) button.classList.toggle("flagged", event.target.checked);
      return;
    }
    if (event.target.classList.contains("step-place")) moveToPlace(event.target);
    showAnswered(fieldset);
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
    numberPlaces(list);
    var fieldset = list.closest("fieldset.question");
    showAnswered(fieldset);
    save(fieldset);
  });

  form.addEventListener("submit", function () {
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
        // Submitted with this page's answers, whatever page the learner is on.
        form.dataset.timeUp = "1";
        form.action = form.dataset.submitUrl;
        show(text.timeUp, "refused");
        form.requestSubmit ? form.requestSubmit() : form.submit();
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
