/* mjarchive gallery: keyboard navigation and client-side search. Classic script, no modules and no fetch, so it
   works from file:// with no server; the search (search.js) and its index are scripts loaded when needed. */
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

  /* Search (assets/search.js): loaded on first use, as is its index (assets/search/). */
  var results = document.getElementById('results');
  var resultTiles = document.getElementById('result-tiles');
  var resultsTitle = document.getElementById('results-title');
  var more = document.getElementById('more');
  var pages = document.getElementById('pages');
  var search = null, searching = null, generation = 0, shown = 0, matches = [];

  /* Resolves to window.MJ_SEARCH once assets/search.js has run. */
  function engine() {
    if (!searching) {
      searching = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = base + 'assets/search.js';
        script.onload = function () {
          search = window.MJ_SEARCH;
          if (search) resolve(search); else reject(new Error('search.js'));
        };
        script.onerror = function () { searching = null; reject(new Error('search.js')); };
        document.head.appendChild(script);
      });
    }
    return searching;
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

  function tile(row) {
    var item = document.createElement('li');
    item.className = 'tile';
    item.setAttribute('data-id', row[0]);
    var link = document.createElement('a');
    link.href = base + row[1];
    link.title = row[3];
    if (row[2]) {
      var image = document.createElement('img');
      image.src = imageBase + row[2];
      image.loading = 'lazy';
      image.alt = row[3];
      link.appendChild(image);
    } else {
      var placeholder = document.createElement('span');
      placeholder.className = 'placeholder';
      var text = document.createElement('span');
      text.className = 'text';
      text.textContent = row[3];
      placeholder.appendChild(text);
      link.appendChild(placeholder);
    }
    var caption = document.createElement('span');
    caption.className = 'caption';
    caption.textContent = (row[5] || '') + ' · ' + row[3];
    link.appendChild(caption);
    item.appendChild(link);
    return item;
  }

  function counted(found, done) {
    var text = found === 1 ? '1 task matches' : found + ' tasks match';
    return done ? text : text + ' so far…';
  }

  function failed() {
    resultsTitle.textContent = 'The search index (assets/search/) could not be loaded.';
    results.hidden = false;
  }

  /* Shows the next 200 matches once their rows are loaded, and `title` with them, so the count never describes
     tiles not shown yet. */
  function showMore(title) {
    var mine = generation, end = Math.min(matches.length, shown + 200), list = matches.slice(shown, end);
    more.disabled = true;
    return search.rows(list).then(function (rows) {
      if (mine !== generation) return;
      if (shown === 0) resultTiles.textContent = '';
      if (title) resultsTitle.textContent = title;
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) { fragment.appendChild(tile(row)); });
      resultTiles.appendChild(fragment);
      shown = end;
      more.disabled = false;
      more.hidden = shown >= matches.length;
      pages.hidden = true;
      results.hidden = false;
    });
  }

  /* Checks the candidates' rows a file at a time, newest first, showing the first matches as soon as there are
     200 (or all), and counting the rest after. */
  function check(list, wanted, mine) {
    var batches = [], at = 0, ahead = [];
    list.forEach(function (ordinal) {
      var file = search.fileOf(ordinal), last = batches[batches.length - 1];
      if (last && last.file === file) last.list.push(ordinal); else batches.push({ file: file, list: [ordinal] });
    });
    function next() {
      if (mine !== generation) return null;
      if (at >= batches.length) {
        if (shown === 0) return showMore(counted(matches.length, true));
        resultsTitle.textContent = counted(matches.length, true);
        more.hidden = shown >= matches.length;
        return null;
      }
      /* Six files on their way at once. */
      while (ahead.length < 6 && at + ahead.length < batches.length) ahead.push(search.rows(batches[at + ahead.length].list));
      var batch = batches[at].list;
      return ahead.shift().then(function (rows) {
        if (mine !== generation) return null;
        at++;
        rows.forEach(function (row, offset) { if (search.matches(row, wanted)) matches.push(batch[offset]); });
        resultsTitle.textContent = counted(matches.length, false);
        if (shown === 0 && matches.length >= 200) return showMore(counted(matches.length, false)).then(next);
        return next();
      });
    }
    return next();
  }

  function run() {
    var current = state(), mine = ++generation;
    remember(current);
    if (isEmpty(current)) { results.hidden = true; pages.hidden = false; return; }
    engine().then(function () { return search.find(current); }).then(function (found) {
      if (mine !== generation) return null;
      shown = 0;
      matches = [];
      more.hidden = true;
      if (found.check) {
        resultTiles.textContent = '';
        resultsTitle.textContent = counted(0, false);
        pages.hidden = true;
        results.hidden = false;
        return check(found.list, found.wanted, mine);
      }
      matches = found.list;
      return showMore(counted(matches.length, true));
    }).catch(function () { if (mine === generation) failed(); });
  }

  form.hidden = false;
  form.addEventListener('submit', function (event) { event.preventDefault(); run(); });
  var timer = null;
  query.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  query.addEventListener('focus', function () { engine().then(function () { return search.warm(); }).catch(function () { }); });
  filters.forEach(function (control) { control.addEventListener('change', run); });
  more.addEventListener('click', function () { showMore(null).catch(failed); });

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
