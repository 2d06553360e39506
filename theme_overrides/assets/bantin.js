// Small comforts on top of pages that work without JavaScript:
// - the font-size buttons of ward portals ("Tăng cỡ chữ", "Giảm cỡ chữ"), remembered across pages;
// - the light/dark choice of the header, remembered across pages (without JS it lasts one page);
// - the print button; the tab of the section being read marked, and scrolled into view on phones.
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

  function markSection() {
    var section = document.querySelector("[data-bt-section]");
    var target = new URL(section ? section.getAttribute("data-bt-section") : location.href, location.href).pathname;
    var home = new URL(document.querySelector(".bt-brand").href).pathname;
    var links = document.querySelectorAll(".bt-nav__list a, .bt-quick a"), best = null, bestLen = 0;
    for (var i = 0; i < links.length; i++) {
      var path = new URL(links[i].href).pathname;
      var match = path === home ? target === home : target.indexOf(path) === 0;
      if (match && path.length > bestLen) { best = links[i]; bestLen = path.length; }
    }
    if (!best) return;
    best.classList.add("is-active");
    var list = best.closest("ul");
    if (list && list.scrollWidth > list.clientWidth) {
      list.scrollLeft = best.offsetLeft - (list.clientWidth - best.offsetWidth) / 2;
    }
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
    try { markSection(); } catch (e) {}
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire); else wire();
})();
