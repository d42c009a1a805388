/* SIMPATIK: the little behaviour pages need, kept out of the HTML for the strict CSP. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
  // A NUL character (pasted from another program) is refused by the server, which would send
  // the whole form back on a bare error page: it is taken out where it was typed, and the
  // field says so (the text of the note comes from the page, in the page's language).
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (typeof field.value !== "string" || field.value.indexOf("\u0000") < 0) {
      return;
    }
    field.value = field.value.split("\u0000").join("");
    var note = field.nextElementSibling;
    if (!note || !note.classList.contains("nul-note")) {
      note = document.createElement("span");
      note.className = "field-error nul-note";
      note.setAttribute("role", "status");
      field.insertAdjacentElement("afterend", note);
    }
    note.textContent = document.body.dataset.nulNote || "";
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-history-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
