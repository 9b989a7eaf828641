// Parallax web page: the story list and the story page, drawn from the JSON
// API. Every element is built with createElement and every piece of data is
// set with textContent: article text is never parsed as HTML.
"use strict";

const app = document.getElementById("app");
const SVG = "http://www.w3.org/2000/svg";

// el("p", {class: "x"}, "text", child, ...): an element; strings become
// text nodes, null/false children are skipped.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error || res.status + " " + res.statusText);
  return { body, more: res.headers.get("x-has-more") === "true" };
}

function day(iso) {
  return iso ? iso.slice(0, 10) : "";
}

function show(...nodes) {
  app.replaceChildren(...nodes);
  window.scrollTo(0, 0);
}

function failure(e) {
  show(el("p", { class: "error", role: "alert" }, "Could not load: " + e.message));
}

// ---- routes ---------------------------------------------------------------

function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const story = path.match(/^\/story\/([^/]+)$/);
  if (story) storyPage(decodeURIComponent(story[1])).catch(failure);
  else listPage(params).catch(failure);
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);

// ---- story list -----------------------------------------------------------

const FILTERS = ["q", "source", "lang", "from", "to"];

async function listPage(params) {
  const limit = 20;
  const offset = Number(params.get("offset") || 0);
  const query = new URLSearchParams();
  for (const f of FILTERS) if (params.get(f)) query.set(f, params.get(f));
  query.set("limit", limit);
  if (offset) query.set("offset", offset);
  const [stories, sources] = await Promise.all([
    api("/api/stories?" + query),
    api("/api/sources").catch(() => ({ body: [] })),
  ]);

  const input = (name, attrs) =>
    el("input", Object.assign({ name, id: "f-" + name, value: params.get(name) || "" }, attrs));
  const sourceSelect = el("select", { name: "source", id: "f-source" },
    el("option", { value: "" }, "All sources"),
    sources.body.filter((s) => s.source).slice(0, 200).map((s) =>
      el("option", { value: s.source, selected: s.source === params.get("source") },
        s.source + " (" + s.articles + ")")));
  const form = el("form", { class: "filters", role: "search",
    onsubmit: (ev) => {
      ev.preventDefault();
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (String(v).trim()) next.set(k, String(v).trim());
      location.hash = "#/?" + next;
    } },
    el("label", { class: "q" }, el("span", { class: "sr" }, "Search"),
      input("q", { type: "search", placeholder: "Search stories…", autocomplete: "off" })),
    el("label", {}, "Source", sourceSelect),
    el("label", {}, "Language", input("lang", { size: 3, placeholder: "en" })),
    el("label", {}, "From", input("from", { type: "date" })),
    el("label", {}, "To", input("to", { type: "date" })),
    el("button", { type: "submit" }, "Search"));

  const list = el("ol", { class: "stories", start: offset + 1 },
    stories.body.map((s) => el("li", { class: "story-card" },
      el("a", { class: "story-link", href: "#/story/" + encodeURIComponent(s.story) }, s.title),
      el("p", { class: "summary" }, s.summary.length > 280 ? s.summary.slice(0, 277) + "…" : s.summary),
      el("p", { class: "meta" },
        s.articles.length + (s.articles.length === 1 ? " article" : " articles"),
        " · ", s.outlets.slice(0, 6).join(", ") + (s.outlets.length > 6 ? "…" : ""),
        s.first_published ? " · " + day(s.first_published) +
          (day(s.last_published) !== day(s.first_published) ? " – " + day(s.last_published) : "") : ""))));

  const page = (to) => {
    const p = new URLSearchParams(params);
    if (to) p.set("offset", to); else p.delete("offset");
    return "#/?" + p;
  };
  const nav = el("nav", { class: "pager" },
    offset > 0 ? el("a", { href: page(Math.max(0, offset - limit)) }, "← Newer") : null,
    stories.more ? el("a", { href: page(offset + limit) }, "Older →") : null);

  show(form,
    stories.body.length ? list : el("p", { class: "muted" }, "No stories match."),
    nav);
}

// ---- story page -----------------------------------------------------------

async function storyPage(id) {
  const enc = encodeURIComponent(id);
  const [brief, articles] = await Promise.all([
    api("/api/stories/" + enc),
    api("/api/stories/" + enc + "/articles"),
  ]).then((r) => r.map((x) => x.body));

  const outlet = new Map(brief.sources.map((s) => [s.article, s.outlet]));
  const number = new Map(brief.sources.map((s, i) => [s.article, i + 1]));
  const cite = (ids) => el("span", { class: "cites" },
    (ids || []).map((a) => el("a", {
      class: "cite", href: "#src-" + a, title: outlet.get(a) || a,
      onclick: (ev) => { ev.preventDefault(); focusSource(a); },
    }, String(number.get(a) || "?"))));
  const outlets = (ids) => el("span", { class: "outlets" },
    [...new Set((ids || []).map((a) => outlet.get(a) || a))].map((o) => el("span", { class: "chip" }, o)));

  const dates = articles.map((a) => a.published).filter(Boolean).sort();
  const head = el("header", { class: "story-head" },
    el("a", { href: "#/", class: "back" }, "← All stories"),
    el("h1", {}, brief.title),
    el("p", { class: "meta" }, brief.sources.length + " sources · " +
      [...new Set(brief.sources.map((s) => s.outlet))].length + " outlets" +
      (dates.length ? " · " + day(dates[0]) + (day(dates[dates.length - 1]) !== day(dates[0]) ? " – " + day(dates[dates.length - 1]) : "") : "")));

  const summary = section("Summary", "summary",
    el("p", { class: "brief" }, brief.sentences.map((s) =>
      el("span", { class: "sentence" }, s.text, cite(s.sources), " "))));

  const facts = brief.facts || [];
  const conflicts = facts.filter((f) => !f.agree);
  const agreed = facts.filter((f) => f.agree);
  const factsSection = section("Facts", "facts",
    facts.length ? null : el("p", { class: "muted" }, "No figures found in the sources."),
    conflicts.length ? el("h3", { class: "conflict-head" }, conflicts.length + (conflicts.length === 1 ? " figure the sources disagree on" : " figures the sources disagree on")) : null,
    conflicts.map((f) => el("div", { class: "fact conflict" },
      el("p", { class: "about" }, f.subject ? f.subject + ": " + f.about : f.about),
      el("div", { class: "values" }, f.values.map((v) => el("div", { class: "value" },
        v.qualifier ? el("span", { class: "qualifier" }, v.qualifier) : null,
        el("strong", {}, v.value),
        el("q", {}, v.text),
        outlets(v.sources), cite(v.sources)))))),
    agreed.length ? el("ul", { class: "agreed" }, agreed.map((f) => el("li", { class: "fact" },
      el("span", { class: "about" }, (f.subject ? f.subject + ": " : "") + f.about + ": "),
      el("strong", {}, f.values.map((v) => (v.qualifier ? v.qualifier + " " : "") + v.value).join(", ")),
      cite(f.values.flatMap((v) => v.sources))))) : null);

  const quotes = brief.quotes || [];
  const quotesSection = section("Quotes", "quotes",
    quotes.length ? null : el("p", { class: "muted" }, "No quotes found in the sources."),
    quotes.map((q) => el("figure", { class: q.direct === false ? "quote indirect" : "quote" },
      el("blockquote", {}, q.text),
      el("figcaption", {}, el("span", { class: "speaker" }, q.speaker ? "— " + q.speaker : "— unattributed"),
        " ", outlets(q.sources), cite(q.sources)))));

  const entities = brief.entities || [];
  const entitySection = entities.length ? section("Who and where", "entities",
    el("p", { class: "entities" }, entities.slice(0, 40).map((e) =>
      el("span", { class: "chip " + e.kind, title: e.kind + " · " + (e.sources || []).length + " sources" }, e.name)))) : null;

  show(head, summary, factsSection, quotesSection, entitySection,
    section("Timeline", "timeline", timeline(brief.timeline || [], articles, cite)),
    section("Who copied whom", "syndication", copyGroups(brief.copies || [], outlet, cite)),
    section("Sources", "sources", sourceTexts(articles, number, brief.unique || [])));
}

function section(title, id, ...content) {
  return el("section", { id, class: "block" }, el("h2", {}, title), ...content);
}

function focusSource(a) {
  const node = document.getElementById("src-" + a);
  if (!node) return;
  node.open = true;
  node.scrollIntoView({ behavior: "smooth", block: "start" });
  node.classList.add("flash");
  setTimeout(() => node.classList.remove("flash"), 1200);
}

// "2018", "2018-05" or "2018-05-14" to a time (the middle of the period).
function when(date) {
  const [y, m, d] = date.split("-").map(Number);
  if (!y) return NaN;
  if (!m) return Date.UTC(y, 6, 1);
  if (!d) return Date.UTC(y, m - 1, 15);
  return Date.UTC(y, m - 1, d);
}

// A chart of the story's dated events (from the brief), else of when each
// article was published; the events are also listed with their sources.
function timeline(events, articles, cite) {
  const points = events.length
    ? events.map((e) => ({ t: when(e.date), label: e.date + " · " + e.text, e })).filter((p) => !isNaN(p.t))
    : articles.filter((a) => a.published).map((a) => ({ t: Date.parse(a.published), label: a.outlet + " · " + a.published.slice(0, 16).replace("T", " ") }));
  const undated = events.length ? 0 : articles.length - points.length;
  const note = undated ? el("p", { class: "muted" }, undated + (undated === 1 ? " article has" : " articles have") + " no publication date.") : null;
  if (!points.length) return el("div", {}, note || el("p", { class: "muted" }, "No dates."));
  points.sort((x, y) => x.t - y.t);
  const dayMs = 86400000;
  let t0 = points[0].t, t1 = points[points.length - 1].t;
  if (t1 - t0 < dayMs) { t0 -= dayMs / 2; t1 += dayMs / 2; }
  const shown = points.slice(0, 24);
  const W = 640, rowH = 22, H = 40 + shown.length * rowH, left = 10, right = W - 10;
  const x = (t) => left + (right - left) * (t - t0) / (t1 - t0);
  const fmt = (t) => new Date(t).toISOString().slice(0, 10);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": "Timeline chart" });
  chart.append(svg("line", { x1: left, x2: right, y1: H - 20, y2: H - 20, class: "axis" }));
  chart.append(svg("text", { x: left, y: H - 4, class: "tick" }, fmt(t0)));
  chart.append(svg("text", { x: right, y: H - 4, class: "tick end" }, fmt(t1)));
  shown.forEach((p, i) => {
    const y = 16 + i * rowH, px = x(p.t), flip = px > W * 0.55;
    chart.append(svg("line", { x1: px, x2: px, y1: y, y2: H - 20, class: "stem" }));
    chart.append(svg("circle", { cx: px, cy: y, r: 5, class: "dot" }));
    const label = p.label.length > 60 ? p.label.slice(0, 57) + "…" : p.label;
    chart.append(svg("text", { x: px + (flip ? -9 : 9), y: y + 4, class: "label" + (flip ? " end" : "") }, label));
  });
  const list = events.length ? el("ol", { class: "events" }, points.map((p) =>
    el("li", {}, el("strong", {}, p.e.date), " ", p.e.text, cite(p.e.sources)))) : null;
  return el("div", {}, chart, note, list);
}

// Each text several sources carry, once: the original's outlet, how many
// outlets carried it and how many edited it, then each copy with its
// relation and strength (the copy pairs the dedup stage stored).
function copyGroups(groups, outlet, cite) {
  if (!groups.length) return el("p", { class: "muted" }, "No article reuses another's text: each source wrote its own.");
  return el("ul", { class: "synd" }, groups.map((g) => {
    const edited = g.copies.filter((c) => c.relation !== "duplicate").length;
    const n = g.outlets.length;
    return el("li", { class: "copy-group" },
      el("span", { class: "who" }, g.outlet + " text, carried by " + n + (n === 1 ? " outlet" : " outlets") +
        (edited ? ", " + edited + (edited === 1 ? " copy" : " copies") + " edited" : ", word for word")),
      cite([g.original]),
      el("ul", { class: "copies" }, g.copies.map((c) => {
        const bar = el("span", { class: "bar" });
        bar.style.width = Math.round(c.score * 100) + "%";
        return el("li", { class: "copy " + c.relation },
          el("span", { class: "who" }, c.outlet + " · " + c.relation +
            (c.from !== g.original ? " of " + (outlet.get(c.from) || c.from) + "'s copy" : "")),
          cite([c.article]),
          el("span", { class: "track", title: "strength " + c.score.toFixed(2) }, bar));
      })));
  }));
}

// ---- each source's text, with what only it reports marked ---------------------

function words(s) {
  return (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []);
}

function trigrams(ws) {
  const out = [];
  for (let i = 0; i + 2 < ws.length; i++) out.push(ws[i] + " " + ws[i + 1] + " " + ws[i + 2]);
  return out;
}

function sentences(text) {
  return text.match(/[^.!?\n]+(?:[.!?]+["'”’)\]]*|\n|$)\s*/g) || [text];
}

function sourceTexts(articles, number, unique) {
  const grams = articles.map((a) => new Set(trigrams(words(a.body))));
  const uniqueOf = new Map(unique.map((u) => [u.article, u.sentences || []]));
  return el("div", { class: "texts" }, articles.map((a, i) => {
    const others = new Set();
    grams.forEach((g, j) => { if (j !== i) for (const t of g) others.add(t); });
    const paragraphs = a.body.split(/\n+/).filter((p) => p.trim());
    let only = 0;
    const body = el("div", { class: "body" }, paragraphs.map((p) => el("p", {}, sentences(p).map((s) => {
      // The brief's own list when it has one for this source, else a
      // word-trigram test against the other sources.
      const own = uniqueOf.get(a.id);
      const tg = trigrams(words(s));
      const shared = tg.filter((t) => others.has(t)).length;
      const alone = own
        ? s.trim().length > 0 && own.some((u) => u.includes(s.trim()) || s.includes(u.trim()))
        : articles.length > 1 && tg.length >= 4 && shared / tg.length < 0.2;
      if (alone) only++;
      return alone ? el("mark", { class: "only", title: "Only this source reports this" }, s) : el("span", {}, s);
    }))));
    const removed = a.removed && a.removed.length
      ? el("details", { class: "removed" }, el("summary", {}, "Cleaning removed " + a.removed.length + " line(s)"),
        el("ul", {}, a.removed.map((r) => el("li", {}, el("em", {}, r.reason + ": "), r.text))))
      : null;
    return el("details", { class: "source", id: "src-" + a.id, open: articles.length <= 6 },
      el("summary", {},
        el("span", { class: "num" }, String(number.get(a.id) || i + 1)),
        el("strong", {}, a.outlet), " ",
        el("span", {}, a.title || a.id),
        a.published ? el("span", { class: "muted" }, " · " + day(a.published)) : null,
        only ? el("span", { class: "only-count" }, " · " + only + " passage(s) only here") : null),
      a.url && /^https?:\/\//i.test(a.url) ? el("p", { class: "url" }, el("a", { href: a.url, rel: "noopener noreferrer nofollow", target: "_blank" }, a.url)) : null,
      body, removed);
  }));
}
