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
