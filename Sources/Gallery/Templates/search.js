/* mjarchive gallery: the search's index and matching (window.MJ_SEARCH), loaded by gallery.js on first use.
   Classic script, no modules and no fetch, so it works from file:// with no server.
   Words match whole words as in `mjarchive search` (case and accents folded, `word*` for a prefix, "quoted words"
   as a phrase within one text); CJK text matches anywhere inside a run of CJK characters. The index
   (assets/search/, see SearchIndexWriter) comes in scripts loaded as a query needs them: the files of its words,
   the filters' columns, and the rows of the tasks it shows or must check. Tasks are numbered from the oldest;
   results list the newest first. */
(function () {
  'use strict';
  var cjk = /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F]/;
  /* Characters the index keeps one by one, after folding (SearchWords.isIdeographic). */
  var ideographic = /[\u1100-\u11FF\u2E80-\u9FFF\uA960-\uA97F\uAC00-\uD7FF\uF900-\uFAFF\uFF66-\uFF9F]/u;
  function fold(text) { return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase(); }
  function words(text) { return fold(text).match(/[\p{L}\p{N}]+/gu) || []; }
  /* The index spells a word-final sigma as JavaScript does not (SearchWords). */
  function indexWord(word) { return word.replace(/ς/g, 'σ'); }

  var base = document.body.getAttribute('data-base') || '';
  var arrived = {}, requested = {}, rowFiles = [], index = null, columns = {};
  window.MJ_SEARCH_LOADED = function (name, data) { arrived[name] = data; };

  /* Loads assets/search/<name>.js once (row files: the last 64 are kept) and resolves to its data. */
  function load(name) {
    if (requested[name]) return requested[name];
    var promise = new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = base + 'assets/search/' + name + '.js';
      script.onload = function () {
        script.remove();
        var data = arrived[name];
        delete arrived[name];
        if (data === undefined) { delete requested[name]; reject(new Error(name)); } else resolve(data);
      };
      script.onerror = function () { script.remove(); delete requested[name]; reject(new Error(name)); };
      document.head.appendChild(script);
    });
    requested[name] = promise;
    if (name.charAt(0) === 'd') {
      rowFiles.push(name);
      if (rowFiles.length > 64) delete requested[rowFiles.shift()];
    }
    return promise;
  }

  function withIndex() {
    return load('index').then(function (data) {
      if (!index) { index = data; index.keySet = new Set(data.keys); }
      return index;
    });
  }

  var digitValue = {};
  '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_'.split('').forEach(function (digit, at) {
    digitValue[digit.charCodeAt(0)] = at;
  });
  /* Numbers in SearchPostingCode: base 32, the last digit of each from the first 32 characters above. */
  function numbers(code) {
    var found = [], value = 0;
    for (var i = 0; i < code.length; i++) {
      var digit = digitValue[code.charCodeAt(i)];
      if (digit >= 32) value = value * 32 + digit - 32;
      else { found.push(value * 32 + digit); value = 0; }
    }
    return found;
  }
  function ordinals(code) {
    var list = numbers(code), previous = -1;
    for (var i = 0; i < list.length; i++) { previous += list[i] + 1; list[i] = previous; }
    return list;
  }

  function shardName(key) {
    return 'w' + Array.from(new TextEncoder().encode(key), function (byte) {
      return (byte < 16 ? '0' : '') + byte.toString(16);
    }).join('');
  }
  /* The key of the file holding `word`: the longest key it starts with. */
  function shardOf(word) {
    var chars = Array.from(word);
    for (var n = Math.min(chars.length, 12); n >= 0; n--) {
      var key = chars.slice(0, n).join('');
      if (index.keySet.has(key)) return key;
    }
    return null;
  }
  /* Tasks holding `word`, or with `prefix` a word starting with it; ascending. */
  function tasksWith(word, prefix) {
    var keys = [shardOf(word)];
    if (prefix) keys = keys.concat(index.keys.filter(function (key) { return key.length > word.length && key.indexOf(word) === 0; }));
    keys = keys.filter(function (key) { return key !== null; });
    return Promise.all(keys.map(function (key) { return load(shardName(key)); })).then(function (shards) {
      if (!prefix) {
        var code = shards.length && Object.prototype.hasOwnProperty.call(shards[0], word) ? shards[0][word] : '';
        return ordinals(code);
      }
      var seen = new Uint8Array(index.tasks), any = false;
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (each) {
          /* A word's prefix takes words, a pair's prefix pairs. */
          if (each.indexOf(word) !== 0 || (each.indexOf(' ') >= 0) !== (word.indexOf(' ') >= 0)) return;
          ordinals(shard[each]).forEach(function (ordinal) { seen[ordinal] = 1; });
          any = true;
        });
      });
      var list = [];
      if (any) for (var ordinal = 0; ordinal < seen.length; ordinal++) if (seen[ordinal]) list.push(ordinal);
      return list;
    });
  }
  function intersect(a, b) {
    var found = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { found.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return found;
  }

  /* A query's terms: each says which index keys narrow it (`lookups`: words, pairs of neighbouring words, CJK
     characters one or two at a time) and whether rows must be checked (longer phrases, a longer CJK run). */
  function terms(text) {
    var found = [], pattern = /"([^"]*)"|(\S+)/g, part;
    while ((part = pattern.exec(text)) !== null) {
      var raw = part[1] !== undefined ? part[1] : part[2];
      if (part[1] === undefined && /^(AND|OR|NOT)$/.test(raw)) continue;
      var list = words(raw);
      if (list.length === 0) continue;
      if (cjk.test(raw)) {
        list.forEach(function (word) {
          var chars = Array.from(word), lookups = [];
          if (chars.every(function (char) { return ideographic.test(char); })) {
            if (chars.length === 1) lookups.push({ word: '*' + chars[0] });
            for (var at = 1; at < chars.length; at++) lookups.push({ word: '*' + chars[at - 1] + chars[at] });
            found.push({ anywhere: word, lookups: lookups, check: chars.length > 2 });
            return;
          }
          chars.forEach(function (char) { if (ideographic.test(char)) lookups.push({ word: '*' + char }); });
          found.push({ anywhere: word, lookups: lookups, check: true });
        });
        continue;
      }
      var prefix = part[1] === undefined && raw.charAt(raw.length - 1) === '*', keys = list.map(indexWord);
      var pairs = keys.length === 1 ? keys : keys.slice(1).map(function (word, at) { return keys[at] + ' ' + word; });
      found.push({ phrase: ' ' + list.join(' ') + (prefix ? '' : ' '), check: list.length > 2,
        lookups: pairs.map(function (key, at) { return { word: key, prefix: prefix && at === pairs.length - 1 }; }) });
    }
    return found;
  }
  /* Tasks that may match every term, ascending; null when no term narrows them. */
  function candidates(wanted) {
    var lookups = [];
    wanted.forEach(function (term) { lookups = lookups.concat(term.lookups); });
    return Promise.all(lookups.map(function (lookup) { return tasksWith(lookup.word, lookup.prefix); }))
      .then(function (lists) {
        if (lists.length === 0) return null;
        lists.sort(function (a, b) { return a.length - b.length; });
        return lists.reduce(intersect);
      });
  }
  function rowMatches(row, wanted) {
    var texts = [row[0], row[3], row[4]].map(function (text) { return ' ' + words(text).join(' ') + ' '; });
    return wanted.every(function (term) {
      if (!term.check) return true;
      var needle = term.anywhere || term.phrase;
      return texts.some(function (text) { return text.indexOf(needle) >= 0; });
    });
  }

  function day(value, endOfDay) {
    if (!value) return null;
    var parts = value.split('-').map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2] + (endOfDay ? 1 : 0)).getTime();
  }
  /* A test of a task's ordinal against the filters, after loading the columns they need. */
  function filterFor(current) {
    var since = day(current.since, false), until = day(current.until, true);
    var needMeta = current.action || current.ar || current.version, needTimes = since !== null || until !== null;
    return Promise.all([needMeta ? load('meta') : null, needTimes ? load('times') : null]).then(function (loaded) {
      var meta = loaded[0], times = loaded[1], tests = [];
      if (meta) {
        [['action', current.action], ['ratio', current.ar], ['version', current.version]].forEach(function (pair) {
          if (!pair[1]) return;
          /* Each column is decoded once, not on every keystroke. */
          if (!columns[pair[0]]) columns[pair[0]] = numbers(meta[pair[0]]);
          tests.push({ codes: columns[pair[0]], wanted: meta[pair[0] + 's'].indexOf(pair[1]) });
        });
      }
      if (times && !columns.times) columns.times = numbers(times.times);
      var stamps = times ? columns.times : null;
      return function (ordinal) {
        for (var i = 0; i < tests.length; i++) if (tests[i].codes[ordinal] !== tests[i].wanted) return false;
        if (stamps) {
          if (stamps[ordinal] === 0) return false;
          var time = times.base + stamps[ordinal] - 1;
          if (since !== null && !(time >= since)) return false;
          if (until !== null && !(time < until)) return false;
        }
        return true;
      };
    });
  }

  function rowsOf(list) {
    var files = [];
    list.forEach(function (ordinal) {
      var name = 'd' + Math.floor(ordinal / index.chunk);
      if (files.indexOf(name) < 0) files.push(name);
    });
    return Promise.all(files.map(load)).then(function (loaded) {
      var byName = {};
      files.forEach(function (name, at) { byName[name] = loaded[at]; });
      return list.map(function (ordinal) { return byName['d' + Math.floor(ordinal / index.chunk)][ordinal % index.chunk]; });
    });
  }

  window.MJ_SEARCH = {
    /* Loads the index's first file ahead of a query. */
    warm: withIndex,
    /* Resolves to the query's candidates, newest first, and its terms; rows must then be checked (`matches`)
       when a term says so (`check`). */
    find: function (current) {
      var wanted = terms(current.q);
      return withIndex().then(function () {
        return Promise.all([candidates(wanted), filterFor(current)]);
      }).then(function (found) {
        var list = found[0], keep = found[1], newestFirst = [];
        if (list === null) { for (var ordinal = index.tasks - 1; ordinal >= 0; ordinal--) if (keep(ordinal)) newestFirst.push(ordinal); }
        else { for (var i = list.length - 1; i >= 0; i--) if (keep(list[i])) newestFirst.push(list[i]); }
        return { list: newestFirst, wanted: wanted, check: wanted.some(function (term) { return term.check; }) };
      });
    },
    /* Resolves to the rows of the tasks listed. */
    rows: rowsOf,
    /* True when a row holds every term that must be checked. */
    matches: rowMatches,
    /* The file of rows a task is in. */
    fileOf: function (ordinal) { return Math.floor(ordinal / index.chunk); }
  };
})();
