// Font-size buttons of ward portals ("Tăng cỡ chữ", "Giảm cỡ chữ"), remembered across pages.
(function () {
  var KEY = "bantin.fontsize", MIN = 0.8, MAX = 1.6, STEP = 0.1;
  function current() {
    var v = parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--bt-font-scale"));
    return isNaN(v) ? 1 : v;
  }
  function set(v) {
    v = Math.min(MAX, Math.max(MIN, Math.round(v * 10) / 10));
    document.documentElement.style.setProperty("--bt-font-scale", String(v));
    try { localStorage.setItem(KEY, String(v)); } catch (e) {}
  }
  function wire() {
    var groups = document.querySelectorAll(".bt-fontsize");
    for (var i = 0; i < groups.length; i++) groups[i].hidden = false;
    document.addEventListener("click", function (ev) {
      var b = ev.target.closest && ev.target.closest("[data-bt-font]");
      if (!b) return;
      set(current() + (b.getAttribute("data-bt-font") === "up" ? STEP : -STEP));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire); else wire();
})();
