/* mjarchive gallery: keyboard navigation and client-side search. Classic script, no modules and no fetch, so it
   works from file:// with no server; the search index is a script loaded on first use. */
(function () {
  'use strict';
  var body = document.body;
  var base = body.getAttribute('data-base') || '';
  var imageBase = body.getAttribute('data-image-base');
  if (imageBase === null) imageBase = base;
  var pageKind = body.getAttribute('data-page') || '';
  var query = document.getElementById('q');
  var form = document.querySelector('form.search');
  var filters = ['f-action', 'f-ar', 'f-version', 'f-since', 'f-until'].map(function (id) {
    return document.getElementById(id);
  });

  function isTyping(target) {
    var name = target && target.tagName;
    return name === 'INPUT' || name === 'SELECT' || name === 'TEXTAREA';
  }

  function visibleTileLinks() {
    var scope = document.getElementById('results');
    if (!scope || scope.hidden) scope = document.getElementById('pages') || document;
    return Array.prototype.slice.call(scope.querySelectorAll('.tiles > li > a'));
  }

  function columns(links) {
    if (links.length === 0) return 1;
    var top = links[0].getBoundingClientRect().top, count = 0;
    for (var i = 0; i < links.length && links[i].getBoundingClientRect().top === top; i++) count++;
    return Math.max(1, count);
  }

  function moveFocus(key) {
    var links = visibleTileLinks();
    if (links.length === 0) return false;
    var at = links.indexOf(document.activeElement);
    if (at < 0) { links[0].focus(); return true; }
    var step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns(links), ArrowUp: -columns(links) }[key];
    var next = Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
    return true;
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target)) {
      if (event.key === 'Escape') event.target.blur();
      return;
    }
    if (event.key === '/') {
      event.preventDefault();
      if (query) query.focus(); else location.href = base + 'index.html#search';
      return;
    }
    if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].indexOf(event.key) < 0) return;
    if (pageKind === 'task' && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
      var rel = document.querySelector('link[rel=' + (event.key === 'ArrowLeft' ? 'prev' : 'next') + ']');
      if (rel) { event.preventDefault(); location.href = rel.href; }
      return;
    }
    if (pageKind === 'index' && moveFocus(event.key)) event.preventDefault();
  });

  var copy = document.getElementById('copy-prompt');
  var taskData = document.getElementById('task-data');
  if (copy && taskData && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      var task = JSON.parse(taskData.textContent);
      navigator.clipboard.writeText(task.prompt || '').then(function () { copy.textContent = 'Copied'; },
        function () { copy.textContent = 'Copy failed'; });
    });
  }

  if (!form || !query) return;

  /* Search: words match whole words as in `mjarchive search` (case and accents folded, `word*` for a prefix,
     "quoted words" as a phrase); CJK text matches anywhere inside a run of CJK characters. */
  var cjk = /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F]/;
  function fold(text) { return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase(); }
  function words(text) { return fold(text).match(/[\p{L}\p{N}]+/gu) || []; }

  var tasks = null, loading = false, waiting = [], shown = 0, matches = [];
  var results = document.getElementById('results');
  var resultTiles = document.getElementById('result-tiles');
  var resultsTitle = document.getElementById('results-title');
  var more = document.getElementById('more');
  var pages = document.getElementById('pages');

  function withIndex(then) {
    if (tasks) { then(); return; }
    waiting.push(then);
    if (loading) return;
    loading = true;
    var script = document.createElement('script');
    script.src = base + 'assets/search-index.js';
    script.onload = function () {
      var index = window.MJ_SEARCH_INDEX || { tasks: [] };
      tasks = index.tasks.map(function (row) {
        return { id: row[0], href: row[1], thumb: row[2], prompt: row[3], action: row[5], ratio: row[6],
          version: row[7], time: row[8], words: ' ' + words(row[0] + ' ' + row[3] + ' ' + row[4]).join(' ') + ' ' };
      });
      waiting.splice(0).forEach(function (run) { run(); });
    };
    script.onerror = function () {
      loading = false;
      resultsTitle.textContent = 'The search index (assets/search-index.js) could not be loaded.';
      results.hidden = false;
    };
    document.head.appendChild(script);
  }

  function terms(text) {
    var found = [], pattern = /"([^"]*)"|(\S+)/g, part;
    while ((part = pattern.exec(text)) !== null) {
      var raw = part[1] !== undefined ? part[1] : part[2];
      if (part[1] === undefined && /^(AND|OR|NOT)$/.test(raw)) continue;
      var list = words(raw);
      if (list.length === 0) continue;
      if (cjk.test(raw)) { list.forEach(function (word) { found.push({ anywhere: word }); }); continue; }
      var prefix = part[1] === undefined && raw.charAt(raw.length - 1) === '*';
      found.push({ phrase: ' ' + list.join(' ') + (prefix ? '' : ' ') });
    }
    return found;
  }

  function day(value, endOfDay) {
    if (!value) return null;
    var parts = value.split('-').map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2] + (endOfDay ? 1 : 0)).getTime();
  }

  function state() {
    return { q: query.value, action: filters[0].value, ar: filters[1].value, version: filters[2].value,
      since: filters[3].value, until: filters[4].value };
  }

  function isEmpty(current) {
    return !current.q.trim() && !current.action && !current.ar && !current.version && !current.since && !current.until;
  }

  function remember(current) {
    var parts = [];
    Object.keys(current).forEach(function (key) {
      if (current[key]) parts.push(key + '=' + encodeURIComponent(current[key]));
    });
    try { history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname); } catch (ignored) { }
  }

  function tile(task) {
    var item = document.createElement('li');
    item.className = 'tile';
    item.setAttribute('data-id', task.id);
    var link = document.createElement('a');
    link.href = base + task.href;
    link.title = task.prompt;
    if (task.thumb) {
      var image = document.createElement('img');
      image.src = imageBase + task.thumb;
      image.loading = 'lazy';
      image.alt = task.prompt;
      link.appendChild(image);
    } else {
      var placeholder = document.createElement('span');
      placeholder.className = 'placeholder';
      var text = document.createElement('span');
      text.className = 'text';
      text.textContent = task.prompt;
      placeholder.appendChild(text);
      link.appendChild(placeholder);
    }
    var caption = document.createElement('span');
    caption.className = 'caption';
    caption.textContent = (task.action || '') + ' · ' + task.prompt;
    link.appendChild(caption);
    item.appendChild(link);
    return item;
  }

  function showMore() {
    var end = Math.min(matches.length, shown + 200), fragment = document.createDocumentFragment();
    for (; shown < end; shown++) fragment.appendChild(tile(matches[shown]));
    resultTiles.appendChild(fragment);
    more.hidden = shown >= matches.length;
  }

  function run() {
    var current = state();
    remember(current);
    if (isEmpty(current)) { results.hidden = true; pages.hidden = false; return; }
    withIndex(function () {
      var wanted = terms(current.q), since = day(current.since, false), until = day(current.until, true);
      matches = tasks.filter(function (task) {
        if (current.action && task.action !== current.action) return false;
        if (current.ar && task.ratio !== current.ar) return false;
        if (current.version && task.version !== current.version) return false;
        if (since !== null && !(task.time >= since)) return false;
        if (until !== null && !(task.time < until)) return false;
        return wanted.every(function (term) {
          return term.anywhere ? task.words.indexOf(term.anywhere) >= 0 : task.words.indexOf(term.phrase) >= 0;
        });
      });
      resultTiles.textContent = '';
      shown = 0;
      resultsTitle.textContent = matches.length === 1 ? '1 task matches' : matches.length + ' tasks match';
      showMore();
      pages.hidden = true;
      results.hidden = false;
    });
  }

  form.hidden = false;
  form.addEventListener('submit', function (event) { event.preventDefault(); run(); });
  var timer = null;
  query.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  query.addEventListener('focus', function () { withIndex(function () { }); });
  filters.forEach(function (control) { control.addEventListener('change', run); });
  more.addEventListener('click', showMore);

  var hash = location.hash.replace(/^#/, '');
  if (hash === 'search') query.focus();
  else if (hash) {
    var values = {};
    hash.split('&').forEach(function (pair) {
      var at = pair.indexOf('=');
      if (at > 0) { try { values[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1)); } catch (ignored) { } }
    });
    query.value = values.q || '';
    ['action', 'ar', 'version', 'since', 'until'].forEach(function (key, at) { filters[at].value = values[key] || ''; });
    run();
  }
})();
