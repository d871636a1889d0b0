// Idle timeout: go back to the login page once the server-side session has expired.
(function () {
  var minutes = parseInt(document.body.dataset.idleMinutes || "10", 10);
  var timer;
  function arm() {
    clearTimeout(timer);
    timer = setTimeout(function () { window.location.reload(); }, minutes * 60 * 1000 + 2000);
  }
  ["keydown", "mousedown", "touchstart"].forEach(function (e) { document.addEventListener(e, arm); });
  arm();
})();
