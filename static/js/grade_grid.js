// Grade grid: keyboard moves (Tab/Shift-Tab natural; Enter down, Shift-Enter up, arrows up and
// down), a hint when a cell cannot be a score, a count of changed cells, and the keep-mine /
// take-theirs choice after a conflict. On load the cursor waits in the first cell to fill (or
// the first one the server refused); a save blocked by refused cells goes to the first of them
// and says beside the button how many need fixing. The server checks everything again and is
// the truth.
// Loaded from a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  var SCORE = /^\d{1,2}([.,]\d{1,2})?$/;

  function hint(text) {
    var value = text.trim();
    if (value === "") {
      return "";
    }
    if (!SCORE.test(value)) {
      return "«" + value + "» không phải điểm hợp lệ: nhập số từ 0 đến 10, tối đa hai chữ số thập phân (ví dụ 8,5).";
    }
    var number = parseFloat(value.replace(",", "."));
    if (number < 0 || number > 10) {
      return "«" + value + "» nằm ngoài thang điểm 0–10.";
    }
    return "";
  }

  function sameScore(a, b) {
    var x = a.trim().replace(",", ".");
    var y = b.trim().replace(",", ".");
    if (x === "" || y === "") {
      return x === y;
    }
    return parseFloat(x) === parseFloat(y);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-grade-grid]");
    if (!form) {
      return;
    }
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input.grade-input"));
    var counter = form.querySelector("[data-changed-count]");
    var blockedNotes = Array.prototype.slice.call(form.querySelectorAll("[data-blocked]"));

    // The order grades are typed in: down one assessment's column, then the next (as Enter
    // moves), so "the first cell" is where the lecturer stopped last time.
    function entryOrder() {
      return inputs.slice().sort(function (a, b) {
        var byColumn = parseInt(a.dataset.col, 10) - parseInt(b.dataset.col, 10);
        return byColumn || inputs.indexOf(a) - inputs.indexOf(b);
      });
    }

    function isRetake(input) {
      var cell = input.closest("td");
      return Boolean(cell && cell.classList.contains("grade-retake"));
    }

    function goTo(input) {
      input.scrollIntoView({ block: "center", inline: "nearest" });
      input.focus({ preventScroll: true });
      input.select();
    }

    function column(input) {
      return inputs.filter(function (other) {
        return other.dataset.col === input.dataset.col;
      });
    }

    function nextColumnStart(input, step) {
      var col = parseInt(input.dataset.col, 10);
      var cols = inputs
        .map(function (other) { return parseInt(other.dataset.col, 10); })
        .filter(function (c, i, all) { return all.indexOf(c) === i; })
        .sort(function (a, b) { return a - b; });
      var at = cols.indexOf(col) + step;
      if (at < 0 || at >= cols.length) {
        return null;
      }
      var cells = inputs.filter(function (other) {
        return parseInt(other.dataset.col, 10) === cols[at];
      });
      return step > 0 ? cells[0] : cells[cells.length - 1];
    }

    function move(input, step) {
      var cells = column(input);
      var target = cells[cells.indexOf(input) + step];
      if (!target) {
        // Past the last trainee: on to the top of the next column (or the bottom of the previous).
        target = nextColumnStart(input, step);
      }
      if (target) {
        target.focus();
        target.select();
      }
    }

    function check(input) {
      var message = hint(input.value);
      var feedback = input.parentNode.querySelector("[data-feedback]");
      input.classList.toggle("is-invalid", message !== "");
      if (message !== "") {
        input.setAttribute("aria-invalid", "true");
        if (feedback) {
          feedback.textContent = message;
          input.setAttribute("aria-describedby", feedback.id);
        }
      } else {
        input.removeAttribute("aria-invalid");
        if (feedback && feedback.textContent && !input.dataset.serverError) {
          feedback.textContent = "";
        }
      }
      input.classList.toggle("is-changed", !sameScore(input.value, input.dataset.original || ""));
    }

    function refused() {
      return entryOrder().filter(function (input) { return hint(input.value) !== ""; });
    }

    // "Chưa lưu: N ô điểm cần sửa" beside the button that was pressed and beside the top one,
    // which stays in view (sticky) while the page goes to the cells; kept up to date while the
    // lecturer fixes them, gone once none is left.
    function sayBlocked(notes, number) {
      var text = number ? "Chưa lưu: " + number + " ô điểm cần sửa (viền đỏ, có lời nhắc dưới ô)." : "";
      blockedNotes.forEach(function (note) {
        note.textContent = notes.indexOf(note) >= 0 ? text : "";
      });
    }

    function updateBlocked() {
      var shown = blockedNotes.filter(function (note) { return note.textContent !== ""; });
      if (shown.length) {
        sayBlocked(shown, refused().length);
      }
    }

    function count() {
      if (!counter) {
        return;
      }
      var changed = inputs.filter(function (input) {
        return !sameScore(input.value, input.dataset.original || "");
      }).length;
      counter.textContent = changed ? changed + " ô đã sửa, chưa lưu." : "";
    }

    inputs.forEach(function (input) {
      if (input.classList.contains("is-invalid")) {
        input.dataset.serverError = "1";
      }
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          move(input, event.shiftKey ? -1 : 1);
        } else if (event.key === "ArrowDown" && !event.altKey) {
          event.preventDefault();
          move(input, 1);
        } else if (event.key === "ArrowUp" && !event.altKey) {
          event.preventDefault();
          move(input, -1);
        }
      });
      input.addEventListener("input", function () {
        delete input.dataset.serverError;
        check(input);
        count();
        updateBlocked();
      });
      input.addEventListener("blur", function () {
        check(input);
      });
    });
    count();

    // Where the cursor waits on arrival: the first cell the server refused, else the first
    // cell to decide after a conflict, else the first empty score (a retake only for those
    // who resit, so never the first choice); nothing when every cell is filled.
    (function placeCursor() {
      var ordered = entryOrder();
      var start = ordered.filter(function (input) { return input.dataset.serverError === "1"; })[0]
        || ordered.filter(function (input) {
          var cell = input.closest("td");
          return cell && cell.querySelector("[data-conflict]");
        })[0]
        || ordered.filter(function (input) {
          return input.value.trim() === "" && !isRetake(input);
        })[0];
      if (start) {
        goTo(start);
      }
    })();

    // After a conflict: "take theirs" puts the stored value in the cell, "keep mine" restores.
    form.querySelectorAll("[data-conflict] input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        var cell = radio.closest("td");
        var input = cell && cell.querySelector("input.grade-input");
        if (!input || !radio.checked) {
          return;
        }
        if (radio.value === "da-luu") {
          if (input.dataset.mine === undefined) {
            input.dataset.mine = input.value;
          }
          input.value = radio.dataset.value || "";
        } else if (input.dataset.mine !== undefined) {
          input.value = input.dataset.mine;
        } else if (radio.dataset.value !== undefined) {
          input.value = radio.dataset.value;
        }
        check(input);
        count();
      });
    });

    // Nothing is saved while a cell is refused: say so at once, beside the button pressed,
    // instead of a round trip, and take the lecturer to the first cell to fix.
    form.addEventListener("submit", function (event) {
      inputs.forEach(check);
      var bad = refused();
      if (!bad.length) {
        sayBlocked([], 0);
        return;
      }
      event.preventDefault();
      var button = event.submitter;
      var pressed = button && button.parentNode.querySelector("[data-blocked]");
      sayBlocked([blockedNotes[0], pressed], bad.length);
      goTo(bad[0]);
    });
  });
})();
