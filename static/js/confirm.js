// Irreversible actions ask first: a form (or the button that submits it) with data-confirm="…"
// shows that question, and the form is sent only when the user agrees. The security policy
// (script-src 'self') refuses inline onsubmit/onclick handlers, so this file does it for every
// page. Loaded by base.html.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question =
      (button && button.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
