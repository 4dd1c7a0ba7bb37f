// The admin page. The admin token is asked once and kept in sessionStorage. Live progress comes
// from /api/events read through fetch(), not EventSource: EventSource cannot send the
// Authorization header, and a token in the URL would end up in logs and history.
'use strict';

(() => {
  const { t, el, tokens } = Ancla;
  const $ = (id) => document.getElementById(id);
  const state = {
    status: null, job: null, lastJob: null, live: false, stream: null, refreshed: 0, adminOff: false,
    snapshotCalls: 0,
  };

  Ancla.applyStrings();
  Ancla.languageToggle($('lang-toggle'), () => {
    renderAll();
    if (state.adminOff) {
      for (const id of ['message', 'snapshots-note', 'failed-note']) $(id).textContent = t('admin.off');
    } else if (!$('dashboard').hidden) {
      loadSnapshots();
      loadFailed();
    }
  });

  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    tokens.set('admin', $('token').value.trim());
    $('token').value = '';
    start();
  });
  $('logout').addEventListener('click', () => signOut(''));
  $('sync').addEventListener('click', () => startJob('/api/sync'));
  $('reindex').addEventListener('click', () =>
    startJob($('reindex').dataset.force ? '/api/reindex?force=true' : '/api/reindex'));
  $('snapshot-now').addEventListener('click', snapshotNow);

  boot();

  /**
   * Without ANCLA_ADMIN_TOKEN the server refuses every admin call with 403 whatever the token:
   * say so before asking for one. Otherwise ask for the token, or use the one of this session.
   */
  async function boot() {
    const probe = await fetch('/api/documents?limit=1', { headers: { Accept: 'application/json' } })
      .catch(() => null);
    if (probe?.status === 403) {
      adminOff();
      return;
    }
    if (tokens.get('admin')) start();
    else signOut('');
  }

  /** Admin is off: the reason and how to turn it on, the status when it is open, no actions. */
  async function adminOff() {
    state.adminOff = true;
    tokens.forget('admin');
    $('login').hidden = true;
    $('logout').hidden = true;
    $('dashboard').hidden = false;
    $('message').textContent = t('admin.off');
    $('message').dataset.off = '1';
    $('snapshots-note').textContent = t('admin.off');
    $('failed-note').textContent = t('admin.off');
    renderJob();
    const response = await fetch('/api/status', { headers: { Accept: 'application/json' } })
      .catch(() => null);
    if (response?.ok) showStatus(await response.json()); // open when there is no API token
  }

  function signOut(message) {
    tokens.forget('admin');
    state.stream?.abort();
    state.stream = null;
    $('dashboard').hidden = true;
    $('logout').hidden = true;
    $('login').hidden = false;
    $('message').textContent = message;
    $('token').focus();
  }

  /** fetch with the admin token; a 401 sends the user back to the token form. */
  async function call(method, url) {
    const response = await fetch(url, {
      method,
      headers: { Accept: 'application/json', ...Ancla.authHeaders(tokens.get('admin')) },
    });
    if (response.status === 401) {
      signOut(t('token.wrong', await Ancla.errorOf(response)));
      throw new Error('unauthorized');
    }
    return response;
  }

  async function start() {
    // An admin call checks the token: /api/status alone accepts any token when no API token is set
    const check = await call('GET', '/api/documents?limit=1').catch(() => null);
    if (!check) return;
    if (check.status === 403) {
      adminOff();
      return;
    }
    const response = await call('GET', '/api/status').catch(() => null);
    if (!response) return;
    if (!response.ok) {
      $('message').textContent = t('error.prefix', await Ancla.errorOf(response));
      return;
    }
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('logout').hidden = false;
    $('message').textContent = '';
    showStatus(await response.json());
    listen();
    loadSnapshots();
    loadFailed();
  }

  async function refresh() {
    state.refreshed = Date.now();
    const response = await call('GET', '/api/status').catch(() => null);
    if (response?.ok) showStatus(await response.json());
  }

  function showStatus(status) {
    state.status = status;
    adoptJobs(status.job, status.lastJob);
    renderAll();
  }

  /**
   * Takes the server's view of the running and the last job. A status answer or the event
   * stream's first `state` event can be older than the job this page just started (it was
   * written before the click and read after), so it may replace the job shown with another one,
   * and clear it only when it reports that very job as finished.
   */
  function adoptJobs(job, lastJob) {
    if (job) {
      if (!state.job || job.id !== state.job.id) state.job = job;
    } else if (state.job && lastJob && lastJob.id === state.job.id) {
      state.job = null;
    }
    state.lastJob = lastJob;
  }

  function renderAll() {
    renderStatus();
    renderJob();
  }

  function renderStatus() {
    const s = state.status;
    if (!s) return;
    $('s-documents').textContent = Ancla.number(s.documents);
    $('s-chunks').textContent = Ancla.number(s.chunks);
    $('s-failed').textContent = Ancla.number(s.failed);
    $('s-skipped').textContent = Ancla.number(s.skipped);
    $('s-size').textContent = Ancla.bytes(s.indexBytes);
    $('s-model').textContent = s.model ? s.model + (s.dimension ? ' (' + s.dimension + ')' : '') : t('admin.none');
    $('s-commit').textContent = s.lastCommit
      ? t('admin.commit', s.lastCommit.generation, Ancla.dateTime(s.lastCommit.time))
      : t('admin.none');
    renderSources(s.sources || []);
  }

  /** One row per source: kind and root, last sync and cursor age, counts, last error. */
  function renderSources(sources) {
    const el = Ancla.el;
    const count = (n) => (n === null || n === undefined ? '—' : Ancla.number(n));
    $('sources').querySelector('tbody').replaceChildren(...sources.map((src) => el('tr', {},
      el('td', {}, el('strong', {}, String(src.id)), ' · ' + src.kind + ' · ', el('code', {}, String(src.root))),
      el('td', {}, Ancla.dateTime(src.lastSync),
        src.cursorAgeSeconds !== null && src.cursorAgeSeconds !== undefined
          ? el('span', { class: 'hint' }, ' · ' + t('admin.cursorAge', Ancla.duration(src.cursorAgeSeconds)))
          : null),
      el('td', {}, [src.listed, src.indexed, src.skipped, src.failed].map(count).join(' · ')),
      el('td', { class: src.lastError ? 'error' : '' }, src.lastError || t('admin.none'),
        src.listingSkipped > 0
          ? el('details', { class: 'listing-skips' },
            el('summary', {}, t('admin.listingSkips', Ancla.number(src.listingSkipped))),
            el('ul', {}, ...(src.listingSkips || []).map((why) => el('li', {}, String(why)))))
          : null))));
  }

  function renderJob() {
    const job = state.job;
    const bar = $('job-progress');
    $('live').textContent = state.stream ? (state.live ? t('admin.live') : t('admin.reconnecting')) : '';
    $('live').className = 'badge' + (state.live ? ' on' : '');
    if (job) {
      bar.dataset.done = job.documentsDone;
      if (job.phase === 'planning' || !(job.documentsTotal > 0)) {
        // nothing counted yet: no "0 of 0 (100 %)", an indeterminate bar
        bar.removeAttribute('value');
        $('job-text').textContent = job.kind + ' ' + job.id + ': '
          + (job.phase === 'planning' ? t('admin.jobPlanning', t('phase.planning')) : t('phase.' + job.phase));
      } else {
        bar.value = Math.min(1, Math.max(0, job.fraction || 0));
        $('job-text').textContent = job.kind + ' ' + job.id + ': '
          + t('admin.jobLine', t('phase.' + job.phase), Ancla.number(job.documentsDone), Ancla.number(job.documentsTotal))
          + ' (' + Math.round((job.fraction || 0) * 100) + ' %)';
      }
      const eta = job.etaSeconds === null || job.etaSeconds === undefined
        ? t('admin.etaUnknown') : t('admin.eta', Ancla.duration(job.etaSeconds));
      $('job-rate').textContent = t('admin.rate', (job.chunksPerSecond || 0).toFixed(1)) + ' · ' + eta;
    } else {
      bar.value = state.lastJob ? 1 : 0;
      delete bar.dataset.done;
      $('job-text').textContent = t('admin.idle');
      $('job-rate').textContent = '';
    }
    $('sync').disabled = !!job || state.adminOff;
    $('reindex').disabled = !!job || state.adminOff;
    $('snapshot-now').disabled = state.adminOff;
    $('last-job').textContent = lastJobLine(state.lastJob);
  }

  function lastJobLine(last) {
    if (!last) return '';
    if (last.error) return t('admin.lastJobFailed', last.kind, last.error);
    const r = last.report || {};
    if (last.kind === 'reindex') {
      return t('admin.lastReindex', t('state.' + last.state), r.documents ?? 0, r.toModel ?? '',
        r.chunksEmbedded ?? 0, r.seconds ?? 0);
    }
    return t('admin.lastJob', last.kind, t('state.' + last.state), r.added ?? 0, r.changed ?? 0,
      r.deleted ?? 0, r.failed ?? 0, r.seconds ?? 0);
  }

  /** Follows /api/events until signed out; reconnects after a pause when the stream ends. */
  async function listen() {
    state.stream?.abort();
    const controller = new AbortController();
    state.stream = controller;
    while (!controller.signal.aborted) {
      try {
        const response = await fetch('/api/events', {
          headers: { Accept: 'text/event-stream', ...Ancla.authHeaders(tokens.get('admin')) },
          signal: controller.signal,
        });
        if (response.status === 401) {
          signOut(t('token.wrong', await Ancla.errorOf(response)));
          return;
        }
        if (!response.ok) throw new Error(await Ancla.errorOf(response));
        state.live = true;
        renderJob();
        await Ancla.readEvents(response, onEvent);
      } catch (err) {
        if (controller.signal.aborted) return;
      }
      state.live = false;
      renderJob();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  function onEvent(name, data) {
    const body = JSON.parse(data);
    if (name === 'state') {
      adoptJobs(body.job, body.lastJob);
    } else if (name === 'progress') {
      state.job = body;
      if (Date.now() - state.refreshed > 2000) refresh(); // the counts grow at each checkpoint
    } else if (name === 'done') {
      // the end of the job shown, or of one that ended before this page heard of it
      if (!state.job || state.job.id === body.id) state.job = null;
      state.lastJob = body;
      refresh();
      loadFailed();
    } else if (name === 'snapshot') {
      loadSnapshots(); // one started or ended, on demand or after a commit
    }
    renderJob();
  }

  async function startJob(url) {
    const response = await call('POST', url).catch(() => null);
    if (!response) return;
    setForce(false);
    if (response.ok) {
      const body = await response.json();
      if (body.job) {
        state.job = body.job;
        $('message').textContent = t('admin.started', body.job.id);
      }
      renderJob();
    } else {
      const body = await response.clone().json().catch(() => ({}));
      // 409 with the model: the index is up to date; a second click re-embeds anyway
      if (response.status === 409 && url.startsWith('/api/reindex') && body.model) {
        $('message').textContent = t('admin.upToDate', body.model);
        setForce(true);
      } else {
        $('message').textContent = t('error.prefix', await Ancla.errorOf(response));
      }
    }
  }

  function setForce(on) {
    const button = $('reindex');
    if (on) button.dataset.force = '1';
    else delete button.dataset.force;
    button.textContent = t(on ? 'admin.reindexAnyway' : 'admin.reindex');
  }

  /**
   * Lists the snapshots. Called on "Snapshot now" and on each `snapshot` event, so answers may
   * cross: only the newest call's answer is shown. While one runs, it looks again in a while, in
   * case the event of its end is missed (a reconnecting stream).
   */
  async function loadSnapshots() {
    const list = $('snapshots');
    const note = $('snapshots-note');
    const mine = ++state.snapshotCalls;
    const response = await call('GET', '/api/snapshots').catch(() => null);
    if (!response || mine !== state.snapshotCalls) return;
    if (!response.ok) {
      list.replaceChildren();
      note.textContent = t('admin.snapshotsUnavailable', await Ancla.errorOf(response));
      return;
    }
    const body = await response.json();
    if (mine !== state.snapshotCalls) return;
    if (body.running) {
      setTimeout(() => { if (mine === state.snapshotCalls) loadSnapshots(); }, 3000);
    }
    const items = Array.isArray(body) ? body : body.snapshots || body.manifests || [];
    list.replaceChildren(...items.map(snapshotItem));
    const integrity = body.integrity;
    if (body.running) note.textContent = t('admin.snapshotRunning', body.running.id);
    else if (!items.length) note.textContent = t('admin.snapshotsNone');
    else if (integrity && !integrity.restorable) note.textContent = t('admin.notRestorable');
    else if (body.lastVerified) {
      note.textContent = t('admin.lastVerified', body.lastVerified)
        + (integrity && integrity.badBlobs.length ? ' · ' + t('admin.badBlobs', integrity.badBlobs.length) : '');
    } else note.textContent = '';
    note.classList.toggle('error', !!(integrity && items.length && !integrity.restorable));
  }

  /** One snapshot, whatever the manifest's exact fields: its name, then the known details. */
  function snapshotItem(s) {
    if (typeof s !== 'object' || s === null) return el('li', {}, String(s));
    const name = s.name || s.key || s.manifest || s.id || '';
    const details = [];
    const time = s.time || s.createdAt || s.created;
    if (time) details.push(Ancla.dateTime(time));
    if (s.generation !== undefined) details.push(t('admin.commit', s.generation, '').replace(/ · $/, ''));
    if (s.documents !== undefined) details.push(Ancla.number(s.documents) + ' ' + t('admin.documents').toLowerCase());
    if (s.bytes !== undefined || s.size !== undefined) details.push(Ancla.bytes(s.bytes ?? s.size));
    if (s.bad) details.push(t('admin.snapshotBad'));
    return el('li', {}, el('span', { class: 'mono' }, String(name)), details.length ? ' · ' + details.join(' · ') : '');
  }

  async function snapshotNow() {
    const response = await call('POST', '/api/snapshots').catch(() => null);
    if (!response) return;
    $('message').textContent = response.ok
      ? t('admin.snapshotStarted')
      : t('error.prefix', await Ancla.errorOf(response));
    loadSnapshots();
  }

  async function loadFailed() {
    const response = await call('GET', '/api/documents?status=failed&limit=100').catch(() => null);
    if (!response) return;
    const note = $('failed-note');
    const table = $('failed');
    if (!response.ok) {
      note.textContent = t('error.prefix', await Ancla.errorOf(response));
      table.hidden = true;
      return;
    }
    const body = await response.json();
    const rows = body.documents.map((d) =>
      el('tr', {}, el('td', { class: 'mono' }, d.source + '/' + d.path), el('td', {}, d.error || '')));
    table.tBodies[0].replaceChildren(...rows);
    table.hidden = rows.length === 0;
    note.textContent = rows.length === 0 ? t('admin.failedNone') : t('admin.failedTotal', Ancla.number(body.total));
  }
})();
