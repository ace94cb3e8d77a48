// The attempt is submitted: answers kept on this device for it are no longer needed.
(function () {
  var attempt = document.currentScript && document.currentScript.getAttribute("data-attempt");
  if (!attempt) return;
  try { localStorage.removeItem("kefu-attempt-" + attempt); } catch (e) { /* private mode */ }
})();
