// The check page's file form (issue 18) takes its CSRF token from the cookie when it is sent,
// so the page itself carries no token and stays the same bytes for every visitor and every miss.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-csrf-cookie]")) return;
    var name = form.getAttribute("data-csrf-cookie");
    var match = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]+)"));
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "csrfmiddlewaretoken";
      form.appendChild(field);
    }
    field.value = match ? decodeURIComponent(match[1]) : "";
  });
})();
