// Quiz attempt page: autosave each answer as it changes, keep unsent answers on the device
// while offline, reorder steps, and count down the time limit. Grading stays on the server:
// this script never sees the answer key.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var text = window.KEFU_QUIZ_TEXT || {};
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

  function send(position, fields) {
    show(text.saving, "saving");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ position: Number(position), fields: fields })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      var all = pending();
      if (result.ok) {
        delete all[position];
        keep(all);
        show(text.saved + " " + new Date().toLocaleTimeString(), "saved");
      } else {
        // Refused (time up, already submitted, invalid): keeping it would only retry forever.
        delete all[position];
        keep(all);
        show(text.refused + " " + (result.body.error || ""), "refused");
      }
    }).catch(function () {
      show(text.offline, "offline");
    });
  }

  function save(fieldset) {
    var position = fieldset.dataset.position;
    var fields = fieldsOf(fieldset);
    var all = pending();
    all[position] = fields;
    keep(all);
    return send(position, fields);
  }

  function flush() {
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
    submitting = true;
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
  });

  window.addEventListener("online", flush);
  setInterval(function () { if (Object.keys(pending()).length) flush(); }, 15000);
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
