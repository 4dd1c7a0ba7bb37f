// The admin page. The admin token is asked once and kept in sessionStorage. Live progress comes
// from /api/events read through fetch(), not EventSource: EventSource cannot send the
// Authorization header, and a token in the URL would end up in logs and history.
'use strict';

(() => {
  const { t, el, tokens } = Ancla;
  const $ = (id) => document.getElementById(id);
  const state = { status: null, job: null, lastJob: null, live: false, stream: null, refreshed: 0 };

  Ancla.applyStrings();
  Ancla.languageToggle($('lang-toggle'), () => {
    renderAll();
    if (!$('dashboard').hidden) {
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

  if (tokens.get('admin')) start();
  else signOut('');

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
  }

  function renderJob() {
    const job = state.job;
    const bar = $('job-progress');
    $('live').textContent = state.stream ? (state.live ? t('admin.live') : t('admin.reconnecting')) : '';
    $('live').className = 'badge' + (state.live ? ' on' : '');
    if (job) {
      if (job.documentsTotal > 0) bar.value = Math.min(1, Math.max(0, job.fraction || 0));
      else bar.removeAttribute('value'); // indeterminate while planning
      bar.dataset.done = job.documentsDone;
      $('job-text').textContent = job.kind + ' ' + job.id + ': '
        + t('admin.jobLine', t('phase.' + job.phase), Ancla.number(job.documentsDone), Ancla.number(job.documentsTotal))
        + ' (' + Math.round((job.fraction || 0) * 100) + ' %)';
      const eta = job.etaSeconds === null || job.etaSeconds === undefined
        ? t('admin.etaUnknown') : t('admin.eta', Ancla.duration(job.etaSeconds));
      $('job-rate').textContent = t('admin.rate', (job.chunksPerSecond || 0).toFixed(1)) + ' · ' + eta;
    } else {
      bar.value = state.lastJob ? 1 : 0;
      delete bar.dataset.done;
      $('job-text').textContent = t('admin.idle');
      $('job-rate').textContent = '';
    }
    $('sync').disabled = !!job;
    $('reindex').disabled = !!job;
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

  async function loadSnapshots() {
    const list = $('snapshots');
    const note = $('snapshots-note');
    const response = await call('GET', '/api/snapshots').catch(() => null);
    if (!response) return;
    if (!response.ok) {
      list.replaceChildren();
      note.textContent = t('admin.snapshotsUnavailable', await Ancla.errorOf(response));
      return;
    }
    const body = await response.json();
    const items = Array.isArray(body) ? body : body.snapshots || body.manifests || [];
    list.replaceChildren(...items.map(snapshotItem));
    const integrity = body.integrity;
    if (!items.length) note.textContent = t('admin.snapshotsNone');
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
