// Small comforts on top of pages that work without JavaScript:
// - the font-size buttons of ward portals ("Tăng cỡ chữ", "Giảm cỡ chữ"), remembered across pages;
// - the light/dark choice of the header, remembered across pages (without JS it lasts one page);
// - the print button. (The tab of the section being read is marked by the build: aria-current.)
(function () {
  var root = document.documentElement;
  var FONT = "bantin.fontsize", SCHEME = "bantin.scheme", MIN = 0.8, MAX = 1.6, STEP = 0.1;

  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) {} }

  function scale() {
    var v = parseFloat(getComputedStyle(root).getPropertyValue("--bt-font-scale"));
    return isNaN(v) ? 1 : v;
  }
  function setScale(v) {
    v = Math.min(MAX, Math.max(MIN, Math.round(v * 10) / 10));
    root.style.setProperty("--bt-font-scale", String(v));
    store(FONT, String(v));
  }

  function wireScheme() {
    var chosen = root.getAttribute("data-bt-scheme");
    var input = chosen && document.getElementById("bt-scheme-" + chosen);
    if (input) input.checked = true;
    document.addEventListener("change", function (ev) {
      var t = ev.target;
      if (!t || t.name !== "bt-scheme") return;
      root.setAttribute("data-bt-scheme", t.value);
      store(SCHEME, t.value);
    });
  }

  function wire() {
    var groups = document.querySelectorAll(".bt-fontsize");
    for (var i = 0; i < groups.length; i++) groups[i].hidden = false;
    document.addEventListener("click", function (ev) {
      var b = ev.target.closest && ev.target.closest("[data-bt-font], [data-bt-print]");
      if (!b) return;
      if (b.hasAttribute("data-bt-print")) window.print();
      else setScale(scale() + (b.getAttribute("data-bt-font") === "up" ? STEP : -STEP));
    });
    wireScheme();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire); else wire();
})();
