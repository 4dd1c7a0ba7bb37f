// The chat page: POST /api/ask with Accept: text/event-stream, then `citations`, `token`...,
// `done` (or `error`). The answer's [n] markers become links to citation n, which links to the
// source file (PDFs at their page). Answers are Markdown (a chat model writes **bold**, lists and
// `code`; extractive sentences read the same), rendered again at every token by markdown-it
// (vendored: markdown-it.min.js, MIT) to a safe subset: raw HTML is escaped, images are off, links
// go only to http(s) or to the answer's own citations, and the result is rebuilt element by element
// from an allowlist. Nothing else from the server is parsed as HTML.
// The page is a conversation: each question goes with the earlier questions and answers as
// `history`, so that a follow-up such as "¿y cómo lo borro?" is searched and answered in context,
// until "New conversation" clears it.
'use strict';

(() => {
  const { t, el, tokens } = Ancla;
  const form = document.getElementById('ask-form');
  const question = document.getElementById('question');
  const button = document.getElementById('ask');
  const conversation = document.getElementById('conversation');
  const status = document.getElementById('status');
  const tokenForm = document.getElementById('token-form');
  const turns = [];
  let pending = null; // a question waiting for a token
  let nextId = 1; // turn ids name citation anchors, so they are never reused on the page

  // What `history` sends: questions and final answer texts (the citations stay on the page).
  // Bounded, newest kept, well within the server's limits (40 turns, 32,000 characters): older
  // turns rarely matter to a follow-up, and a bigger request would only be slower.
  const MAX_HISTORY_TURNS = 20; // the last 10 questions and their answers
  const MAX_HISTORY_CHARS = 24000;
  let history = [];
  let inFlight = null; // the AbortController of the question being answered

  document.getElementById('new-chat').addEventListener('click', newConversation);

  Ancla.applyStrings();
  Ancla.languageToggle(document.getElementById('lang-toggle'), () => turns.forEach(render));

  question.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = question.value.trim();
    if (!q || button.disabled) return;
    ask(q);
  });

  tokenForm.addEventListener('submit', (e) => {
    e.preventDefault();
    tokens.set('api', document.getElementById('token').value.trim());
    tokenForm.hidden = true;
    if (pending) ask(pending);
  });

  // A file link sends no Authorization header; with a token, fetch it and show it from a blob.
  conversation.addEventListener('click', (e) => {
    const link = e.target.closest('a.file');
    if (!link || !tokens.get('api')) return;
    e.preventDefault();
    Ancla.openWithToken(link.getAttribute('href'), tokens.get('api'))
      .catch((err) => { status.textContent = t('error.prefix', err.message); });
  });

  /** Forgets the history and empties the transcript; a question being answered is dropped. */
  function newConversation() {
    inFlight?.abort();
    history = [];
    turns.length = 0;
    conversation.replaceChildren(el('p', { id: 'empty', class: 'hint', 'data-i18n': 'chat.empty' }, t('chat.empty')));
    status.textContent = '';
    question.focus();
  }

  function remember(q, answer) {
    history.push({ role: 'user', content: q });
    if (answer) history.push({ role: 'assistant', content: answer });
    history = history.slice(-MAX_HISTORY_TURNS);
    let chars = history.reduce((n, m) => n + m.content.length, 0);
    while (chars > MAX_HISTORY_CHARS) chars -= history.shift().content.length;
  }

  async function ask(q) {
    pending = null;
    button.disabled = true;
    status.textContent = t('chat.thinking');
    const controller = new AbortController();
    inFlight = controller;
    const body = history.length > 0 ? { question: q, history } : { question: q };
    const turn = { id: nextId++, question: q, answer: '', citations: [], meta: null, error: null };
    turn.node = el('article', { class: 'turn', 'aria-busy': 'true' });
    turns.push(turn);
    document.getElementById('empty')?.remove();
    conversation.append(turn.node);
    render(turn);
    try {
      const response = await fetch('/api/ask', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
          ...Ancla.authHeaders(tokens.get('api')),
        },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if (response.status === 401) {
        tokens.forget('api');
        turn.node.remove();
        turns.pop();
        pending = q;
        tokenForm.hidden = false;
        document.getElementById('token').focus();
        status.textContent = await Ancla.errorOf(response);
        return;
      }
      if (!response.ok) throw new Error(await Ancla.errorOf(response));
      if ((response.headers.get('Content-Type') || '').includes('application/json')) {
        finish(turn, await response.json());
      } else {
        await Ancla.readEvents(response, (name, data) => onEvent(turn, name, JSON.parse(data)));
      }
      if (turn.meta) remember(q, turn.answer); // a whole answer, the one `done` carries
      question.value = '';
      status.textContent = '';
    } catch (err) {
      if (controller.signal.aborted) return; // "New conversation" dropped this question
      turn.error = err instanceof TypeError ? t('error.network', err.message) : err.message;
      status.textContent = t('error.prefix', turn.error);
    } finally {
      if (inFlight === controller) inFlight = null;
      turn.node.setAttribute('aria-busy', 'false');
      render(turn);
      button.disabled = false;
      question.focus();
    }
  }

  function onEvent(turn, name, data) {
    if (name === 'citations') {
      turn.citations = Array.isArray(data) ? data : [];
    } else if (name === 'token') {
      turn.answer += data.text || '';
    } else if (name === 'done') {
      finish(turn, data);
      return;
    } else if (name === 'error') {
      throw new Error(data.error || name);
    }
    render(turn);
  }

  function finish(turn, body) {
    turn.answer = typeof body.answer === 'string' ? body.answer : turn.answer;
    if (Array.isArray(body.citations)) turn.citations = body.citations;
    turn.meta = body;
    render(turn);
  }

  /** Rebuilds one turn from its state; cheap enough to run at every token. */
  function render(turn) {
    const answer = el('div', { class: 'answer' });
    appendAnswer(answer, turn);
    const parts = [
      el('p', { class: 'question' }, el('span', { class: 'sr-only' }, t('chat.you') + ': '), turn.question),
      el('h2', { class: 'sr-only' }, t('chat.answer')),
      answer,
    ];
    if (turn.error) parts.push(el('p', { class: 'error', role: 'alert' }, t('error.prefix', turn.error)));
    if (turn.citations.length > 0) {
      parts.push(
        el('h3', { class: 'sources' }, t('chat.sources')),
        el('ol', { class: 'citations' }, ...turn.citations.map((c) => citation(turn, c))),
      );
    }
    if (turn.meta) {
      const key = turn.meta.mode === 'llm' ? 'chat.meta.llm' : 'chat.meta.extractive';
      parts.push(el('p', { class: 'meta' }, t(key, Math.round(turn.meta.tookMs || 0), turn.meta.model || '')));
    }
    turn.node.replaceChildren(...parts);
  }

  /** The answer rendered from Markdown, with each [n] that names a citation made a link to it. */
  function appendAnswer(container, turn) {
    if (!turn.answer) {
      if (turn.meta) container.append(t('chat.noAnswer'));
      else if (!turn.error) container.append(el('span', { class: 'typing', 'aria-hidden': 'true' }, '…'));
      return;
    }
    // markdown-it's output (any HTML in the answer escaped) parsed in an inert document: nothing in
    // it loads or runs, and only copies built from the allowlist reach the page
    const parsed = new DOMParser().parseFromString(markdown(turn), 'text/html');
    container.append(...safe(parsed.body, turn));
  }

  // html: false escapes any HTML in the answer; images would load from anywhere, so they are off.
  const md = window.markdownit({ html: false, linkify: false, typographer: false }).disable('image');

  /** The answer as HTML from markdown-it, with links kept only where {@link linkAllowed} says. */
  function markdown(turn) {
    md.validateLink = (url) => linkAllowed(turn, url);
    return md.render(turn.answer);
  }

  /** http(s), or one of this turn's citations (its anchor on the page or its file). */
  function linkAllowed(turn, url) {
    const u = String(url).trim();
    if (/^https?:\/\/[^\s]/i.test(u)) return true;
    return turn.citations.some((c) => u === '#' + citeId(turn, c.n)
      || u === md.normalizeLink(Ancla.fileUrl(c.source, c.path, Number(c.page) > 0 ? Number(c.page) : 0)));
  }

  /** Elements markdown-it writes for the subset; of their attributes only a list's start and a
   *  link's href (checked again) are kept. */
  const ALLOWED = new Set(['P', 'STRONG', 'EM', 'S', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI',
    'BR', 'HR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'A', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD']);

  /**
   * Copies of the nodes under {@code parent} built from the allowlist alone: other elements give
   * their text, other attributes are dropped, and a link is kept only where {@link linkAllowed}
   * says (markdown-it checked it already; this is the second lock). Outside code, [n] markers
   * become links to the citations.
   */
  function safe(parent, turn, inCode = false) {
    const out = [];
    for (const node of parent.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        out.push(...(inCode ? [node.textContent] : withCitations(node.textContent, turn)));
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const code = inCode || node.tagName === 'CODE' || node.tagName === 'A';
      if (!ALLOWED.has(node.tagName)) {
        out.push(...safe(node, turn, code));
        continue;
      }
      const copy = el(node.tagName.toLowerCase());
      const start = node.getAttribute('start');
      if (node.tagName === 'OL' && start !== null && /^\d{1,9}$/.test(start)) copy.setAttribute('start', start);
      if (node.tagName === 'A') {
        const href = node.getAttribute('href');
        if (href === null || !linkAllowed(turn, href)) {
          out.push(...safe(node, turn, code));
          continue;
        }
        copy.setAttribute('href', href);
        if (href.startsWith('#')) copy.className = 'cite';
        else if (href.startsWith('/')) copy.className = 'file';
        else copy.setAttribute('rel', 'noopener noreferrer');
        if (!href.startsWith('#')) copy.setAttribute('target', '_blank');
      }
      copy.append(...safe(node, turn, code));
      out.push(copy);
    }
    return out;
  }

  /** Text with each [n] that names one of the turn's citations made a link to it. */
  function withCitations(text, turn) {
    const known = new Set(turn.citations.map((c) => c.n));
    const out = [];
    text.split(/\[(\d{1,3})\]/).forEach((piece, i) => {
      if (i % 2 === 0) {
        if (piece) out.push(piece);
      } else if (known.has(Number(piece))) {
        out.push(el('a', { class: 'cite', href: '#' + citeId(turn, piece), 'aria-label': t('chat.sources') + ' ' + piece }, '[' + piece + ']'));
      } else {
        out.push('[' + piece + ']');
      }
    });
    return out;
  }

  function citeId(turn, n) {
    return 'cite-' + turn.id + '-' + n;
  }

  function citation(turn, c) {
    const page = Number(c.page) > 0 ? Number(c.page) : 0;
    const text = String(c.text || '');
    const snippet = text.length > 320 ? text.slice(0, 320).trimEnd() + '…' : text;
    return el('li', { id: citeId(turn, c.n), value: c.n },
      Ancla.externalLink(c.link)
        // the original lives outside Ancla (a Drive file): a plain link, no token to send
        ? el('a', { class: 'external', href: c.link, target: '_blank', rel: 'noopener noreferrer' }, String(c.path))
        : el('a', { class: 'file', href: Ancla.fileUrl(c.source, c.path, page), target: '_blank', rel: 'noopener' }, String(c.path)),
      page ? el('span', { class: 'page' }, ' · ' + t('chat.page', page)) : null,
      c.heading ? el('span', { class: 'heading' }, ' · ' + c.heading) : null,
      snippet ? el('blockquote', { class: 'snippet' }, snippet) : null);
  }
})();
