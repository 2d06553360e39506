// The search page (/tim-kiem/): asks Pagefind's API, renders results with Vietnamese labels,
// and keeps the query, filters and sort in the address so that a search can be shared.
// The index comes in parts (a year each, and other portals' indexes): the first bundle is
// loaded, the others merged into it (Pagefind's mergeIndex), and each is tagged with a
// filter of its own, so that results sorted by date can be taken from each part in its order.
// Parts marked `later` (the older years of a large portal) are merged only when the reader asks
// for them: the archive button, a year they do not cover, or the oldest first.
const PAGE_SIZE = 10;
const TYPING_MS = 250;     // results as the reader types, once they pause this long
const SORTS = { "moi-nhat": { date: "desc" }, "cu-nhat": { date: "asc" } };
const PART = "bantin_part";
const WHEN = "when";       // the date and time a result is sorted by (metadata of each bulletin)

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

const site = new URL(root.dataset.root || "./", location.href);
const bundles = JSON.parse(root.dataset.bundles || "[]")
  .map((b) => ({ ...b, url: new URL(b.path, site), options: b.options || {} }));
const first = bundles.filter((b) => !b.later);
let older = bundles.filter((b) => b.later);
const archive = root.querySelector(".bt-search__archive");
let pagefind = null;
let source = null;
let terms = [];
let phrases = [];
let generation = 0;

// Lower case without marks, "đ" read as "d": how people type on phones.
const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
const words = (s) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

const ranking = { metaWeights: JSON.parse(root.dataset.metaWeights || "{}") };
const settings = (b) => ({
  baseUrl: site.pathname, ranking, ...b.options,
  mergeFilter: { ...(b.options.mergeFilter || {}), [PART]: String(bundles.indexOf(b)) },
});

// Loaded once, on first focus or first search; a failed load is tried again next time.
function engine() {
  pagefind ||= (async () => {
    if (!first.length) throw new Error("no search index on this site");
    const pf = await import(new URL("pagefind.js", first[0].url).href);
    await pf.options(settings(first[0]));
    await Promise.all(first.slice(1).map((b) => pf.mergeIndex(b.url.href, settings(b))));
    await pf.filters(); // every filter's data: a search counts its results per filter value from it
    return pf;
  })().catch((err) => { pagefind = null; throw err; });
  return pagefind;
}

// The older parts merged in, once (a failed merge is tried again next time).
let widening = null;
function widen(pf) {
  widening ||= (async () => {
    const adding = older;
    await Promise.all(adding.map((b) => pf.mergeIndex(b.url.href, settings(b))));
    older = [];
    await pf.filters();
  })().catch((err) => { widening = null; throw err; });
  return widening;
}

// "5/2024" for "2024-05".
const month = (ym) => ym.split("-").reverse().map(Number).join("/");
// The search needs the older parts: the oldest first, or a year that one of them holds.
const needsOlder = (filters) => older.length > 0 && (sortSelect.value === "cu-nhat"
  || (filters.year && older.some((b) => !b.oldest || (b.oldest <= `${filters.year}-12` && b.newest >= `${filters.year}-01`))));

function showArchive() {
  archive.hidden = !older.length;
  if (older.length) {
    const n = older.reduce((sum, b) => sum + (b.records || 0), 0).toLocaleString("vi-VN");
    const upto = older.map((b) => b.newest).filter(Boolean).sort().pop();
    archive.textContent = `Tìm cả trong ${n} tin cũ hơn` + (upto ? ` (đến tháng ${month(upto)})` : "");
  }
}

// Results in the order of relevance: first those holding every word of the query as a word of
// their own ("tri" is not "triển"), among them those holding the longest run of its words as a
// phrase; within each group, Pagefind's order (which weighs the title above the text).
async function ranked(pf, query, filters, all) {
  let results = all.results;
  const typed = query.includes('"') ? [] : query.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (typed.length > 1 && results.length > 1) {
    const exact = async (phrase) => new Set((await pf.search(`"${phrase}"`, { filters })).results.map((r) => r.id));
    const each = await Promise.all(typed.map(exact));
    const run = new Map();
    for (let len = typed.length; len >= 2 && run.size < results.length; len--) {
      const runs = typed.slice(0, typed.length - len + 1).map((_, i) => typed.slice(i, i + len).join(" "));
      for (const ids of await Promise.all(runs.map(exact))) for (const id of ids) if (!run.has(id)) run.set(id, len);
    }
    const key = (r) => (each.every((ids) => ids.has(r.id)) ? 100 : 0) + (run.get(r.id) || 0);
    results = results.map((r, n) => ({ r, n, k: key(r) })).sort((a, b) => b.k - a.k || a.n - b.n).map((x) => x.r);
  }
  let next = 0;
  return {
    take(n) {
      const page = results.slice(next, next + n);
      next += page.length;
      return Promise.all(page.map((r) => r.data()));
    },
    done: () => next >= results.length,
  };
}

// Results by date: each part sorted by Pagefind, then merged by the date of their heads
// (Pagefind orders merged results by score only).  Only the heads' data is loaded.
async function dated(pf, term, filters, sort, all) {
  const counts = all.filters[PART] || {};
  const lists = await Promise.all(Object.keys(counts).filter((p) => counts[p] > 0)
    .map((p) => pf.search(term, { filters: { ...filters, [PART]: p }, sort }).then((s) => s.results)));
  const heads = lists.map((results) => ({ results, next: 0, data: null }));
  const later = sort.date === "desc" ? (a, b) => a > b : (a, b) => a < b;
  const when = (h) => h.data.meta[WHEN] || "";
  return {
    async take(n) {
      const out = [];
      while (out.length < n) {
        const live = heads.filter((h) => h.next < h.results.length);
        if (!live.length) break;
        await Promise.all(live.map(async (h) => { h.data ||= await h.results[h.next].data(); }));
        const best = live.reduce((a, h) => (later(when(h), when(a)) ? h : a));
        out.push(best.data);
        best.next += 1;
        best.data = null;
      }
      return out;
    },
    done: () => heads.every((h) => h.next >= h.results.length),
  };
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
    archive.hidden = true;
    showCounts(null);
    list.setAttribute("aria-busy", "false");
    return;
  }
  list.setAttribute("aria-busy", "true");
  status.textContent = "Đang tìm…";
  let search;
  try {
    const pf = await engine();
    if (needsOlder(filters)) await widen(pf);
    const sort = SORTS[sortSelect.value] || (query ? undefined : SORTS["moi-nhat"]);
    search = await pf.search(query || null, { filters });
    const found = sort ? await dated(pf, query || null, filters, sort, search) : await ranked(pf, query, filters, search);
    if (token === generation) source = found;
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
  const total = search.results.length;
  ({ terms, phrases } = parseQuery(query));
  const n = total.toLocaleString("vi-VN");
  status.textContent = total === 0
    ? (query ? `Không tìm thấy kết quả nào cho “${query}”. Thử bớt từ khóa hoặc bỏ bớt bộ lọc.`
             : "Không có tin bài nào khớp với bộ lọc.")
    : (query ? `Tìm thấy ${n} kết quả cho “${query}”.` : `${n} tin bài khớp với bộ lọc.`);
  if (older.length) status.textContent += " Đã tìm trong các tin mới nhất.";
  showArchive();
  showCounts(search.filters);
  await showMore(token);
}

async function showMore(token) {
  more.hidden = true;
  list.setAttribute("aria-busy", "true");
  let data = [];
  try {
    data = await source.take(PAGE_SIZE);
  } catch (err) {
    console.error(err);
  }
  if (token !== generation) return;
  for (const d of data) list.append(item(d));
  more.hidden = source.done();
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
  clearTimeout(typing);
  writeAddress(true);
  run();
});
// Results as the reader types, once they pause; the address follows without a new history entry.
let typing = 0;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => { writeAddress(false); run(); }, TYPING_MS);
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
archive.addEventListener("click", async () => {
  archive.hidden = true;
  try {
    await widen(await engine());
  } catch (err) {
    console.error(err);
  }
  run();
});
window.addEventListener("popstate", () => { readAddress(); run(); });
input.addEventListener("focus", () => { engine().catch(() => {}); }, { once: true });

readAddress();
// Filters are folded away on a phone, where they would push the results off the screen.
if (matchMedia("(min-width: 45em)").matches) options.open = true;
if (!input.value) input.focus();
run();
