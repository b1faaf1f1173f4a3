// Attendance grid: "mark all present" sets the choices without saving (the button saves
// directly when JavaScript is off). Loaded from a file: the Content-Security-Policy forbids
// inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-mark-all]");
  if (!button) {
    return;
  }
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var value = button.getAttribute("data-mark-all");
    var radios = button.form.querySelectorAll('input[type="radio"][value="' + value + '"]');
    radios.forEach(function (radio) {
      if (!radio.disabled) {
        radio.checked = true;
      }
    });
    var note = document.getElementById("mark-all-note");
    if (note) {
      note.hidden = false;
    }
  });
});
