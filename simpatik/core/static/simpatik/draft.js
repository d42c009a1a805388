// The step form keeps a draft as people type (htmx, on the #draft-status element). Once the
// form itself is submitted, a pending autosave is dropped, so it never races the submission.
document.addEventListener("submit", function (event) {
  event.target.dataset.submitting = "true";
}, true);
document.addEventListener("htmx:confirm", function (event) {
  var form = event.target.closest("form");
  if (form && form.dataset.submitting) {
    event.preventDefault();
  }
});
// Coming back through the browser's history shows the page as it was: allow autosave again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitting]").forEach(function (form) {
    delete form.dataset.submitting;
  });
});
