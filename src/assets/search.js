// mailsite: the search page. Reads the index of its language (built with the site, see
// src/generated/search/), fills the box from ?q=, and lists the pages and sections that
// contain every term of the query, as links inside <main>. Terms are made exactly as the
// index made them: NFKC, lower case, Japanese as character bigrams, other text as words.
// Everything shown is set with textContent.
(function () {
  "use strict";
  var form = document.querySelector("form.search-form");
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var root = form.getAttribute("data-root") || "";
  var MAX_PAGES = 50;
  var MAX_ALSO = 3;
  var index = null;
  var decoded = new Map();
  var labelTerms = new Map();

  var CJK = /[\u3005-\u3007\u3040-\u309F\u30A0-\u30FA\u30FC-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var DIGIT = /\p{N}/u;

  function normalize(s) {
    return s.normalize("NFKC").toLowerCase();
  }

  // The same terms as src/generated/search/tokens.rs.
  function terms(text) {
    var out = [];
    var run = [];
    var runIsCjk = false;
    Array.from(text + " ").forEach(function (c) {
      var kind = CJK.test(c) ? true : WORD.test(c) ? false : null;
      if (kind !== runIsCjk && run.length) {
        flush(run, runIsCjk, out);
        run = [];
      }
      if (kind !== null) {
        runIsCjk = kind;
        run.push(c);
      }
    });
    return out;
  }

  function flush(run, cjk, out) {
    if (cjk) {
      if (run.length === 1) out.push(run[0]);
      for (var i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
    } else if (run.length > 1 || DIGIT.test(run[0])) {
      out.push(run.join(""));
    }
  }

  function postings(term) {
    if (!decoded.has(term)) {
      // Gaps from the section before; -k: the k sections right after it (see search/mod.rs).
      var sections = [];
      var at = 0;
      (index.terms[term] || []).forEach(function (g) {
        if (g >= 0) {
          at += g;
          sections.push(at);
        } else {
          for (var k = 0; k < -g; k++) sections.push(++at);
        }
      });
      decoded.set(term, sections);
    }
    return decoded.get(term);
  }

  // The sections a query term finds: the term itself; a word or a single Japanese
  // character also finds the longer terms it begins (server finds servers).
  function sectionsOf(term, prefix) {
    var found = new Set(postings(term));
    if (prefix) {
      Object.keys(index.terms).forEach(function (t) {
        if (t.length > term.length && t.lastIndexOf(term, 0) === 0) postings(t).forEach(function (s) { found.add(s); });
      });
    }
    return found;
  }

  function label(i) {
    return index.labels[index.sections[i][2]];
  }

  function anchor(i) {
    return index.anchors[index.sections[i][1]];
  }

  function termsOfLabel(i) {
    if (!labelTerms.has(i)) labelTerms.set(i, new Set(terms(normalize(label(i)))));
    return labelTerms.get(i);
  }

  // A section matches when it has most of the query's terms (all of one or two), so a
  // Japanese compound written with one more word in the middle still matches. Ranked by: how many terms it has, the query in its heading or page title,
  // its heading's terms, then general pages before the guides that repeat them.
  var KIND_BONUS = [8, 6, 4, 0, 2];

  function search(query) {
    var q = normalize(query).trim();
    var wanted = Array.from(new Set(terms(q)));
    if (!wanted.length) return null;
    var need = Math.max(1, Math.ceil(wanted.length * 0.75));
    var counts = new Map();
    wanted.forEach(function (t) {
      var prefix = !CJK.test(t) || t.length === 1;
      sectionsOf(t, prefix).forEach(function (s) { counts.set(s, (counts.get(s) || 0) + 1); });
    });
    var phrase = q.replace(/\s+/g, " ");
    var pages = new Map();
    counts.forEach(function (count, s) {
      if (count < need) return;
      var page = index.sections[s][0];
      var title = normalize(index.pages[page][1]);
      var own = normalize(label(s));
      var score = 10 * count / wanted.length + (KIND_BONUS[index.pages[page][2]] || 0);
      if (own.indexOf(phrase) >= 0) score += 20;
      if (title.indexOf(phrase) >= 0) score += 4;
      var ownTerms = termsOfLabel(s);
      wanted.forEach(function (t) { if (ownTerms.has(t)) score += 3; });
      if (!pages.has(page)) pages.set(page, []);
      pages.get(page).push({ section: s, score: score });
    });
    var ranked = Array.from(pages, function (entry) {
      var sections = entry[1].sort(function (a, b) { return b.score - a.score || a.section - b.section; });
      return { page: entry[0], score: sections[0].score, sections: sections };
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
    return ranked;
  }

  function href(section) {
    var id = anchor(section);
    return root + index.pages[index.sections[section][0]][0] + (id ? "#" + encodeURIComponent(id) : "");
  }

  function element(name, className, text) {
    var el = document.createElement(name);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function say(name, n, q) {
    return (form.getAttribute("data-" + name) || "").replace("{n}", String(n)).replace("{q}", q);
  }

  function show(query) {
    list.replaceChildren();
    var ranked = query.trim() ? search(query) : null;
    if (!ranked) {
      status.textContent = "";
      return;
    }
    status.textContent = ranked.length ? say(ranked.length === 1 ? "found-one" : "found-many", ranked.length, query.trim()) : say("none", 0, query.trim());
    ranked.slice(0, MAX_PAGES).forEach(function (r) {
      var li = element("li", "search-result");
      var best = r.sections[0].section;
      var a = element("a", "result-link");
      a.href = href(best);
      a.appendChild(element("span", "result-title", index.pages[r.page][1]));
      if (label(best)) a.appendChild(element("span", "result-section", label(best)));
      li.appendChild(a);
      var others = r.sections.slice(1).filter(function (o) { return label(o.section); }).slice(0, MAX_ALSO);
      if (others.length) {
        var also = element("p", "result-also", say("also", 0, ""));
        others.forEach(function (o, i) {
          also.appendChild(document.createTextNode(i ? " · " : " "));
          var link = element("a", null, label(o.section));
          link.href = href(o.section);
          also.appendChild(link);
        });
        li.appendChild(also);
      }
      list.appendChild(li);
    });
  }

  function remember(query) {
    var url = new URL(location.href);
    if (query.trim()) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  var timer = null;
  function update() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (!index) return;
      show(input.value);
      remember(input.value);
    }, 120);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (index) {
      show(input.value);
      remember(input.value);
    }
  });
  input.addEventListener("input", update);

  var initial = new URLSearchParams(location.search).get("q") || "";
  if (initial) input.value = initial;
  status.textContent = say("loading", 0, "");
  form.setAttribute("aria-busy", "true");
  fetch(form.getAttribute("data-index"))
    .then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    })
    .then(function (data) {
      index = data;
      form.removeAttribute("aria-busy");
      status.textContent = "";
      show(input.value);
    })
    .catch(function () {
      form.removeAttribute("aria-busy");
      status.textContent = say("failed", 0, "");
    });
})();
