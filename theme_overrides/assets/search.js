// The search page (/tim-kiem/): asks Pagefind's API, renders results with Vietnamese labels,
// and keeps the query, filters and sort in the address so that a search can be shared.
const PAGE_SIZE = 10;
const SORTS = { "moi-nhat": { date: "desc" }, "cu-nhat": { date: "asc" } };

const root = document.querySelector(".bt-search");
const form = root.querySelector(".bt-search__form");
const input = form.querySelector("input[name=q]");
const selects = [...form.querySelectorAll("select[data-filter]")];
const sortSelect = form.querySelector("select[data-sort]");
const status = root.querySelector(".bt-search__status");
const list = root.querySelector(".bt-search__results");
const more = root.querySelector(".bt-search__more");
const options = root.querySelector(".bt-search__options");
const active = root.querySelector(".bt-search__active");

const bundle = new URL(root.dataset.bundle, location.href);
let pagefind = null;
let results = [];
let shown = 0;
let terms = [];
let phrases = [];
let generation = 0;

// Lower case without marks, "đ" read as "d": how people type on phones.
const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
const words = (s) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

// Loaded once, on first focus or first search; a failed load is tried again next time.
function engine() {
  pagefind ||= (async () => {
    const pf = await import(new URL("pagefind.js", bundle).href);
    await pf.options({
      baseUrl: new URL("..", bundle).pathname,
      ranking: { metaWeights: JSON.parse(root.dataset.metaWeights || "{}") },
    });
    return pf;
  })().catch((err) => { pagefind = null; throw err; });
  return pagefind;
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const s of selects) s.value = params.get(s.name) || "";
  sortSelect.value = params.get(sortSelect.name) || "";
  for (const s of [...selects, sortSelect]) if (s.selectedIndex < 0) s.value = "";
}

function writeAddress(push) {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const s of [...selects, sortSelect]) if (s.value) params.set(s.name, s.value);
  const query = params.toString();
  const url = location.pathname + (query ? "?" + query : "");
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
}

async function run() {
  const token = ++generation;
  const query = input.value.normalize("NFC").trim();
  const filters = {};
  for (const s of selects) if (s.value) filters[s.dataset.filter] = s.value;
  const hasFilters = Object.keys(filters).length > 0;
  const chosen = Object.keys(filters).length + (sortSelect.value ? 1 : 0);
  active.textContent = chosen ? `(${chosen} đang chọn)` : "";
  list.replaceChildren();
  more.hidden = true;
  if (!query && !hasFilters) {
    status.textContent = "Nhập từ khóa hoặc chọn bộ lọc để tìm tin bài.";
    showCounts(null);
    list.setAttribute("aria-busy", "false");
    return;
  }
  list.setAttribute("aria-busy", "true");
  status.textContent = "Đang tìm…";
  let search;
  try {
    const pf = await engine();
    const sort = SORTS[sortSelect.value] || (query ? undefined : SORTS["moi-nhat"]);
    search = await pf.search(query || null, { filters, ...(sort ? { sort } : {}) });
  } catch (err) {
    console.error(err);
    search = null;
  }
  if (token !== generation) return;
  if (!search) {
    status.textContent = "Không tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.";
    list.setAttribute("aria-busy", "false");
    return;
  }
  results = search.results;
  shown = 0;
  ({ terms, phrases } = parseQuery(query));
  const n = results.length.toLocaleString("vi-VN");
  status.textContent = results.length === 0
    ? (query ? `Không tìm thấy kết quả nào cho “${query}”. Thử bớt từ khóa hoặc bỏ bớt bộ lọc.`
             : "Không có tin bài nào khớp với bộ lọc.")
    : (query ? `Tìm thấy ${n} kết quả cho “${query}”.` : `${n} tin bài khớp với bộ lọc.`);
  showCounts(search.filters);
  await showMore(token);
}

async function showMore(token) {
  const page = results.slice(shown, shown + PAGE_SIZE);
  shown += page.length;
  more.hidden = true;
  list.setAttribute("aria-busy", "true");
  let data = [];
  try {
    data = await Promise.all(page.map((r) => r.data()));
  } catch (err) {
    console.error(err);
  }
  if (token !== generation) return;
  for (const d of data) list.append(item(d));
  more.hidden = shown >= results.length;
  list.setAttribute("aria-busy", "false");
}

function item(d) {
  const li = document.createElement("li");
  li.className = "bt-result";
  const h = document.createElement("h2");
  h.className = "bt-result__title";
  const a = document.createElement("a");
  a.href = d.url;
  a.textContent = d.meta.title || d.url;
  h.append(a);
  const meta = document.createElement("p");
  meta.className = "bt-result__meta";
  meta.textContent = [d.meta.date, d.meta.category, d.meta.unit].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "bt-result__excerpt";
  excerpt.innerHTML = d.excerpt; // Pagefind escapes the page text and adds only <mark>
  markFolded(excerpt);
  li.append(h, meta, excerpt);
  return li;
}

// Marks every word of the excerpt that the query matches, folded as the index folds it, so that
// "dang uy" marks "Đảng ủy" too (Pagefind only marks what it matched in the text itself).
// Loose words match as prefixes, as Pagefind matches them; a quoted phrase matches whole.
function parseQuery(query) {
  const phrases = [];
  const rest = query.replace(/"([^"]*)"?/g, (_, p) => { const w = words(p); if (w.length) phrases.push(w); return " "; });
  return { terms: words(rest), phrases };
}

function markFolded(el) {
  if (!terms.length && !phrases.length) return;
  const parts = el.textContent.split(/([\p{L}\p{N}\p{M}]+)/u); // odd indices are words
  const folded = parts.filter((_, i) => i % 2).map(fold);
  const on = new Set();
  folded.forEach((f, n) => { if (terms.some((t) => f.startsWith(t))) on.add(n); });
  for (const p of phrases) {
    for (let n = 0; n + p.length <= folded.length; n++) {
      if (p.every((w, k) => (k === p.length - 1 ? folded[n + k].startsWith(w) : folded[n + k] === w))) {
        for (let k = 0; k < p.length; k++) on.add(n + k);
      }
    }
  }
  if (!on.size) return; // matched in metadata only: keep Pagefind's excerpt as it is
  const frag = document.createDocumentFragment();
  parts.forEach((w, i) => {
    if (i % 2 && on.has((i - 1) / 2)) {
      const m = document.createElement("mark");
      m.textContent = w;
      frag.append(m);
    } else if (w) frag.append(w);
  });
  el.replaceChildren(frag);
}

// Counts next to each filter value, for the current results; a filter already chosen keeps its plain labels.
function showCounts(counts) {
  for (const s of selects) {
    const own = counts && !s.value ? counts[s.dataset.filter] || {} : null;
    for (const o of s.options) {
      if (!o.value) continue;
      const n = own ? own[o.value] || 0 : null;
      o.textContent = n === null ? o.dataset.label : `${o.dataset.label} (${n})`;
    }
  }
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  writeAddress(true);
  run();
});
form.addEventListener("change", (ev) => {
  if (ev.target.tagName !== "SELECT") return;
  writeAddress(true);
  run();
});
const reset = form.querySelector(".bt-search__reset");
reset.hidden = false;
reset.addEventListener("click", () => {
  for (const s of [...selects, sortSelect]) s.value = "";
  writeAddress(true);
  run();
});
more.addEventListener("click", () => showMore(generation));
window.addEventListener("popstate", () => { readAddress(); run(); });
input.addEventListener("focus", () => { engine().catch(() => {}); }, { once: true });

readAddress();
// Filters are folded away on a phone, where they would push the results off the screen.
if (matchMedia("(min-width: 45em)").matches) options.open = true;
if (!input.value) input.focus();
run();
