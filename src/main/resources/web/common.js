// Shared by the chat and admin pages: UI strings (Spanish and English), tokens kept for the
// browser session, a reader of server-sent events over fetch(), and a safe element builder.
// Untrusted text (documents, answers, errors) only ever goes into text nodes, never parsed as HTML.
'use strict';

const Ancla = (() => {
  const STRINGS = {
    es: {
      'lang.other': 'English',
      'nav.chat': 'Chat',
      'nav.admin': 'Administración',
      'chat.title': 'Pregunta a tus documentos',
      'chat.label': 'Pregunta',
      'chat.placeholder': 'p. ej. ¿Cómo se restaura una copia de seguridad?',
      'chat.ask': 'Preguntar',
      'chat.hint': 'Enter envía; Mayús+Enter añade una línea.',
      'chat.empty': 'Las respuestas citan los documentos de los que salen: pulsa un número para ver la fuente. Puedes seguir preguntando sobre la respuesta; «Nueva conversación» empieza de cero.',
      'chat.new': 'Nueva conversación',
      'chat.thinking': 'Buscando en los documentos…',
      'chat.sources': 'Fuentes',
      'chat.conversation': 'Conversación',
      'chat.page': 'pág. {0}',
      'chat.you': 'Pregunta',
      'chat.answer': 'Respuesta',
      'chat.meta.extractive': 'Extractiva · {0} ms',
      'chat.meta.llm': 'Generada por {1} · {0} ms',
      'chat.noAnswer': 'Sin respuesta.',
      'error.prefix': 'Error: {0}',
      'error.network': 'No se pudo contactar con el servidor ({0}).',
      'error.status': 'El servidor respondió {0}.',
      'token.api.label': 'Token de la API',
      'token.api.hint': 'Este servidor pide un token para consultar. Se guarda solo en esta pestaña hasta que la cierres.',
      'token.admin.label': 'Token de administración',
      'token.admin.hint': 'El valor de ANCLA_ADMIN_TOKEN. Se guarda solo en esta sesión del navegador.',
      'token.save': 'Entrar',
      'token.forget': 'Cerrar sesión',
      'token.wrong': 'El token no es válido: {0}',
      'admin.title': 'Administración',
      'admin.status': 'Estado',
      'admin.documents': 'Documentos',
      'admin.chunks': 'Fragmentos',
      'admin.failed': 'Con errores',
      'admin.skipped': 'Omitidos',
      'admin.model': 'Modelo',
      'admin.indexSize': 'Tamaño del índice',
      'admin.lastCommit': 'Último commit',
      'admin.commit': 'generación {0} · {1}',
      'admin.sources': 'Fuentes',
      'admin.source': 'Fuente',
      'admin.lastSync': 'Última sincronización',
      'admin.sourceCounts': 'Listados · indexados · omitidos · con errores',
      'admin.lastError': 'Último error',
      'admin.listingSkips': '{0} omitidos al listar (atajos rotos o en bucle)',
      'admin.cursorAge': 'cursor de hace {0}',
      'admin.none': '—',
      'admin.job': 'Trabajo en curso',
      'admin.idle': 'Ningún trabajo en curso.',
      'admin.jobLine': '{0} · {1} de {2} documentos',
      'admin.rate': '{0} fragmentos/s',
      'admin.eta': 'quedan {0}',
      'admin.etaUnknown': 'calculando el tiempo restante…',
      'admin.lastJob': 'Último trabajo ({0}): {1} · {2} añadidos, {3} cambiados, {4} borrados, {5} con errores · {6} s',
      'admin.lastJobFailed': 'Último trabajo ({0}) falló: {1}',
      'admin.sync': 'Sincronizar',
      'admin.reindex': 'Reindexar',
      'admin.reindexAnyway': 'Reindexar de todos modos',
      'admin.upToDate': 'El índice ya está calculado con el modelo configurado ({0}). Pulsa otra vez para volver a calcular todos los vectores.',
      'admin.lastReindex': 'Último reindexado: {0} · {1} documentos con {2}, {3} fragmentos calculados · {4} s',
      'admin.started': 'Trabajo {0} iniciado.',
      'admin.snapshots': 'Snapshots',
      'admin.snapshotNow': 'Snapshot ahora',
      'admin.snapshotStarted': 'Snapshot solicitado.',
      'admin.snapshotsNone': 'Aún no hay snapshots.',
      'admin.snapshotRunning': 'Snapshot {0} en curso…',
      'admin.off': 'La administración está desactivada: este servidor no tiene ANCLA_ADMIN_TOKEN. Para activarla, define ANCLA_ADMIN_TOKEN con un secreto de al menos 16 caracteres (por ejemplo, la salida de `openssl rand -hex 32`) y reinicia Ancla.',
      'admin.jobPlanning': '{0} · buscando los archivos que cambiaron…',
      'admin.snapshotBad': 'DAÑADO: no pasó la verificación',
      'admin.notRestorable': 'Ningún snapshot se puede restaurar: el próximo vuelve a subir lo que falta.',
      'admin.lastVerified': 'Último snapshot verificado: {0}',
      'admin.badBlobs': '{0} blobs dañados sin reparar',
      'admin.snapshotsUnavailable': 'Snapshots no configurados: {0}',
      'admin.failedDocs': 'Documentos con errores',
      'admin.failedNone': 'Ningún documento ha fallado.',
      'admin.failedTotal': '{0} documentos con errores',
      'admin.path': 'Archivo',
      'admin.reason': 'Motivo',
      'admin.live': 'en directo',
      'admin.reconnecting': 'reconectando…',
      'phase.planning': 'planificando',
      'phase.indexing': 'indexando',
      'phase.committing': 'guardando',
      'phase.done': 'terminando',
      'state.complete': 'completo',
      'state.stopped': 'detenido',
      'state.failed': 'fallido',
    },
    en: {
      'lang.other': 'Español',
      'nav.chat': 'Chat',
      'nav.admin': 'Admin',
      'chat.title': 'Ask your documents',
      'chat.label': 'Question',
      'chat.placeholder': 'e.g. How do I restore a backup?',
      'chat.ask': 'Ask',
      'chat.hint': 'Enter sends; Shift+Enter adds a line.',
      'chat.empty': 'Answers cite the documents they come from: select a number to see the source. You can ask follow-up questions; "New conversation" starts afresh.',
      'chat.new': 'New conversation',
      'chat.thinking': 'Searching the documents…',
      'chat.sources': 'Sources',
      'chat.conversation': 'Conversation',
      'chat.page': 'p. {0}',
      'chat.you': 'Question',
      'chat.answer': 'Answer',
      'chat.meta.extractive': 'Extractive · {0} ms',
      'chat.meta.llm': 'Generated by {1} · {0} ms',
      'chat.noAnswer': 'No answer.',
      'error.prefix': 'Error: {0}',
      'error.network': 'Could not reach the server ({0}).',
      'error.status': 'The server answered {0}.',
      'token.api.label': 'API token',
      'token.api.hint': 'This server needs a token for queries. It is kept in this tab only, until you close it.',
      'token.admin.label': 'Admin token',
      'token.admin.hint': 'The value of ANCLA_ADMIN_TOKEN. It is kept for this browser session only.',
      'token.save': 'Sign in',
      'token.forget': 'Sign out',
      'token.wrong': 'The token was refused: {0}',
      'admin.title': 'Admin',
      'admin.status': 'Status',
      'admin.documents': 'Documents',
      'admin.chunks': 'Chunks',
      'admin.failed': 'Failed',
      'admin.skipped': 'Skipped',
      'admin.model': 'Model',
      'admin.indexSize': 'Index size',
      'admin.lastCommit': 'Last commit',
      'admin.commit': 'generation {0} · {1}',
      'admin.sources': 'Sources',
      'admin.source': 'Source',
      'admin.lastSync': 'Last sync',
      'admin.sourceCounts': 'Listed · indexed · skipped · failed',
      'admin.lastError': 'Last error',
      'admin.listingSkips': '{0} left out of the listing (dangling or looping shortcuts)',
      'admin.cursorAge': 'cursor {0} old',
      'admin.none': '—',
      'admin.job': 'Current job',
      'admin.idle': 'No job is running.',
      'admin.jobLine': '{0} · {1} of {2} documents',
      'admin.rate': '{0} chunks/s',
      'admin.eta': '{0} left',
      'admin.etaUnknown': 'estimating the time left…',
      'admin.lastJob': 'Last job ({0}): {1} · {2} added, {3} changed, {4} deleted, {5} failed · {6} s',
      'admin.lastJobFailed': 'Last job ({0}) failed: {1}',
      'admin.sync': 'Sync',
      'admin.reindex': 'Reindex',
      'admin.reindexAnyway': 'Reindex anyway',
      'admin.upToDate': 'The index already has the configured model\'s vectors ({0}). Click again to re-embed every chunk anyway.',
      'admin.lastReindex': 'Last reindex: {0} · {1} documents with {2}, {3} chunks embedded · {4} s',
      'admin.started': 'Job {0} started.',
      'admin.snapshots': 'Snapshots',
      'admin.snapshotNow': 'Snapshot now',
      'admin.snapshotStarted': 'Snapshot requested.',
      'admin.snapshotsNone': 'No snapshots yet.',
      'admin.snapshotRunning': 'Snapshot {0} running…',
      'admin.off': 'Admin is off: this server has no ANCLA_ADMIN_TOKEN. To turn it on, set ANCLA_ADMIN_TOKEN to a secret of at least 16 characters (e.g. the output of `openssl rand -hex 32`) and restart Ancla.',
      'admin.jobPlanning': '{0} · looking for the files that changed…',
      'admin.snapshotBad': 'BAD: failed verification',
      'admin.notRestorable': 'No snapshot can be restored: the next one re-uploads what is missing.',
      'admin.lastVerified': 'Last verified snapshot: {0}',
      'admin.badBlobs': '{0} damaged blobs not repaired',
      'admin.snapshotsUnavailable': 'Snapshots are not configured: {0}',
      'admin.failedDocs': 'Failed documents',
      'admin.failedNone': 'No document has failed.',
      'admin.failedTotal': '{0} failed documents',
      'admin.path': 'File',
      'admin.reason': 'Reason',
      'admin.live': 'live',
      'admin.reconnecting': 'reconnecting…',
      'phase.planning': 'planning',
      'phase.indexing': 'indexing',
      'phase.committing': 'committing',
      'phase.done': 'finishing',
      'state.complete': 'complete',
      'state.stopped': 'stopped',
      'state.failed': 'failed',
    },
  };

  function lang() {
    const chosen = localStorage.getItem('ancla.lang');
    if (chosen === 'es' || chosen === 'en') return chosen;
    return (navigator.language || 'es').toLowerCase().startsWith('en') ? 'en' : 'es';
  }

  /** The string for key in the current language, {0}, {1}... replaced by args. */
  function t(key, ...args) {
    const table = STRINGS[lang()];
    const text = key in table ? table[key] : STRINGS.es[key] || key;
    return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
  }

  /** Fills every [data-i18n] element (and placeholders, labels) in the current language. */
  function applyStrings(root = document) {
    document.documentElement.lang = lang();
    root.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
    root.querySelectorAll('[data-i18n-placeholder]').forEach((e) => {
      e.placeholder = t(e.dataset.i18nPlaceholder);
    });
    root.querySelectorAll('[data-i18n-label]').forEach((e) => {
      e.setAttribute('aria-label', t(e.dataset.i18nLabel));
    });
    root.querySelectorAll('[data-i18n-title]').forEach((e) => {
      e.title = t(e.dataset.i18nTitle);
      e.setAttribute('aria-label', e.title);
    });
  }

  /** Wires the language button; onChange re-renders what was built from strings. */
  function languageToggle(button, onChange) {
    button.textContent = t('lang.other');
    button.addEventListener('click', () => {
      localStorage.setItem('ancla.lang', lang() === 'es' ? 'en' : 'es');
      applyStrings();
      button.textContent = t('lang.other');
      onChange();
    });
  }

  /** Tokens live in sessionStorage: entered once per browser session, gone when it ends. */
  const tokens = {
    get: (kind) => sessionStorage.getItem('ancla.token.' + kind) || '',
    set: (kind, value) => sessionStorage.setItem('ancla.token.' + kind, value),
    forget: (kind) => sessionStorage.removeItem('ancla.token.' + kind),
  };

  function authHeaders(token) {
    return token ? { Authorization: 'Bearer ' + token } : {};
  }

  /**
   * Reads a text/event-stream body and calls onEvent(name, data) per event. EventSource cannot
   * POST nor send an Authorization header, so both pages read streams through fetch().
   */
  async function readEvents(response, onEvent) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let name = 'message';
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop(); // an unfinished line waits for the next chunk
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) onEvent(name, data.join('\n'));
          name = 'message';
          data = [];
        } else if (line.startsWith(':')) {
          // a comment (keep-alive)
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let value2 = colon < 0 ? '' : line.slice(colon + 1);
          if (value2.startsWith(' ')) value2 = value2.slice(1);
          if (field === 'event') name = value2;
          else if (field === 'data') data.push(value2);
        }
      }
    }
  }

  /** The error message of a JSON error answer, or a sentence with its status. */
  async function errorOf(response) {
    try {
      const body = await response.json();
      if (body && typeof body.error === 'string') return body.error;
    } catch (_) {
      // not JSON
    }
    return t('error.status', response.status + ' ' + response.statusText);
  }

  /**
   * Builds an element. attrs are set as attributes (class, id, href...); children are nodes or
   * strings, and strings become text nodes, so markup in them is shown, never parsed.
   */
  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  /** The link to an indexed file; PDFs open at the cited page. Always a same-origin path. */
  function fileUrl(source, path, page) {
    const url = '/api/files/' + encodeURIComponent(source) + '/'
      + String(path).split('/').map(encodeURIComponent).join('/');
    return page > 0 ? url + '#page=' + page : url;
  }

  /** True for an http(s) link to an original outside Ancla (a Drive file); never javascript: etc. */
  function externalLink(link) {
    return typeof link === 'string' && /^https?:\/\//i.test(link);
  }

  /**
   * Opens a file link when the server wants a token: a plain link cannot send the header, so the
   * file is fetched and shown from a blob. Only PDFs and plain text are shown as such; anything
   * else is downloaded, so that no user document runs as a page of this origin.
   */
  async function openWithToken(href, token) {
    const [url, fragment] = href.split('#');
    const response = await fetch(url, { headers: authHeaders(token) });
    if (!response.ok) throw new Error(await errorOf(response));
    const type = (response.headers.get('Content-Type') || '').split(';')[0];
    const shown = type === 'application/pdf' ? type : type.startsWith('text/') ? 'text/plain' : '';
    const blob = new Blob([await response.arrayBuffer()], { type: shown || 'application/octet-stream' });
    const blobUrl = URL.createObjectURL(blob);
    if (shown) {
      window.open(blobUrl + (fragment ? '#' + fragment : ''), '_blank', 'noopener');
    } else {
      const a = el('a', { href: blobUrl, download: decodeURIComponent(url.split('/').pop()) });
      document.body.append(a);
      a.click();
      a.remove();
    }
    setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  }

  function number(n) {
    return new Intl.NumberFormat(lang()).format(n);
  }

  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let v = Number(n) || 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return new Intl.NumberFormat(lang(), { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v) + ' ' + units[i];
  }

  function duration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + ' s';
    const m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + String(s % 60).padStart(2, '0') + ' s';
    return Math.floor(m / 60) + ' h ' + String(m % 60).padStart(2, '0') + ' min';
  }

  function dateTime(iso) {
    if (!iso) return t('admin.none');
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString(lang());
  }

  return {
    t, lang, applyStrings, languageToggle, tokens, authHeaders, readEvents, errorOf, el, fileUrl, externalLink,
    openWithToken, number, bytes, duration, dateTime,
  };
})();
