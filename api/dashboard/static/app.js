/*
 * Routekaart dashboard: plain browser JavaScript, no framework, no build step.
 *
 * Rules of this file:
 * - Data from the API reaches the page only through textContent / text nodes and setAttribute,
 *   never through innerHTML: every pseudonymous ref, reason and message is shown as text.
 * - Nothing of a household is logged or stored; only the API key (sessionStorage, this tab) and a
 *   link token for the household it was sent for.
 * - Visible text is Dutch; the vocabulary (phase and role labels, organisations) comes from the
 *   server's domain module through the page, never re-typed here.
 */
(function () {
  'use strict';

  var KEY_STORAGE = 'routekaart.apiKey';
  var LINK_STORAGE = 'routekaart.link.';
  var PAGE_SIZES = ['25', '50', '100'];
  // Query parameters of GET /households (api/types.ts HouseholdListQuery); empty means "all".
  var FILTERS = ['status', 'phase', 'organisation', 'casusregisseur', 'escalationLevel', 'openHandover', 'overdue'];

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute('content') || '' : '';
  }

  var BASE = meta('rk-base').replace(/\/+$/, '');
  var API = meta('rk-api-base').replace(/\/+$/, '');
  var VOCAB = JSON.parse(document.getElementById('rk-vocabulary').textContent);

  function toMap(list, key, value) {
    var out = {};
    list.forEach(function (x) {
      out[x[key]] = x[value];
    });
    return out;
  }
  var PHASE_LABEL = toMap(VOCAB.phases, 'value', 'label');
  var ROLE_LABEL = toMap(VOCAB.roles, 'value', 'label');
  var GROUP_LABEL = toMap(VOCAB.scoreGroups, 'value', 'label');
  var LEVELS = VOCAB.escalationLevels;

  // The list's execution status (api/types.ts EXECUTION_STATUSES).
  var STATUS_LABEL = {
    running: 'Lopend',
    completed: 'Afgerond',
    failed: 'Mislukt',
    cancelled: 'Geannuleerd',
    terminated: 'Beëindigd',
    continued_as_new: 'Lopend',
    timed_out: 'Verlopen',
    paused: 'Gepauzeerd',
    unknown: 'Status onbekend',
  };
  var PHASE_VIA = { start: 'Start traject', criteria: 'Criteria gehaald', override: 'Afwijking met onderbouwing', import: 'Geïmporteerd' };
  var ROLE_VIA = { toewijzing: 'toegewezen', overdracht: 'via overdracht', intake: 'bij intake' };

  // ---------------------------------------------------------------- DOM helpers (text only)

  /** Creates an element; strings among the children become text nodes, never markup. */
  function h(tag, props) {
    var node = document.createElement(tag);
    var p = props || {};
    Object.keys(p).forEach(function (k) {
      var v = p[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = String(v);
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    });
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) {
        append(node, c);
      });
      return;
    }
    node.append(child instanceof Node ? child : String(child));
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function $(id) {
    return document.getElementById(id);
  }

  // ---------------------------------------------------------------- formatting (nl-NL, Europe/Amsterdam)

  var TZ = 'Europe/Amsterdam';
  var fmtDateTime = new Intl.DateTimeFormat('nl-NL', {
    timeZone: TZ,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  var fmtDay = new Intl.DateTimeFormat('nl-NL', { timeZone: TZ, day: 'numeric', month: 'short', year: 'numeric' });
  var fmtPercent = new Intl.NumberFormat('nl-NL', { style: 'percent', maximumFractionDigits: 0 });
  var fmtOne = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });
  var DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

  function parseWhen(value) {
    if (!value) return null;
    // A calendar date is a day in Amsterdam: anchor it at noon UTC so no zone shifts the day.
    var d = new Date(DATE_ONLY.test(value) ? value + 'T12:00:00Z' : value);
    return isNaN(d.getTime()) ? null : d;
  }

  /** A <time> element; `withTime` for instants (reminders), without for calendar days. */
  function when(value, withTime) {
    var d = parseWhen(value);
    if (!d) return value ? String(value) : '—';
    var showTime = withTime && !DATE_ONLY.test(value);
    return h('time', { datetime: value, text: (showTime ? fmtDateTime : fmtDay).format(d) });
  }

  function yesNo(b) {
    return b ? 'Ja' : 'Nee';
  }

  function orgName(id) {
    return Object.prototype.hasOwnProperty.call(VOCAB.organisations, id) ? VOCAB.organisations[id] : id;
  }

  function org(id) {
    return h('span', { class: 'org', title: id }, orgName(id));
  }

  function phaseBadge(phase) {
    var known = Object.prototype.hasOwnProperty.call(PHASE_LABEL, phase);
    return h('span', { class: 'badge phase phase-' + (known ? phase : 'onbekend') }, known ? PHASE_LABEL[phase] : String(phase));
  }

  function levelBadge(level) {
    var n = Number(level) || 0;
    var l = LEVELS[Math.max(0, Math.min(3, n))];
    return h('span', { class: 'badge level level-' + Math.max(0, Math.min(3, n)), title: l.long }, l.short);
  }

  function flag(on, label) {
    return on ? h('span', { class: 'badge flag flag-on' }, label || 'Ja') : h('span', { class: 'muted' }, 'Nee');
  }

  function rule(id) {
    return h('span', { class: 'rule' }, id);
  }

  function householdHref(id) {
    return BASE + '/households/' + encodeURIComponent(id);
  }

  function statusLabel(status) {
    if (!status) return '';
    return Object.prototype.hasOwnProperty.call(STATUS_LABEL, status) ? STATUS_LABEL[status] : String(status);
  }

  // ---------------------------------------------------------------- API

  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  function fallbackMessage(status) {
    if (status === 401) return 'U bent niet (meer) ingelogd. Log opnieuw in.';
    if (status === 403) return 'U heeft geen toegang tot deze gegevens.';
    if (status === 404) return 'Niet gevonden.';
    if (status >= 500) return 'Er ging iets mis op de server (HTTP ' + status + '). Probeer het later opnieuw.';
    return 'Het verzoek is geweigerd (HTTP ' + status + ').';
  }

  function api(path, authorization) {
    return fetch(API + path, {
      headers: { Accept: 'application/json', Authorization: authorization },
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    })
      .then(
        function (res) {
          return res.json().then(
            function (body) {
              return { res: res, body: body };
            },
            function () {
              return { res: res, body: null };
            },
          );
        },
        function () {
          throw new ApiError(0, 'netwerk', 'De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.');
        },
      )
      .then(function (r) {
        if (!r.res.ok) {
          var e = r.body && r.body.error;
          var message = e && typeof e.message === 'string' && e.message ? e.message : fallbackMessage(r.res.status);
          throw new ApiError(r.res.status, (e && e.code) || 'onbekend', message);
        }
        if (r.body === null || typeof r.body !== 'object')
          throw new ApiError(r.res.status, 'ongeldig_antwoord', 'Onverwacht antwoord van de server.');
        return r.body;
      });
  }

  // ---------------------------------------------------------------- session

  function storage() {
    try {
      return window.sessionStorage;
    } catch {
      return null;
    }
  }
  function getKey() {
    var s = storage();
    return s ? s.getItem(KEY_STORAGE) : null;
  }
  function setKey(k) {
    var s = storage();
    if (s) s.setItem(KEY_STORAGE, k);
  }
  function linkToken(id) {
    var s = storage();
    return s ? s.getItem(LINK_STORAGE + id) : null;
  }
  function forgetLink(id) {
    var s = storage();
    if (s) s.removeItem(LINK_STORAGE + id);
  }

  function logout() {
    var s = storage();
    if (s) {
      s.removeItem(KEY_STORAGE);
      for (var i = s.length - 1; i >= 0; i--) {
        var k = s.key(i);
        if (k && k.indexOf(LINK_STORAGE) === 0) s.removeItem(k);
      }
    }
    history.pushState(null, '', BASE || '/');
    route();
  }

  function showSession(mode) {
    $('session').hidden = !mode;
    $('session-label').textContent =
      mode === 'link' ? 'Toegang via e-maillink (alleen dit huishouden)' : mode === 'key' ? 'Ingelogd met API-sleutel' : '';
  }

  // ---------------------------------------------------------------- routing and views

  var VIEWS = ['login-view', 'overview-view', 'household-view'];
  var generation = 0; // answers of an earlier navigation are dropped

  function showView(id) {
    VIEWS.forEach(function (v) {
      $(v).hidden = v !== id;
    });
  }

  function showStatus(message, kind) {
    var box = $('status');
    box.textContent = message;
    box.className = 'notice notice-' + (kind || 'error');
    box.hidden = false;
  }

  function clearStatus() {
    $('status').hidden = true;
    $('status').textContent = '';
  }

  function loading(on) {
    $('loading').hidden = !on;
  }

  function parseRoute() {
    var path = location.pathname;
    if (BASE && path.indexOf(BASE) === 0) path = path.slice(BASE.length);
    if (path === '' || path === '/') return { view: 'overview' };
    var m = /^\/households\/([^/]+)\/?$/.exec(path);
    if (m) {
      try {
        return { view: 'household', id: decodeURIComponent(m[1]) };
      } catch {
        return { view: 'unknown' };
      }
    }
    return { view: 'unknown' };
  }

  /**
   * A link from an e-mail carries ?token=: keep it for this household in this tab only and take
   * it out of the address bar, so it does not end up in history, bookmarks or a shared screen.
   */
  function adoptLinkToken(r) {
    if (r.view !== 'household') return;
    var params = new URLSearchParams(location.search);
    var token = params.get('token');
    if (!token) return;
    var s = storage();
    if (s) s.setItem(LINK_STORAGE + r.id, token);
    params.delete('token');
    var rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }

  function route() {
    clearStatus();
    var r = parseRoute();
    adoptLinkToken(r);
    if (r.view === 'household') {
      var token = linkToken(r.id);
      if (token) return loadHousehold(r.id, 'Link ' + token, 'link');
      if (getKey()) return loadHousehold(r.id, 'Bearer ' + getKey(), 'key');
      return showLogin();
    }
    if (r.view === 'overview') {
      if (getKey()) return loadOverview();
      return showLogin();
    }
    showSession(getKey() ? 'key' : null);
    showView(null);
    showStatus('Deze pagina bestaat niet.');
  }

  /** Shared handling of a failed read: an expired credential sends the user back to the login form. */
  function failed(err, mode, householdId) {
    loading(false);
    if (!(err instanceof ApiError)) {
      showStatus('Er ging iets mis bij het tonen van de gegevens. Vernieuw de pagina.');
      return;
    }
    if (err.status === 401 && mode === 'key') {
      var s = storage();
      if (s) s.removeItem(KEY_STORAGE);
      showLogin(err.message);
      return;
    }
    if (err.status === 401 && mode === 'link') {
      forgetLink(householdId);
      showLogin(err.message);
      return;
    }
    showView(null);
    showStatus(err.message);
  }

  // ---------------------------------------------------------------- login

  function showLogin(message) {
    generation++;
    loading(false);
    showSession(null);
    showView('login-view');
    var input = $('api-key');
    input.value = '';
    input.removeAttribute('aria-invalid');
    if (message) showStatus(message);
    input.focus();
  }

  function onLogin(event) {
    event.preventDefault();
    var input = $('api-key');
    var key = input.value.trim();
    if (!key) {
      input.setAttribute('aria-invalid', 'true');
      showStatus('Vul de API-sleutel in.');
      input.focus();
      return;
    }
    setKey(key);
    input.value = '';
    route();
  }

  // ---------------------------------------------------------------- overview

  var paging = { tokens: [null], index: 0, next: null, query: '' };

  function filtersFromUrl() {
    var params = new URLSearchParams(location.search);
    var f = {};
    FILTERS.forEach(function (k) {
      f[k] = params.get(k) || '';
    });
    var size = params.get('pageSize');
    f.pageSize = PAGE_SIZES.indexOf(size) >= 0 ? size : PAGE_SIZES[0];
    return f;
  }

  function fillFilterForm(f) {
    var form = $('filters');
    FILTERS.concat(['pageSize']).forEach(function (k) {
      form.elements[k].value = f[k];
    });
  }

  function filtersFromForm() {
    var form = $('filters');
    var f = {};
    FILTERS.concat(['pageSize']).forEach(function (k) {
      f[k] = String(form.elements[k].value || '').trim();
    });
    return f;
  }

  function filterParams(f) {
    var params = new URLSearchParams();
    FILTERS.forEach(function (k) {
      if (f[k]) params.set(k, f[k]);
    });
    if (f.pageSize && f.pageSize !== PAGE_SIZES[0]) params.set('pageSize', f.pageSize);
    return params;
  }

  function onFilter(event) {
    event.preventDefault();
    var qs = filterParams(filtersFromForm()).toString();
    history.pushState(null, '', (BASE || '') + '/' + (qs ? '?' + qs : ''));
    route();
  }

  function onFilterReset(event) {
    event.preventDefault();
    var empty = { pageSize: PAGE_SIZES[0] };
    FILTERS.forEach(function (k) {
      empty[k] = '';
    });
    fillFilterForm(empty);
    history.pushState(null, '', (BASE || '') + '/');
    route();
  }

  function loadOverview(pageIndex) {
    var f = filtersFromUrl();
    fillFilterForm(f);
    var params = filterParams(f);
    var query = params.toString();
    if (query !== paging.query || pageIndex === undefined) paging = { tokens: [null], index: 0, next: null, query: query };
    if (pageIndex !== undefined) paging.index = pageIndex;
    params.set('pageSize', f.pageSize);
    var token = paging.tokens[paging.index];
    if (token) params.set('nextPageToken', token);

    var mine = ++generation;
    showSession('key');
    loading(true);
    return api('/households?' + params.toString(), 'Bearer ' + getKey()).then(
      function (body) {
        if (mine !== generation) return;
        loading(false);
        var items = Array.isArray(body.items) ? body.items : [];
        paging.next = typeof body.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : null;
        renderOverview(items);
        showView('overview-view');
      },
      function (err) {
        if (mine === generation) failed(err, 'key');
      },
    );
  }

  function renderOverview(items) {
    document.title = 'Huishoudens – Routekaart naar Veiligheid';
    var tbody = $('households').tBodies[0];
    clear(tbody);
    items.forEach(function (it) {
      tbody.append(householdRow(it));
    });
    $('households-empty').hidden = items.length > 0;
    $('households').hidden = items.length === 0;
    $('households-caption').textContent = 'Huishoudens, pagina ' + (paging.index + 1) + ' (' + items.length + ' getoond)';
    $('page-label').textContent = 'Pagina ' + (paging.index + 1);
    $('page-first').disabled = paging.index === 0;
    $('page-prev').disabled = paging.index === 0;
    $('page-next').disabled = !paging.next;
    renderSummary(items);
  }

  function runCell(it) {
    var n = Number(it.runMonths) || 0;
    if (it.phase === 'risicogestuurd')
      return h('span', { title: 'Maanden op rij alle scores 6 of hoger (R-39)' }, n + ' van ' + VOCAB.policy.riskRunMonths + ' mnd');
    if (it.phase === 'herstel')
      return h('span', { title: 'Evaluaties op rij iedereen 7 of hoger (R-46)' }, n + ' van ' + VOCAB.policy.stableSafetyEvaluations);
    return h('span', { class: 'muted', title: 'Alleen in de fasen Risico gestuurd en Herstel' }, '—');
  }

  function householdRow(it) {
    var status = statusLabel(it.status);
    var orgs = Array.isArray(it.organisations) ? it.organisations : [];
    return h(
      'tr',
      { class: it.overdue ? 'row-overdue' : null },
      h('th', { scope: 'row' }, h('a', { class: 'ref', href: householdHref(String(it.householdId)) }, String(it.householdId))),
      h('td', null, phaseBadge(it.phase), status && status !== 'Lopend' ? h('div', { class: 'small muted' }, status) : null),
      h(
        'td',
        null,
        h(
          'ul',
          { class: 'plain' },
          orgs.map(function (o) {
            return h('li', null, org(o), o === it.intakeOrganisation ? h('span', { class: 'small muted' }, ' (intake)') : null);
          }),
        ),
      ),
      h(
        'td',
        null,
        it.casusregisseur ? h('span', { class: 'ref' }, String(it.casusregisseur)) : h('span', { class: 'muted' }, 'Niet toegewezen'),
      ),
      h('td', null, levelBadge(it.escalationLevel)),
      h('td', { class: 'num' }, runCell(it)),
      h('td', null, when(it.nextDeadline, true)),
      h('td', null, flag(it.openHandover, 'Open')),
      h('td', null, flag(it.overdue, 'Over tijd')),
      h('td', null, when(it.startedAt, false)),
    );
  }

  function monthsSince(iso, now) {
    var d = parseWhen(iso);
    return d ? Math.max(0, (now - d.getTime()) / (30.44 * 24 * 3600 * 1000)) : null;
  }

  /** R-61 "meten" over the loaded page: households per phase, share escalated, time since start. */
  function renderSummary(items) {
    var box = $('summary');
    clear(box);
    var now = Date.now();
    var escalated = items.filter(function (i) {
      return Number(i.escalationLevel) > 0;
    }).length;
    var share = function (n, total) {
      return total ? fmtPercent.format(n / total) : '—';
    };
    box.append(
      h(
        'div',
        { class: 'tiles' },
        tile('Huishoudens', String(items.length)),
        tile('Geëscaleerd', escalated + ' (' + share(escalated, items.length) + ')', escalated ? 'warn' : null),
        tile(
          'Open overdracht',
          String(
            items.filter(function (i) {
              return i.openHandover;
            }).length,
          ),
        ),
        tile(
          'Over tijd',
          String(
            items.filter(function (i) {
              return i.overdue;
            }).length,
          ),
          items.some(function (i) {
            return i.overdue;
          })
            ? 'danger'
            : null,
        ),
      ),
    );
    var rows = VOCAB.phases.map(function (p) {
      var inPhase = items.filter(function (i) {
        return i.phase === p.value;
      });
      // time per phase, from the start of the current phase.
      var ages = inPhase
        .map(function (i) {
          return monthsSince(i.phaseStartedAt || i.startedAt, now);
        })
        .filter(function (x) {
          return x !== null;
        });
      var avg = ages.length
        ? fmtOne.format(
            ages.reduce(function (a, b) {
              return a + b;
            }, 0) / ages.length,
          ) + ' mnd'
        : '—';
      var esc = inPhase.filter(function (i) {
        return Number(i.escalationLevel) > 0;
      }).length;
      return h(
        'tr',
        null,
        h('th', { scope: 'row' }, phaseBadge(p.value)),
        h('td', { class: 'num' }, String(inPhase.length)),
        h('td', { class: 'num' }, inPhase.length ? esc + ' (' + share(esc, inPhase.length) + ')' : '—'),
        h('td', { class: 'num' }, avg),
      );
    });
    box.append(
      h(
        'table',
        { class: 'data compact', id: 'phase-counts' },
        h('caption', { class: 'visually-hidden' }, 'Aantallen per fase op deze pagina'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Fase'),
            h('th', { scope: 'col', class: 'num' }, 'Aantal'),
            h('th', { scope: 'col', class: 'num' }, 'Geëscaleerd'),
            h('th', { scope: 'col', class: 'num' }, 'Gem. tijd in deze fase'),
          ),
        ),
        h('tbody', null, rows),
      ),
    );
  }

  function tile(label, value, tone) {
    return h(
      'div',
      { class: 'tile' + (tone ? ' tile-' + tone : '') },
      h('div', { class: 'tile-value' }, value),
      h('div', { class: 'tile-label' }, label),
    );
  }

  // ---------------------------------------------------------------- household

  function loadHousehold(id, authorization, mode) {
    var mine = ++generation;
    showSession(mode);
    loading(true);
    return api('/households/' + encodeURIComponent(id), authorization).then(
      function (view) {
        if (mine !== generation) return;
        loading(false);
        renderHousehold(view, mode);
        showView('household-view');
      },
      function (err) {
        if (mine === generation) failed(err, mode, id);
      },
    );
  }

  function section(id, title, body, note) {
    return h(
      'section',
      { class: 'card', id: id, 'aria-labelledby': id + '-title' },
      h('h2', { id: id + '-title' }, title, note ? h('span', { class: 'hint' }, ' ' + note) : null),
      body,
    );
  }

  function table(caption, headers, rows, empty, cls) {
    if (!rows.length) return h('p', { class: 'empty' }, empty);
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' + (cls ? ' ' + cls : '') },
        h('caption', { class: 'visually-hidden' }, caption),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            headers.map(function (t) {
              return typeof t === 'string' ? h('th', { scope: 'col' }, t) : h('th', { scope: 'col', class: t.cls }, t.text);
            }),
          ),
        ),
        h('tbody', null, rows),
      ),
    );
  }

  function dl(pairs) {
    return h(
      'dl',
      { class: 'facts' },
      pairs.filter(Boolean).map(function (p) {
        return [h('dt', null, p[0]), h('dd', null, p[1])];
      }),
    );
  }

  function professional(p) {
    if (!p) return h('span', { class: 'muted' }, '—');
    return [h('span', { class: 'ref' }, String(p.professionalId)), h('span', { class: 'muted' }, ' · '), org(p.organisation)];
  }

  function renderHousehold(view, mode) {
    var s = view.state || {};
    var id = String(s.householdId);
    document.title = 'Huishouden ' + id + ' – Routekaart naar Veiligheid';
    $('household-title').textContent = 'Huishouden ' + id;
    $('back-link').parentNode.hidden = mode === 'link';
    var metaLine = $('household-meta');
    clear(metaLine);
    append(metaLine, [
      phaseBadge(s.phase),
      ' sinds ',
      when(s.phaseStartedAt, false),
      ' · Escalatie ',
      levelBadge(view.escalationLevel),
      ' · Stand van ',
      when(view.asOf, true),
    ]);

    var plan = Array.isArray(view.plan) ? view.plan : [];
    var out = $('household-content');
    clear(out);
    out.append(
      h(
        'nav',
        { class: 'toc', 'aria-label': 'Onderdelen van dit huishouden' },
        h(
          'ul',
          null,
          [
            ['criteria', 'Exit-criteria'],
            ['planning', 'Termijnen'],
            ['rollen', 'Professionals'],
            ['gevaren', 'Gevaren'],
            ['overdrachten', 'Overdrachten'],
            ['huisverbod', 'Huisverbod'],
            ['escalaties', 'Escalaties'],
            ['netwerk', 'Netwerk'],
            ['fasen', 'Fasen'],
            ['afwijkingen', 'Afwijkingen'],
            ['waarschuwingen', 'Waarschuwingen'],
          ].map(function (x) {
            return h('li', null, h('a', { href: '#' + x[0] }, x[1]));
          }),
        ),
      ),
      h('div', { class: 'grid-2' }, renderCriteria(view, s), renderFacts(view, s)),
      renderPlan(plan),
      renderRoles(s),
      renderDangers(view, s),
      renderHandovers(s),
      renderHuisverbod(s, plan),
      renderEscalations(s),
      renderNetwork(s),
      renderPhases(s),
      renderOverrides(s),
      renderWarnings(s),
    );
  }

  function renderFacts(view, s) {
    var intake = s.intake || {};
    var members = Array.isArray(s.members) ? s.members : [];
    return section(
      'samenvatting',
      'Samenvatting',
      dl([
        ['Fase', phaseBadge(s.phase)],
        ['Fase gestart', when(s.phaseStartedAt, false)],
        ['Traject gestart (R-52)', when(s.startedAt, false)],
        [
          'Melding (R-01)',
          [VOCAB.reportSources[intake.source] || String(intake.source || '—'), ' via ', org(String(intake.reportingOrganisation || '—'))],
        ],
        [
          'Intake',
          [org(String(intake.organisation || '—')), ' · referentie ', h('span', { class: 'ref' }, String(intake.reference || '—'))],
        ],
        ['Lokaal team of GI (R-04)', yesNo(s.localTeamOrGi)],
        ['Jeugdbeschermer (R-65)', yesNo(s.jeugdbeschermer)],
        [
          'Gezinsleden',
          members.length
            ? h(
                'ul',
                { class: 'plain' },
                members.map(function (m) {
                  return h(
                    'li',
                    null,
                    h('span', { class: 'ref' }, String(m.ref)),
                    ' ',
                    h('span', { class: 'muted' }, m.isChild ? '(kind)' : m.vulnerableAdult ? '(kwetsbare volwassene)' : '(volwassene)'),
                  );
                }),
              )
            : '—',
        ],
        ['Volgende termijn', when(view.nextDeadline, true)],
        ['Open overdracht (R-24)', flag(view.openHandover, 'Ja')],
        [
          'Betrokken organisaties (R-64)',
          h(
            'ul',
            { class: 'plain' },
            (view.organisations || []).map(function (o) {
              return h('li', null, org(o));
            }),
          ),
        ],
        s.closedAt ? ['Afgesloten op', when(s.closedAt, false)] : null,
      ]),
    );
  }

  function renderCriteria(view, s) {
    var unmet = Array.isArray(view.unmet) ? view.unmet : [];
    var title = s.phase === 'afgesloten' ? 'Exit-criteria' : 'Nog niet gehaald om ' + (PHASE_LABEL[s.phase] || s.phase) + ' af te ronden';
    var body;
    if (s.phase === 'afgesloten') body = h('p', { class: 'ok' }, 'Het traject is afgesloten.');
    else if (!unmet.length)
      body = h('p', { class: 'ok' }, 'Alle exit-criteria van deze fase zijn gehaald; de casusregisseur kan de faseovergang vastleggen.');
    else
      body = h(
        'ul',
        { class: 'criteria', id: 'unmet' },
        unmet.map(function (u) {
          return h('li', null, rule(u.rule), h('span', { class: 'criterion-text' }, String(u.message)));
        }),
      );
    return section('criteria', title, body, unmet.length ? '(' + unmet.length + ')' : null);
  }

  function renderPlan(plan) {
    var sorted = plan.slice().sort(function (a, b) {
      return b.level - a.level || String(a.overdueAt || a.remindAt || '').localeCompare(String(b.overdueAt || b.remindAt || ''));
    });
    var rows = sorted.map(function (p) {
      return h(
        'tr',
        { class: p.level > 0 ? 'row-level-' + Math.min(3, p.level) : null },
        h('td', null, levelBadge(p.level)),
        h('td', null, rule(p.rule)),
        h('td', null, VOCAB.notificationKinds[p.kind] || String(p.kind)),
        h('td', { class: 'reason' }, String(p.reason)),
        h('td', null, when(p.remindAt, true)),
        h('td', null, when(p.overdueAt, true)),
        h('td', null, p.meetingAt ? when(p.meetingAt, true) : h('span', { class: 'muted' }, '—')),
      );
    });
    return section(
      'planning',
      'Termijnen, herinneringen en escalaties',
      table(
        'Termijnen en escalaties',
        ['Niveau', 'Regel', 'Soort', 'Wat en waarom', 'Herinnering', 'Over tijd vanaf', 'Bijeenkomst'],
        rows,
        'Er staat niets gepland.',
      ),
    );
  }

  function renderRoles(s) {
    var roles = s.roles || {};
    var open = (s.handovers || []).filter(function (x) {
      return !x.confirmedAt && !x.cancelledAt;
    });
    var rows = VOCAB.roles.map(function (r) {
      var holder = roles[r.value];
      var pending = open.filter(function (x) {
        return x.role === r.value;
      })[0];
      return h(
        'tr',
        null,
        h('th', { scope: 'row' }, r.label),
        h(
          'td',
          null,
          holder ? h('span', { class: 'ref' }, String(holder.professionalId)) : h('span', { class: 'muted' }, 'Niet toegewezen'),
        ),
        h('td', null, holder ? org(holder.organisation) : '—'),
        h('td', null, holder ? when(holder.since, false) : '—'),
        h(
          'td',
          null,
          pending
            ? h('span', { class: 'badge flag flag-on' }, 'Overdracht naar ', String(pending.to.professionalId), ' loopt')
            : h('span', { class: 'muted' }, '—'),
        ),
      );
    });
    var history = (s.roleHistory || [])
      .slice()
      .reverse()
      .map(function (e) {
        return h(
          'tr',
          null,
          h('td', null, ROLE_LABEL[e.role] || String(e.role)),
          h('td', null, professional(e)),
          h('td', null, when(e.from, false)),
          h('td', null, e.to ? when(e.to, false) : h('span', { class: 'muted' }, 'nu')),
          h('td', null, ROLE_VIA[e.via] || String(e.via)),
        );
      });
    return section('rollen', 'Verantwoordelijke professionals', [
      table('Rollen en professionals', ['Rol', 'Professional', 'Organisatie', 'Sinds', 'Overdracht (R-24)'], rows, ''),
      h(
        'details',
        { class: 'more' },
        h('summary', null, 'Wie had welke rol wanneer'),
        table('Rolgeschiedenis', ['Rol', 'Professional', 'Van', 'Tot', 'Hoe'], history, 'Nog geen rollen toegewezen.'),
      ),
    ]);
  }

  function latestPerGroup(scores, dangerId) {
    var out = {};
    scores.forEach(function (x) {
      if (x.dangerId !== dangerId) return;
      var cur = out[x.group];
      if (!cur || x.date > cur.date || (x.date === cur.date && String(x.recordedAt) > String(cur.recordedAt))) out[x.group] = x;
    });
    return out;
  }

  function renderDangers(view, s) {
    var dangers = Array.isArray(s.dangers) ? s.dangers : [];
    var scores = Array.isArray(s.scores) ? s.scores : [];
    var runs = {};
    (view.runs || []).forEach(function (r) {
      runs[r.dangerId] = r;
    });
    var rows = dangers.map(function (d) {
      var latest = latestPerGroup(scores, d.id);
      var run = runs[d.id] || { riskMonths: 0, consensusMonths: 0 };
      return h(
        'tr',
        null,
        h('td', { class: 'num' }, String(d.priority)),
        h('th', { scope: 'row' }, h('span', { class: 'ref' }, String(d.id))),
        h(
          'td',
          null,
          h('div', null, h('strong', null, 'Gevaar: '), String(d.statement)),
          h('div', null, h('strong', null, 'Doel: '), String(d.safetyGoal)),
          d.scaleQuestion ? h('div', { class: 'muted' }, 'Schaalvraag: ', String(d.scaleQuestion)) : null,
        ),
        VOCAB.scoreGroups.map(function (g) {
          var x = latest[g.value];
          if (!x) return h('td', { class: 'num' }, h('span', { class: 'muted' }, '—'));
          return h('td', { class: 'num' }, scoreBadge(x.value), h('div', { class: 'small muted' }, when(x.date, false)));
        }),
        h('td', { class: 'num' }, run.riskMonths + ' van ' + VOCAB.policy.riskRunMonths + ' mnd'),
        h('td', { class: 'num' }, run.consensusMonths + ' van ' + VOCAB.policy.stableSafetyEvaluations),
      );
    });
    var headers = ['Prio', 'Gevaar', 'Gevaarsomschrijving en veiligheidsdoel']
      .concat(
        VOCAB.scoreGroups.map(function (g) {
          return { text: g.label, cls: 'num' };
        }),
      )
      .concat([
        { text: 'Reeks ≥ 6 (R-39)', cls: 'num' },
        { text: 'Consensus ≥ 7 (R-46)', cls: 'num' },
      ]);
    var all = scores
      .slice()
      .sort(function (a, b) {
        return String(b.date).localeCompare(String(a.date)) || String(b.recordedAt).localeCompare(String(a.recordedAt));
      })
      .map(function (x) {
        return h(
          'tr',
          null,
          h('td', null, when(x.date, false)),
          h('td', null, h('span', { class: 'ref' }, String(x.dangerId))),
          h('td', null, GROUP_LABEL[x.group] || String(x.group)),
          h('td', { class: 'num' }, scoreBadge(x.value)),
          h('td', null, String(x.observedBehaviour)),
          h('td', null, h('span', { class: 'ref' }, String(x.recordedBy))),
        );
      });
    return section('gevaren', 'Gevaren en veiligheidsschalen', [
      table('Gevaren, laatste score per groep en reeksen', headers, rows, 'Nog geen gevaarsomschrijving vastgelegd (R-12).'),
      all.length
        ? h(
            'details',
            { class: 'more' },
            h('summary', null, 'Alle scores met geobserveerd gedrag (' + all.length + ')'),
            table(
              'Alle scores',
              ['Datum', 'Gevaar', 'Groep', { text: 'Score', cls: 'num' }, 'Geobserveerd gedrag', 'Vastgelegd door'],
              all,
              '',
            ),
          )
        : null,
    ]);
  }

  function scoreBadge(value) {
    var v = Number(value);
    return h('span', { class: 'score score-' + (v >= 7 ? 'high' : v >= 6 ? 'ok' : 'low') }, String(value));
  }

  function renderHandovers(s) {
    var list = (s.handovers || []).slice().sort(function (a, b) {
      var ao = !a.confirmedAt && !a.cancelledAt,
        bo = !b.confirmedAt && !b.cancelledAt;
      return (ao === bo ? 0 : ao ? -1 : 1) || String(b.requestedAt).localeCompare(String(a.requestedAt));
    });
    var rows = list.map(function (x) {
      var status = x.cancelledAt
        ? ['Ingetrokken op ', when(x.cancelledAt, false)]
        : x.confirmedAt
          ? ['Gestart op ', when(x.startDate || x.confirmedAt, false)]
          : h('span', { class: 'badge flag flag-on' }, 'Open: vertrekkende professional blijft verantwoordelijk');
      return h(
        'tr',
        { class: !x.confirmedAt && !x.cancelledAt ? 'row-open' : null },
        h('td', null, ROLE_LABEL[x.role] || String(x.role)),
        h('td', null, professional(x.from)),
        h('td', null, professional(x.to)),
        h('td', null, VOCAB.handoverReasons[x.reason] || String(x.reason)),
        h('td', null, when(x.requestedAt, true)),
        h('td', null, status),
      );
    });
    return section(
      'overdrachten',
      'Overdrachten',
      table('Overdrachten', ['Rol', 'Van', 'Naar', 'Reden', 'Aangevraagd', 'Status'], rows, 'Geen overdrachten.'),
      '(R-24: pas loslaten als je collega gestart is)',
    );
  }

  function renderHuisverbod(s, plan) {
    var hv = s.huisverbod;
    if (!hv) return section('huisverbod', 'Huisverbod', h('p', { class: 'empty' }, 'Geen huisverbod geregistreerd.'), '(R-25)');
    var pending = plan.some(function (p) {
      return p.kind === 'huisverbod';
    });
    return section(
      'huisverbod',
      'Huisverbod',
      dl([
        ['Ingegaan', when(hv.startDate, false)],
        ['Eindigt', when(hv.endDate, false)],
        [
          'Verlengingen',
          (hv.extensions || []).length
            ? h(
                'ul',
                { class: 'plain' },
                hv.extensions.map(function (e) {
                  return h(
                    'li',
                    null,
                    'tot ',
                    when(e.endDate, false),
                    h('span', { class: 'muted' }, ' (vastgelegd ', when(e.recordedAt, false), ')'),
                  );
                }),
              )
            : 'Geen',
        ],
        ['Begeleid door', professional(hv.guidedBy)],
        s.phase === 'afgesloten'
          ? null
          : [
              'Overdracht naar veiligheidsplanner',
              pending ? h('span', { class: 'badge flag flag-on' }, 'Nog niet bevestigd') : h('span', { class: 'ok' }, 'Bevestigd'),
            ],
      ]),
      '(R-25)',
    );
  }

  function renderEscalations(s) {
    var list = (s.escalations || []).slice().sort(function (a, b) {
      return (a.resolvedAt ? 1 : 0) - (b.resolvedAt ? 1 : 0) || String(b.raisedAt).localeCompare(String(a.raisedAt));
    });
    var rows = list.map(function (e) {
      return h(
        'tr',
        { class: e.resolvedAt ? null : 'row-level-' + Math.max(1, Math.min(3, Number(e.level) || 1)) },
        h('td', null, levelBadge(e.level)),
        h('td', null, rule(e.rule)),
        h('td', { class: 'reason' }, String(e.reason)),
        h('td', null, when(e.raisedAt, true)),
        h('td', null, when(e.levelSince, true)),
        h('td', null, e.resolvedAt ? when(e.resolvedAt, true) : h('span', { class: 'badge flag flag-on' }, 'Loopt')),
      );
    });
    return section(
      'escalaties',
      'Escalatiegeschiedenis',
      table('Escalaties', ['Niveau', 'Regel', 'Reden', 'Gestart', 'Niveau sinds', 'Opgelost'], rows, 'Nog geen escalaties.'),
    );
  }

  function renderNetwork(s) {
    var network = Array.isArray(s.network) ? s.network : [];
    var activeSocial = network.filter(function (n) {
      return n.active && n.kind === 'sociaal';
    }).length;
    var rows = network.map(function (n) {
      return h(
        'tr',
        null,
        h('th', { scope: 'row' }, h('span', { class: 'ref' }, String(n.id))),
        h('td', null, n.kind === 'sociaal' ? 'Sociaal netwerk' : 'Professioneel'),
        h('td', null, yesNo(n.active)),
        h('td', null, yesNo(n.chair)),
        h('td', null, (n.safetyPersonFor || []).length ? (n.safetyPersonFor || []).join(', ') : h('span', { class: 'muted' }, '—')),
        h('td', null, when(n.since, false)),
      );
    });
    return section('netwerk', 'Netwerk', [
      h(
        'p',
        null,
        activeSocial +
          ' actieve niet-professionele betrokkenen; regionale norm bij afsluiten: minimaal ' +
          VOCAB.policy.minimumActiveSocialNetwork +
          ' (R-51).',
      ),
      table(
        'Netwerkleden',
        ['Netwerklid', 'Soort', 'Actief', 'Voorzitter (R-41)', 'Veiligheidspersoon voor (R-16)', 'Sinds'],
        rows,
        'Nog geen netwerkleden vastgelegd (R-11).',
      ),
    ]);
  }

  function renderPhases(s) {
    var rows = (s.phaseHistory || []).map(function (p) {
      var from = parseWhen(p.from),
        to = p.to ? parseWhen(p.to) : new Date();
      var days = from && to ? Math.max(0, Math.round((to - from) / 86400000)) : null;
      return h(
        'tr',
        null,
        h('td', null, phaseBadge(p.phase)),
        h('td', null, when(p.from, false)),
        h('td', null, p.to ? when(p.to, false) : h('span', { class: 'muted' }, 'nu')),
        h('td', { class: 'num' }, days === null ? '—' : days + (days === 1 ? ' dag' : ' dagen')),
        h('td', null, PHASE_VIA[p.via] || String(p.via)),
      );
    });
    return section(
      'fasen',
      'Fasen',
      table('Fasegeschiedenis', ['Fase', 'Van', 'Tot', { text: 'Duur', cls: 'num' }, 'Hoe'], rows, 'Geen fasegeschiedenis.'),
      '(R-61: tijd per fase)',
    );
  }

  function renderOverrides(s) {
    var rows = (s.overrides || []).map(function (o) {
      return h(
        'tr',
        null,
        h('td', null, when(o.at, true)),
        h('td', null, h('span', { class: 'ref' }, String(o.by))),
        h('td', null, phaseBadge(o.from), ' → ', phaseBadge(o.to)),
        h(
          'td',
          null,
          (o.unmet || []).map(function (r) {
            return rule(r);
          }),
        ),
        h('td', null, String(o.justification)),
      );
    });
    return section(
      'afwijkingen',
      'Afwijkingen van de criteria',
      table('Faseovergangen met afwijking', ['Datum', 'Door', 'Overgang', 'Niet gehaald', 'Onderbouwing'], rows, 'Geen afwijkingen.'),
      '(override door de casusregisseur)',
    );
  }

  function renderWarnings(s) {
    var rows = (s.warnings || [])
      .slice()
      .reverse()
      .map(function (w) {
        return h('tr', null, h('td', null, when(w.at, true)), h('td', null, rule(w.rule)), h('td', null, String(w.message)));
      });
    return section(
      'waarschuwingen',
      'Waarschuwingen',
      table('Waarschuwingen', ['Datum', 'Regel', 'Melding'], rows, 'Geen waarschuwingen.'),
    );
  }

  // ---------------------------------------------------------------- start

  function fillOptions() {
    var phase = $('f-phase');
    VOCAB.phases.forEach(function (p) {
      phase.append(h('option', { value: p.value }, p.label));
    });
    // The API filters on a minimum level; level 0 would be "all".
    var level = $('f-escalation');
    LEVELS.slice(1).forEach(function (l) {
      level.append(
        h('option', { value: String(l.level) }, l.level < 3 ? 'Vanaf ' + l.long.charAt(0).toLowerCase() + l.long.slice(1) : l.long),
      );
    });
    var orgs = $('organisation-list');
    Object.keys(VOCAB.organisations).forEach(function (id) {
      orgs.append(h('option', { value: id }, VOCAB.organisations[id]));
    });
  }

  function start() {
    fillOptions();
    $('login-form').addEventListener('submit', onLogin);
    $('filters').addEventListener('submit', onFilter);
    $('filters').addEventListener('reset', onFilterReset);
    $('logout').addEventListener('click', logout);
    $('page-first').addEventListener('click', function () {
      loadOverview(0);
    });
    $('page-prev').addEventListener('click', function () {
      loadOverview(Math.max(0, paging.index - 1));
    });
    $('page-next').addEventListener('click', function () {
      if (!paging.next) return;
      paging.tokens[paging.index + 1] = paging.next;
      loadOverview(paging.index + 1);
    });
    window.addEventListener('popstate', route);
    route();
  }

  start();
})();
