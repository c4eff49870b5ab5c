// briefing's search: finds articles, quotations and entities in the static index that the build
// writes to search/. It loads only the shards of the words typed (search/t/<shard>.js) and the
// chunks of the documents shown (search/d/<n>.js), as <script> elements, so that it also works on a
// site opened from disk, where browsers refuse fetch(). Words are split as the build splits them:
// letters and digits, lower case, accents dropped. Every word must match; the
// last one may be the start of a word, so results come while typing.
(function () {
  "use strict";
  var root = document.currentScript.src.replace(/search\.js(\?.*)?$/, "");
  var manifest = null, shards = {}, chunks = {}, waiting = {};
  var STOP = " a an and are as at be been but by for from had has have he her his i in is it its of on or said she that the their they this to was we were which will with ";
  var KINDS = {article: "Article", quote: "Quote", country: "Country", organisation: "Organisation", person: "Person"};

  window.briefingSearch = {
    manifest: function (m) { manifest = m; done("index"); },
    shard: function (name, terms) { shards[name] = terms; done("t/" + name); },
    docs: function (n, docs) { chunks[n] = docs; done("d/" + n); }
  };

  function done(key) {
    (waiting[key] || []).forEach(function (f) { f(); });
    delete waiting[key];
  }

  // Loads search/<key>.js once; resolves when its data is in (or it failed: then without it).
  function load(key) {
    return new Promise(function (resolve) {
      var have = key === "index" ? manifest : key.charAt(0) === "t" ? shards[key.slice(2)] : chunks[key.slice(2)];
      if (have) { resolve(); return; }
      if (waiting[key]) { waiting[key].push(resolve); return; }
      waiting[key] = [resolve];
      var s = document.createElement("script");
      s.src = root + "search/" + key + ".js";
      s.onerror = function () { done(key); };
      document.head.appendChild(s);
    });
  }

  // As the build's terms(): split on what is not Alphabetic or Numeric, keep words of two
  // characters or more, lower-case each, drop stop words, fold (the index has every term folded).
  function fold(word) {
    return word.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  }

  function words(text) {
    return text.split(/[^\p{Alphabetic}\p{N}]+/u).filter(function (w) {
      return Array.from(w).length >= 2;
    }).map(function (w) { return w.toLowerCase(); }).filter(function (w) {
      return STOP.indexOf(" " + w + " ") < 0;
    }).map(fold);
  }

  function key(term, letters) {
    return Array.from(term).slice(0, letters).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  // The shards that may hold a word (or, for the word being typed, the words it starts): its first
  // two letters' shard, or, where the build split that one, its first three letters' shard, or all
  // of them for a two-letter start.
  function shardsFor(word, prefix) {
    var two = key(word, 2);
    if (manifest.split.indexOf(two) < 0) return manifest.shards.indexOf(two) >= 0 ? [two] : [];
    if (Array.from(word).length >= 3) {
      var three = key(word, 3);
      return manifest.shards.indexOf(three) >= 0 ? [three] : [];
    }
    return manifest.shards.filter(function (s) { return s === two || (prefix && s.indexOf(two + "-") === 0); });
  }

  // doc -> score for one query word: exact terms, or terms it starts (the word being typed).
  // Postings are pairs of (gap from the previous document, weight).
  function matches(word, prefix) {
    var scores = {};
    shardsFor(word, prefix).forEach(function (s) {
      var terms = shards[s] || {};
      Object.keys(terms).forEach(function (term) {
        if (term === word || (prefix && term.indexOf(word) === 0)) {
          var list = terms[term], exact = term === word ? 2 : 1, doc = 0;
          for (var i = 0; i < list.length; i += 2) {
            doc += list[i];
            scores[doc] = Math.max(scores[doc] || 0, list[i + 1] * exact);
          }
        }
      });
    });
    return scores;
  }

  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var input = document.getElementById("search-input");
  var run = 0;

  function search(query) {
    var mine = ++run, ws = words(query);
    if (!ws.length) { status.textContent = ""; results.innerHTML = ""; return; }
    if (!manifest) {
      status.textContent = "Loading the search index…";
      load("index").then(function () {
        if (manifest) search(query);
        else status.textContent = "The search index is missing; rebuild the site.";
      });
      return;
    }
    var needed = [];
    ws.forEach(function (w, i) { needed = needed.concat(shardsFor(w, i === ws.length - 1)); });
    Promise.all(needed.map(function (s) { return load("t/" + s); })).then(function () {
      if (mine !== run) return;
      var total = null;
      ws.forEach(function (w, i) {
        var scores = matches(w, i === ws.length - 1), next = {};
        Object.keys(scores).forEach(function (d) {
          if (total === null || d in total) next[d] = (total === null ? 0 : total[d]) + scores[d];
        });
        total = next;
      });
      var ranked = Object.keys(total || {}).map(Number).sort(function (a, b) {
        return total[b] - total[a] || a - b;
      });
      var shown = ranked.slice(0, 50);
      var need = {};
      shown.forEach(function (d) { need[Math.floor(d / manifest.chunk)] = true; });
      return Promise.all(Object.keys(need).map(function (n) { return load("d/" + n); })).then(function () {
        if (mine !== run) return;
        show(query, ranked.length, shown);
      });
    });
  }

  function show(query, count, shown) {
    results.innerHTML = "";
    status.textContent = count === 0 ? "Nothing found for “" + query + "”."
      : count + (count === 1 ? " result" : " results") + " for “" + query + "”" + (count > shown.length ? ", the best " + shown.length + " shown." : ".");
    shown.forEach(function (d) {
      var doc = chunks[Math.floor(d / manifest.chunk)][d % manifest.chunk];
      var li = document.createElement("li");
      li.className = "search-result search-" + doc.kind;
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = KINDS[doc.kind] || doc.kind;
      var a = document.createElement("a");
      a.href = root + doc.url;
      a.textContent = doc.kind === "quote" ? "“" + doc.title + "”" : doc.title;
      var meta = document.createElement("span");
      meta.className = "search-meta";
      meta.textContent = doc.meta;
      li.appendChild(kind); li.appendChild(a); li.appendChild(meta);
      results.appendChild(li);
    });
  }

  var query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(location.href);
      if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      try { history.replaceState(null, "", url); } catch (e) { /* file:// may refuse */ }
      search(input.value);
    }, 120);
  });
  if (query) search(query);
})();
