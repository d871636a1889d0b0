// The data age on screen, kept right to the second while a page stays open. The words MUST
// be those of documents/fmt.py format_age (tests/web/test_age_js.py compares both).
function pcsAgeText(seconds) {
  var s = Math.floor(seconds), minutes = Math.floor(s / 60);
  if (minutes < -1) { return "date postérieure à l'impression — vérifier l'horloge"; }
  if (minutes < 1) { return "il y a " + Math.max(s, 0) + " s"; }
  if (minutes < 60) { return "il y a " + minutes + " min"; }
  var hours = Math.floor(minutes / 60), mins = minutes % 60;
  if (hours < 24) { return "il y a " + hours + " h " + (mins < 10 ? "0" : "") + mins; }
  var days = Math.floor(hours / 24), rest = hours % 24;
  if (days < 3 && rest) { return "il y a " + days + " j " + rest + " h"; }
  return "il y a " + days + " j";
}
if (typeof module !== "undefined") { module.exports = pcsAgeText; }
if (typeof document !== "undefined") {
  (function () {
    var spans = document.querySelectorAll("[data-extracted]");
    if (!spans.length) { return; }
    // the kiosk browser runs on the station itself: its clock is the server's (no per-request
    // timestamp in the page, so two answers to the same request stay byte for byte equal)
    function tick() {
      spans.forEach(function (span) {
        var age = (Date.now() - Date.parse(span.dataset.extracted)) / 1000;
        var text = span.querySelector(".age");
        if (text) { text.textContent = pcsAgeText(age); }
      });
    }
    setInterval(tick, 1000);
  })();
}
