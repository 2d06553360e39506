/* Bantin's part of the web editor: what Decap CMS does not know about Bantin.
 *
 * - the Vietnamese interface, completed where Decap's own translation stops;
 * - the address of a new bulletin, made from its title as `bantin` makes it
 *   (generator/vietnamese.py: "Đảng ủy" -> "dang-uy") and written into it, and a
 *   save refused when another bulletin already has that address (bantin.json,
 *   written by the build);
 * - photos in the text as Bantin's captioned figure: ![alt](/media/2024/a.jpg "caption")
 *   alone in its paragraph, reduced in the browser before they are uploaded;
 * - the preview, in the portal's own stylesheet, with the meeting card, the
 *   opinion block and the figures as readers see them;
 * - no empty blocks saved (an untouched meeting block would make a news item a meeting).
 */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;

  // ------------------------------------------------------------------ interface

  var VI = {
    auth: { loginWithAzure: "Đăng nhập bằng Azure", loginWithForgejo: "Đăng nhập bằng Forgejo" },
    collection: {
      collectionTop: { viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới", groupBy: "Nhóm theo",
                       viewAs: "Xem dạng", newButton: "Thêm %{collectionLabel}" },
      entries: { unpublishedHeader: "Bài chưa đăng" },
      groups: { other: "Khác", negateLabel: "Không %{label}" }
    },
    editor: {
      editorControl: { field: { widgetLabel: "Trường %{widgetLabel}" } },
      editorControlPane: { i18n: { writingInLocale: "Đang viết bằng %{locale}",
                                   copyFromLocale: "Điền từ ngôn ngữ khác",
                                   copyFromLocaleConfirm: "Điền dữ liệu từ ngôn ngữ %{locale}?\nMọi nội dung đang có sẽ bị ghi đè." } },
      editorInterface: { toggleI18n: "Bật/tắt đa ngôn ngữ", togglePreview: "Bật/tắt xem trước",
                         toggleScrollSync: "Cuộn đồng thời", toggleNotes: "Bật/tắt ghi chú" },
      editorNotesPane: { title: "Ghi chú", emptyState: "Chưa có ghi chú. Viết ghi chú đầu tiên ở dưới để trao đổi với người duyệt.",
                         addNote: "Thêm ghi chú", addPlaceholder: "Viết ghi chú...", editPlaceholder: "Sửa ghi chú...",
                         save: "Lưu", cancel: "Hủy", edit: "Sửa", "delete": "Xóa", resolve: "Đã xong", unresolve: "Mở lại",
                         confirmDelete: "Xóa ghi chú này?", shortcut: "Mẹo: bấm Ctrl+Enter để thêm ghi chú nhanh" },
      editorToolbar: { statusInfoTooltipDraft: "Bài đang là bản nháp. Viết xong, chuyển sang «Đang xét duyệt» để gửi người duyệt.",
                       statusInfoTooltipInReview: "Bài đang chờ duyệt, không cần làm gì thêm; vẫn có thể sửa trong lúc chờ." },
      editorWidgets: {
        markdown: { bold: "Đậm", italic: "Nghiêng", strikethrough: "Gạch ngang", code: "Mã", link: "Liên kết",
                    linkPrompt: "Nhập địa chỉ của liên kết", headings: "Tiêu đề mục", quote: "Trích dẫn",
                    bulletedList: "Danh sách gạch đầu dòng", numberedList: "Danh sách đánh số",
                    addComponent: "Chèn ảnh, thành phần", markdown: "Mã Markdown",
                    toggleMode: { rich: "Chuyển sang soạn thảo thường", markdown: "Chuyển sang mã Markdown" } },
        image: { chooseMultiple: "Chọn ảnh", chooseUrl: "Chèn từ địa chỉ", replaceUrl: "Thay bằng địa chỉ",
                 promptUrl: "Nhập địa chỉ của ảnh", addMore: "Thêm ảnh", removeAll: "Bỏ tất cả ảnh" },
        file: { chooseUrl: "Chèn từ địa chỉ", chooseMultiple: "Chọn tệp", replaceUrl: "Thay bằng địa chỉ",
                promptUrl: "Nhập địa chỉ của tệp", addMore: "Thêm tệp", removeAll: "Bỏ tất cả tệp" },
        datetime: { setToNow: "Đặt %{fieldLabel} là bây giờ" },
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        object: { expand: "Mở ra", collapse: "Thu gọn" }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: { copy: "Sao chép", copyUrl: "Chép địa chỉ", copyPath: "Chép đường dẫn",
                          copyName: "Chép tên", copied: "Đã chép" },
      mediaLibraryModal: { close: "Đóng" }
    },
    ui: {
      settingsDropdown: { account: "Tài khoản" },
      toast: { noteAdded: "Đã thêm ghi chú", onFailToAddNote: "Không thêm được ghi chú: %{details}",
               noteUpdated: "Đã sửa ghi chú", onFailToUpdateNote: "Không sửa được ghi chú: %{details}",
               noteDeleted: "Đã xóa ghi chú", onFailToDeleteNote: "Không xóa được ghi chú: %{details}",
               noteResolved: "Ghi chú đã xong", noteReopened: "Đã mở lại ghi chú",
               onFailToToggleNote: "Không đổi được ghi chú: %{details}",
               onFailToPersist: "Không lưu được: %{details}", entrySaved: "Đã lưu bài",
               entryPublished: "Đã đăng bài" }
    },
    workflow: { workflowCard: { lastChangeNoAuthor: "Sửa lần cuối %{date}" } }
  };

  function merged(base, extra) {
    var out = {}, key;
    for (key in base) out[key] = base[key];
    for (key in extra) {
      out[key] = extra[key] && typeof extra[key] === "object" && base && typeof base[key] === "object"
        ? merged(base[key], extra[key]) : extra[key];
    }
    return out;
  }
  CMS.registerLocale("vi", merged(CMS.getLocale("vi") || {}, VI));

  // ------------------------------------------------------------------ addresses

  /* Bantin's slug (python-slugify over đ-folded NFC text, 80 characters cut at a word). */
  var MAX_SLUG = 80;
  function truncate(text, max) {
    if (text.length < max) return text;
    if (text.indexOf("-") < 0) return text.slice(0, max);
    var out = "", words = text.split("-");
    for (var i = 0; i < words.length; i++) {
      if (!words[i]) continue;
      var next = out.length + words[i].length;
      if (next < max) out += words[i] + "-";
      else if (next === max) { out += words[i]; break; }
    }
    if (!out) out = text.slice(0, max);
    return out.replace(/^-+|-+$/g, "");
  }
  function slugify(text) {
    var folded = String(text || "").normalize("NFC").replace(/đ/g, "d").replace(/Đ/g, "D")
      .replace(/'+/g, "-").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/(\d),(?=\d)/g, "$1").replace(/[^-a-z0-9]+/g, "-").replace(/-{2,}/g, "-")
      .replace(/^-+|-+$/g, "");
    return truncate(folded, MAX_SLUG);
  }
  window.bantinSlugify = slugify;

  var known = {};   // "/2024/05/slug/" -> "content/bulletins/2024/slug.md"

  function address(data) {
    var m = /^(\d{4})-(\d{1,2})/.exec(String(data.get("date") || ""));
    var slug = data.get("slug") || slugify(data.get("title"));
    if (!m || !slug) return null;
    return "/" + m[1] + "/" + (m[2].length < 2 ? "0" + m[2] : m[2]) + "/" + slug + "/";
  }

  /* The reason a bulletin cannot be saved under its address, or null. */
  function taken(entry, data) {
    var url = address(data), owner = url && known[url], path = entry.get("path") || "";
    if (!owner || (path && path.slice(-owner.length) === owner)) return null;
    return "Địa chỉ " + url + " đã là của bài " + owner + ". Đổi tiêu đề, hoặc ghi đường dẫn khác.";
  }

  // ------------------------------------------------------------------ photos in the text

  var FIGURE = /^!\[([^\]]*)\]\((\S+?)(?:\s+"(.*)")?\)$/;
  CMS.registerEditorComponent({
    id: "bantin-figure",
    label: "Ảnh có chú thích",
    fields: [
      { name: "image", label: "Ảnh", widget: "image", required: true,
        hint: "Ảnh lớn được thu nhỏ (cạnh dài tối đa 1.600 điểm ảnh) trước khi lưu." },
      { name: "alt", label: "Mô tả ảnh", widget: "string", required: true,
        hint: "Ảnh có gì, cho người không xem được ảnh, ví dụ: Đồng chí Bí thư phát biểu." },
      { name: "caption", label: "Chú thích", widget: "string", required: false,
        hint: "Dòng chữ hiện dưới ảnh." }
    ],
    pattern: FIGURE,
    fromBlock: function (m) { return { image: m[2], alt: m[1], caption: m[3] || "" }; },
    toBlock: function (d) {
      var alt = String(d.alt || "").replace(/[\[\]]/g, ""), caption = String(d.caption || "").replace(/"/g, "”");
      return "![" + alt + "](" + (d.image || "") + (caption ? ' "' + caption + '"' : "") + ")";
    },
    toPreview: function (d, getAsset) {
      var src = d.image && getAsset ? String(getAsset(d.image)) : d.image;
      return h("figure", {}, h("img", { src: src, alt: d.alt }), d.caption ? h("figcaption", {}, d.caption) : null);
    }
  });

  // ------------------------------------------------------------------ photos reduced before upload

  /* A phone's photo is brought down to a long side of 1,600 px in the browser, in its own format,
     upright and without EXIF, before Decap reads it: so with every backend, not only the local one
     (whose proxy reduces what still comes too large). */
  var LONG_SIDE = 1600;
  function reduceFile(file) {
    if (!/^image\/(jpeg|webp|png)$/.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = LONG_SIDE / Math.max(bitmap.width, bitmap.height);
      if (scale >= 1) { bitmap.close(); return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob && blob.type === file.type ? new File([blob], file.name, { type: file.type }) : file);
        }, file.type, 0.8);
      });
    }).catch(function () { return file; });
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file" || input.bantinReduced || !input.files || !input.files.length) return;
    event.stopImmediatePropagation();   // Decap sees the event again once the photos are reduced
    Promise.all(Array.prototype.map.call(input.files, reduceFile)).then(function (files) {
      var transfer = new DataTransfer();
      files.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      input.bantinReduced = true;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.bantinReduced = false;
    });
  }, true);

  // ------------------------------------------------------------------ saving

  function empty(value) {
    if (value === null || value === undefined || value === "") return true;
    if (value && typeof value.size === "number" && typeof value.filter === "function") return value.size === 0;
    return false;
  }
  /* Empty strings, lists and blocks out, recursively: the model reads a missing field as its default. */
  function pruned(value) {
    if (value && typeof value.filter === "function" && typeof value.map === "function" && value.toJS) {
      var isList = typeof value.push === "function";
      var out = value.map(pruned);
      return isList ? out.filter(function (v) { return !empty(v); }) : out.filter(function (v) { return !empty(v); });
    }
    return value;
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      var entry = args.entry, data = entry.get("data");
      if (entry.get("collection") !== "bulletins") return data;
      data = pruned(data);
      // A new bulletin keeps the address its title gives it now, whatever the title becomes.
      if (entry.get("newRecord") && !data.get("slug")) data = data.set("slug", slugify(data.get("title")));
      var problem = taken(entry, data);
      if (problem) throw new Error(problem);
      return data;
    }
  });

  // ------------------------------------------------------------------ site data

  /* units.yml, categories.yml and topics.yml are lists; Decap's forms edit a mapping. Quoting as
     js-yaml does keeps values that YAML 1.1 would misread ('yes', '14:15') text for PyYAML. */
  function dump(value) { return window.jsyaml.dump(value, { lineWidth: -1, noRefs: true }); }
  CMS.registerCustomFormat("bantin-list", "yml", {
    fromFile: function (text) { return { items: window.jsyaml.load(text) || [] }; },
    toFile: function (data) { return dump(data.items || []); }
  });

  /* Bulletins: front matter between --- lines, then the text, split as generator/content/reader.py
     splits it. Decap's own writer leaves 'yes', 'on' or '14:15' unquoted, which PyYAML reads as
     true or 855; js-yaml quotes them. Keys follow the form's order (bantin.json), so that a new
     bulletin reads like one written by `bantin new`. */
  var order = {};
  function ordered(value, path) {
    if (Array.isArray(value)) return value.map(function (v) { return ordered(v, path); });
    if (!value || typeof value !== "object") return value;
    var known = order[path] || [], out = {};
    Object.keys(value).sort(function (a, b) {
      var i = known.indexOf(a), j = known.indexOf(b);
      return (i < 0 ? known.length : i) - (j < 0 ? known.length : j);
    }).forEach(function (key) { out[key] = ordered(value[key], path ? path + "." + key : key); });
    return out;
  }
  CMS.registerCustomFormat("bantin-front-matter", "md", {
    fromFile: function (text) {
      var m = /^---\n([\s\S]*?\n)?(?:---|\.\.\.)(?:\n([\s\S]*))?$/.exec(text.replace(/\r\n?/g, "\n"));
      if (!m) return { body: text };
      var data = window.jsyaml.load(m[1] || "") || {};
      data.body = m[2] || "";
      return data;
    },
    toFile: function (data) {
      var meta = {}, key;
      for (key in data) if (key !== "body") meta[key] = data[key];
      return "---\n" + dump(ordered(meta, "")) + "---\n" + (data.body || "");
    }
  });

  // ------------------------------------------------------------------ preview

  var STATUS = { pending: "Chưa trả lời", "in-progress": "Đang xử lý", answered: "Đã trả lời" };
  var WEEKDAYS = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];

  function parts(text) {
    var m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?/.exec(String(text || ""));
    if (!m) return null;
    var two = function (n) { return (n.length < 2 ? "0" : "") + n; };
    var d = new Date(+m[1], +m[2] - 1, +m[3]);
    return { day: two(m[3]) + "/" + two(m[2]) + "/" + m[1], clock: two(m[4] || "0") + ":" + (m[5] || "00"),
             weekday: WEEKDAYS[d.getDay()] };
  }
  /* As vietnamese.period: '2021-11' -> 'tháng 11/2021', '2022-Q2' -> 'quý II/2022', '2022' -> 'năm 2022'. */
  function period(value) {
    var m = /^(\d{4})(?:-(?:(\d{2})|Q([1-4])))?$/.exec(String(value));
    if (!m) return String(value);
    return m[2] ? "tháng " + (+m[2]) + "/" + m[1] : m[3] ? "quý " + ["I", "II", "III", "IV"][m[3] - 1] + "/" + m[1] : "năm " + m[1];
  }
  function list(value) { return value && value.toJS ? value.toJS() : (value || []); }
  function people(items) {
    var found = list(items);
    return found.length ? h("ul", { className: "bt-people" }, found.map(function (p, i) {
      return h("li", { key: i }, h("span", { className: "bt-person" }, p.name), p.role ? " – " + p.role : "");
    })) : null;
  }
  function row(label, value) { return value ? [h("dt", { key: label + "t" }, label), h("dd", { key: label + "d" }, value)] : []; }

  function meetingCard(mt) {
    if (!mt || !mt.size) return null;
    var start = parts(mt.get("start")), end = parts(mt.get("end"));
    var when = start ? start.clock + ", " + start.weekday + " " + start.day +
      (end ? " – " + end.clock + (end.day !== start.day ? " " + end.day : "") : "") : null;
    var docs = list(mt.get("documents")), conclusions = list(mt.get("conclusions"));
    var format = String(mt.get("format") || "hội nghị");
    return h("section", { className: "bt-box bt-meeting" },
      h("h2", {}, format.charAt(0).toUpperCase() + format.slice(1)),
      h("dl", {},
        row("Thời gian", when), row("Địa điểm", mt.get("location")), row("Chủ trì", people(mt.get("chairs"))),
        row("Khách mời, dự chỉ đạo", people(mt.get("guests"))), row("Thành phần", mt.get("participants")),
        row("Ý kiến phát biểu", mt.get("contributions") !== undefined && mt.get("contributions") !== "" ? mt.get("contributions") + " ý kiến" : null),
        row("Văn bản", docs.length ? h("ul", { className: "bt-docs" }, docs.map(function (d, i) {
          var day = parts(d.date);
          return h("li", { className: "bt-doc", key: i }, h("span", { className: "bt-doc__number" }, d.number),
            day ? ", ngày " + day.day : "", d.title ? ": " + d.title : "");
        })) : null),
        row("Kết luận", conclusions.length ? h("ol", { className: "bt-conclusions" },
          conclusions.map(function (c, i) { return h("li", { key: i }, c); })) : null)));
  }

  function opinionBlock(op) {
    if (!op || !op.size) return null;
    var concerns = list(op.get("concerns")), recs = list(op.get("recommendations"));
    return h("section", { className: "bt-box bt-opinion" },
      h("h2", {}, "Tổng hợp dư luận xã hội" + (op.get("period") ? " " + period(op.get("period")) : "")),
      concerns.length ? h("h3", {}, "Vấn đề dư luận quan tâm") : null,
      concerns.length ? h("ol", { className: "bt-concerns" }, concerns.map(function (c, i) {
        var status = (c.response && c.response.status) || "pending";
        return h("li", { className: "bt-concern", key: i },
          h("p", { className: "bt-concern__title" }, h("strong", {}, c.title), " ",
            h("span", { className: "bt-status bt-status--" + status }, STATUS[status] || status)),
          c.summary ? h("p", {}, c.summary) : null);
      })) : null,
      recs.length ? h("h3", {}, "Kiến nghị, đề xuất") : null,
      recs.length ? h("ul", {}, recs.map(function (r, i) { return h("li", { key: i }, r); })) : null);
  }

  /* The body as Decap renders it, with each lone titled photo made Bantin's figure. */
  function figures(root) {
    Array.prototype.forEach.call(root.querySelectorAll("img[title]"), function (img) {
      var p = img.parentNode, alone = p.tagName === "P" && p.childNodes.length === 1;
      if (p.tagName === "P" && !alone || p.tagName === "FIGURE" || p.tagName === "A") return;
      var figure = document.createElement("figure"), caption = document.createElement("figcaption");
      caption.textContent = img.getAttribute("title");
      img.removeAttribute("title");
      (alone ? p.parentNode : p).replaceChild(figure, alone ? p : img);
      figure.appendChild(img);
      figure.appendChild(caption);
    });
  }

  var BulletinPreview = createClass({
    componentDidMount: function () { this.watch(); },
    componentWillUnmount: function () { if (this.observer) this.observer.disconnect(); },
    watch: function () {
      var body = this.body;
      if (!body) return;
      figures(body);
      this.observer = new MutationObserver(function () { figures(body); });
      this.observer.observe(body, { childList: true, subtree: true });
    },
    render: function () {
      var self = this, entry = this.props.entry, data = entry.get("data");
      var date = parts(data.get("date")), image = data.get("image");
      return h("div", { className: "md-typeset bt-page" }, h("article", { className: "bt-article", lang: "vi" },
        h("h1", { className: "bt-title" }, data.get("title") || ""),
        date ? h("p", { className: "bt-meta" }, "Ngày đăng " + date.day + " | " + date.clock) : null,
        data.get("summary") ? h("p", { className: "bt-lead" }, data.get("summary")) : null,
        image ? h("figure", { className: "bt-cover" },
          h("img", { src: this.props.getAsset(image).toString(), alt: data.get("caption") || data.get("title") }),
          data.get("caption") ? h("figcaption", {}, data.get("caption")) : null) : null,
        meetingCard(data.get("meeting")),
        opinionBlock(data.get("opinion")),
        h("div", { className: "bt-body" + (data.get("summary") ? "" : " bt-body--lead"),
                   ref: function (el) { self.body = el; } }, this.props.widgetFor("body")),
        data.get("author") || data.get("source") ? h("footer", { className: "bt-byline" },
          data.get("author") ? h("p", { className: "bt-author" }, data.get("author")) : null,
          data.get("source") ? h("p", { className: "bt-source" }, "(Nguồn: " + data.get("source") + ")") : null) : null));
    }
  });
  CMS.registerPreviewStyle("../assets/bantin.css");
  CMS.registerPreviewTemplate("bulletins", BulletinPreview);

  // ------------------------------------------------------------------ start

  fetch("bantin.json", { cache: "no-store" })
    .then(function (r) { return r.ok ? r.json() : {}; })
    .catch(function () { return {}; })
    .then(function (found) {
      known = (found && found.addresses) || {};
      order = (found && found.order) || {};
      CMS.init();
    });
})();
