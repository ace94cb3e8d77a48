// Show only the fields of the chosen kind of target (all stay visible without JavaScript).
(function () {
  var form = document.querySelector(".assign-form");
  if (!form) return;
  var show = function () {
    var chosen = form.querySelector("input[name=target]:checked");
    var target = chosen ? chosen.value : null;
    form.querySelectorAll("[data-for]").forEach(function (el) { el.hidden = el.dataset.for !== target; });
  };
  form.addEventListener("change", show);
  show();
})();
