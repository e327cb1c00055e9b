// copydesk HTML report: inlined into the page. Article text only ever reaches the DOM
// through textContent (never innerHTML), so nothing in an article can become markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("copydesk-data").textContent);
  var byId = {};
  data.findings.forEach(function (f) { byId[f.id] = f; });
  var entities = {};
  data.entities.forEach(function (x) { entities[x.id] = x; });
  var detail = document.getElementById("detail");
  var tip = document.getElementById("tip");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function ids(node, attr) {
    var value = node.getAttribute(attr);
    return value ? value.split(" ") : [];
  }
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function marksOf(id) { return all('mark[data-f~="' + id + '"]'); }
  function clearLinks() {
    all("mark.active").forEach(function (m) { m.classList.remove("active"); });
    all("mark.linked").forEach(function (m) { m.classList.remove("linked"); });
    all("li.selected").forEach(function (m) { m.classList.remove("selected"); });
  }
  function flash(node) {
    if (!node) return;
    node.scrollIntoView({ block: "center" });
    node.classList.remove("flash");
    void node.offsetWidth;
    node.classList.add("flash");
  }

  function card(f) {
    var box = el("div", "card cat-" + f.category);
    var head = el("div");
    var rule = data.rules[f.rule] || {};
    if (rule.link) {
      var a = el("a", "rule", f.rule);
      a.href = rule.link;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      head.appendChild(a);
    } else {
      head.appendChild(el("span", "rule", f.rule));
    }
    box.appendChild(head);
    box.appendChild(el("p", "message", f.message));
    var dl = el("dl");
    function row(name, value, cls) {
      if (value === null || value === undefined || value === "") return;
      dl.appendChild(el("dt", null, name));
      var dd = el("dd", cls || null);
      if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
      dl.appendChild(dd);
    }
    row("text", f.text, "flagged");
    row("suggestion", f.suggestion, "suggestion");
    row("severity", f.severity, "severity");
    row("category", f.category, "category");
    row("confidence", f.confidence, "confidence");
    row("where", (data.files.length > 1 ? data.files[f.file].path + ":" : "line ") + f.line + ":" + f.column);
    if (f.related.length) {
      var list = el("ul", "related");
      f.related.forEach(function (r, k) {
        var li = el("li");
        var button = el("button", null, "line " + r.line + ": \u2018" + r.text + "\u2019");
        button.type = "button";
        button.addEventListener("click", function (event) {
          event.stopPropagation();
          flash(document.querySelector('mark[data-r~="' + f.id + ":" + k + '"]'));
        });
        li.appendChild(button);
        if (r.message) li.appendChild(el("span", "note", " " + r.message));
        list.appendChild(li);
      });
      row("related", list);
    }
    Object.keys(f.data || {}).forEach(function (key) { row(key, f.data[key]); });
    if (rule.description) row("why", rule.description, "why");
    box.appendChild(dl);
    return box;
  }

  function select(list, scroll) {
    clearLinks();
    detail.textContent = "";
    if (!list.length) { detail.hidden = true; return; }
    var close = el("button", "close", "\u00d7");
    close.type = "button";
    close.title = "close";
    close.addEventListener("click", function () { select([]); });
    detail.appendChild(close);
    list.forEach(function (id) {
      var f = byId[id];
      if (!f) return;
      detail.appendChild(card(f));
      marksOf(id).forEach(function (m) { m.classList.add("active"); });
      f.related.forEach(function (_, k) {
        all('mark[data-r~="' + id + ":" + k + '"]').forEach(function (m) { m.classList.add("linked"); });
      });
      all('li.item[data-f="' + id + '"]').forEach(function (li) { li.classList.add("selected"); });
    });
    detail.className = "cat-" + byId[list[0]].category;
    detail.hidden = false;
    if (scroll) flash(marksOf(list[0])[0]);
  }

  // Clicking (or Enter on) a highlight shows its findings in the panel.
  all("mark.hl").forEach(function (m) {
    m.addEventListener("click", function () { select(ids(m, "data-f"), false); });
    m.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(ids(m, "data-f"), false); }
    });
    m.addEventListener("mouseenter", function () {
      if (m.classList.contains("off")) return;
      tip.textContent = "";
      ids(m, "data-f").forEach(function (id) {
        var f = byId[id];
        var line = el("div");
        line.appendChild(el("span", "rule", f.rule + " \u00b7 " + f.severity + " \u00b7 confidence " + f.confidence));
        line.appendChild(document.createTextNode(f.message));
        if (f.suggestion) line.appendChild(el("div", "suggestion", "suggestion: " + f.suggestion));
        tip.appendChild(line);
      });
      var box = m.getBoundingClientRect();
      tip.hidden = false;
      tip.style.left = Math.max(8, box.left + window.scrollX) + "px";
      tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    });
    m.addEventListener("mouseleave", function () { tip.hidden = true; });
  });

  all("li.item").forEach(function (li) {
    li.querySelector("button").addEventListener("click", function () { select([li.getAttribute("data-f")], true); });
  });

  all("li.entity").forEach(function (li) {
    li.querySelector("button").addEventListener("click", function () {
      clearLinks();
      var marks = all('mark[data-e~="' + li.getAttribute("data-e") + '"]');
      marks.forEach(function (m) { m.classList.add("linked"); });
      li.classList.add("selected");
      flash(marks[0]);
    });
  });

  // Filters: a highlight is shown while one of its findings passes both filters.
  function applyFilters() {
    var cats = {}, sevs = {};
    all("input.filter-cat").forEach(function (i) { cats[i.value] = i.checked; });
    all("input.filter-sev").forEach(function (i) { sevs[i.value] = i.checked; });
    function visible(id) { var f = byId[id]; return cats[f.category] !== false && sevs[f.severity] !== false; }
    all("mark.hl").forEach(function (m) { m.classList.toggle("off", !ids(m, "data-f").some(visible)); });
    var shown = 0;
    all("li.item").forEach(function (li) {
      var on = visible(li.getAttribute("data-f"));
      li.hidden = !on;
      if (on) shown += 1;
    });
    all("li.group").forEach(function (g) { g.hidden = !g.querySelector("li.item:not([hidden])"); });
    document.getElementById("shown-count").textContent = String(shown);
  }
  all("input.filter-cat, input.filter-sev").forEach(function (i) { i.addEventListener("change", applyFilters); });

  window.copydeskReport = { select: function (id) { select([String(id)], true); }, data: data };
})();
