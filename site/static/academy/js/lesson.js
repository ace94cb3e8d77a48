// Remembers how far down a lesson the learner had scrolled, so that coming back between
// shifts lands where they stopped reading. Stored on the device only; harmless if absent.
(function () {
  var article = document.querySelector("[data-lesson-id]");
  if (!article || !window.localStorage) return;
  var key = "kefu-lesson-scroll-" + article.getAttribute("data-lesson-id");
  if (!window.location.hash) {
    var saved = parseInt(localStorage.getItem(key) || "0", 10);
    if (saved > 0) window.scrollTo(0, saved);
  }
  var pending = null;
  window.addEventListener("scroll", function () {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      try { localStorage.setItem(key, String(Math.round(window.scrollY))); } catch (e) { /* full or private mode */ }
    }, 400);
  }, { passive: true });
})();

// A lesson with a minimum reading time: the server refuses an early completion; this only
// counts down on the page and enables the button when the server will accept it.
(function () {
  var note = document.querySelector("[data-reading-wait]");
  var button = document.querySelector("[data-reading-button]");
  if (!note || !button) return;
  var ready = Date.now() + 1000 * parseInt(note.getAttribute("data-reading-wait"), 10);
  var timer = setInterval(function () {
    var left = Math.ceil((ready - Date.now()) / 1000);
    if (left > 0) return;
    clearInterval(timer);
    note.hidden = true;
    button.disabled = false;
  }, 250);
})();
