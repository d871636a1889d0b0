// Idle timeout: once the server-side session has expired, reload so the login page shows.
(function () {
  if (!document.body.dataset.loggedIn) { return; }
  var seconds = parseInt(document.body.dataset.idleSeconds || "600", 10);
  var timer;
  function arm() {
    clearTimeout(timer);
    timer = setTimeout(function () { window.location.replace(window.location.href); }, seconds * 1000 + 1500);
  }
  ["keydown", "mousedown", "touchstart"].forEach(function (e) { document.addEventListener(e, arm); });
  arm();
})();

// A form marked data-once is sent once: its buttons are disabled as it leaves (a long unit
// bundle must not be asked for twice); the button pressed still sends its name and value.
(function () {
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var pressed = event.submitter;
      if (pressed && pressed.name) {
        var keep = document.createElement("input");
        keep.type = "hidden"; keep.name = pressed.name; keep.value = pressed.value;
        form.appendChild(keep);
      }
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        if (pressed) { pressed.textContent = form.dataset.once; }
      }, 0);
    });
  });
})();
