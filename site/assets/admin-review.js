// Admin review page: the operator's token (this tab only), the review queue with every reason, confirm or relabel.
// A module (strict, scoped, deferred); the shared page script runs first.
import './common.js';

const readJson = (id) => JSON.parse(document.getElementById(id)?.textContent || 'null');
const pageData = readJson('page-data') || { labels: [] };
const i18n = readJson('page-i18n') || { lang: 'en', messages: {} };
const lang = i18n.lang;
const labels = pageData.labels;

const own = {
  en: {
    refused: 'The server refused this token.',
    disabled: 'Admin routes are disabled on this server (FIRSTREPLY_ADMIN_TOKEN is not set).',
    loading: 'Loading…',
    failed: 'Could not load the queue: {error}',
    summary: "{n} message(s) to review · {unconfirmed} matched reply(ies) without a person's label",
    empty: "Nothing to review: every uncertain reply has a person's label.",
    confidence: 'confidence {value}',
    unmatched: 'not matched to a probe',
    probe: '{vendor} / {channel} ({kind}) · probe #{id}',
    received: 'received {time}',
    afterSent: '{elapsed} after the probe was sent',
    from: 'from {from}',
    subject: 'Subject: {subject}',
    reasons: 'Why the classifier decided so',
    excerpt: 'Excerpt',
    confirm: 'Confirm “{label}”',
    relabelAs: 'Relabel as',
    relabel: 'Relabel',
    saving: 'Saving…',
    confirmed: 'Confirmed as “{label}” by {reviewer}.',
    relabelled: 'Relabelled “{from}” → “{label}” by {reviewer}.',
    firstHuman: "The probe's first human reply is now {value}.",
    noHuman: 'none yet',
    saveFailed: 'Not saved: {error}',
    resolution: 'Does this reply resolve the question?',
    resolves: 'Resolves the question',
    doesNot: 'Does not',
    markedResolves: 'Marked as resolving the question by {reviewer}.',
    markedNot: 'Marked as not resolving the question by {reviewer}.',
    resolvedAt: 'The probe is now resolved at {value}.',
    unresolved: 'The probe is now unresolved.',
    rubricResolves: "The template's expected answer counts this reply as resolving.",
    notMeasured: "This probe's template says nothing of a good answer: a mark makes its resolution measured.",
    nothingToJudge: 'No reply written by a person is waiting for a judgement.',
  },
  'zh-CN': {
    refused: '服务器拒绝了此令牌。',
    disabled: '此服务器未启用管理接口（未设置 FIRSTREPLY_ADMIN_TOKEN）。',
    loading: '加载中…',
    failed: '无法加载队列：{error}',
    summary: '{n} 条待复核 · {unconfirmed} 条已匹配回复尚无人工标签',
    empty: '没有待复核的消息：所有不确定的回复都已有人工标签。',
    confidence: '置信度 {value}',
    unmatched: '未匹配到探测',
    probe: '{vendor} / {channel}（{kind}）· 探测 #{id}',
    received: '收到于 {time}',
    afterSent: '探测发出后 {elapsed}',
    from: '发件人 {from}',
    subject: '主题：{subject}',
    reasons: '分类依据',
    excerpt: '摘录',
    confirm: '确认为“{label}”',
    relabelAs: '改标为',
    relabel: '改标',
    saving: '保存中…',
    confirmed: '已由 {reviewer} 确认为“{label}”。',
    relabelled: '已由 {reviewer} 从“{from}”改标为“{label}”。',
    firstHuman: '该探测的首次人工回复现为：{value}。',
    noHuman: '尚无',
    saveFailed: '未保存：{error}',
    resolution: '这条回复解决了问题吗？',
    resolves: '解决了问题',
    doesNot: '没有解决',
    markedResolves: '已由 {reviewer} 标记为解决了问题。',
    markedNot: '已由 {reviewer} 标记为没有解决问题。',
    resolvedAt: '该探测现在的解决时间：{value}。',
    unresolved: '该探测现在未解决。',
    rubricResolves: '按模板的预期答案，这条回复已算作解决了问题。',
    notMeasured: '该探测的模板没有写明好答案：标记后即开始衡量其解决情况。',
    nothingToJudge: '没有等待评判的人工回复。',
  },
}[lang === 'zh-CN' ? 'zh-CN' : 'en'];

const fill = (template, values = {}) => template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
const tr = (key, values) => fill(own[key] ?? key, values);
const shared = (key, values) => fill(i18n.messages[key] ?? key, values);
const labelName = (label) => shared(`label.${label}`);
const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });

function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return shared('unit.s', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return shared('unit.m', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? shared('unit.h', { n: h }) : `${shared('unit.h', { n: h })} ${shared('unit.m', { n: m % 60 })}`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? shared('unit.d', { n: d }) : `${shared('unit.d', { n: d })} ${shared('unit.h', { n: h % 24 })}`;
}

/** Builds an element; every string becomes text, never markup. */
function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = String(options.text);
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, String(value));
  for (const child of children) if (child) node.append(child);
  return node;
}

const tokenKey = 'firstreply.admin-token';
const reviewerKey = 'firstreply.reviewer';
const store = {
  get token() {
    return sessionStorage.getItem(tokenKey);
  },
  set token(value) {
    if (value) sessionStorage.setItem(tokenKey, value);
    else sessionStorage.removeItem(tokenKey);
  },
};

const tokenForm = document.getElementById('token-form');
/** An input element of the page, by id (the page's own markup: always there). */
const inputById = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const tokenInput = inputById('admin-token');
const reviewerInput = inputById('reviewer');
const forgetButton = document.getElementById('forget-token');
const authError = document.getElementById('auth-error');
const queueSection = document.getElementById('queue');
const filterForm = document.getElementById('filter-form');
const summary = document.getElementById('queue-summary');
const queueStatus = document.getElementById('queue-status');
const list = document.getElementById('review-list');
const resolutionSection = document.getElementById('resolution-queue');
const resolutionList = document.getElementById('resolution-list');

class Refused extends Error {}

async function api(path, options = {}) {
  const headers = { authorization: `Bearer ${store.token ?? ''}`, accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    cache: 'no-store',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const body = await response.json().catch(() => null);
  if (response.status === 401) throw new Refused(body?.error?.message ?? 'unauthorized');
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body;
}

function locked(message) {
  store.token = null;
  queueSection.hidden = true;
  resolutionSection.hidden = true;
  forgetButton.hidden = true;
  list.replaceChildren();
  resolutionList.replaceChildren();
  authError.textContent = message;
  tokenInput.focus();
}

function refusedText(error) {
  return /disabled/.test(error.message) ? tr('disabled') : tr('refused');
}

function probeLine(context, message) {
  const parts = [];
  const probe = context?.probe;
  parts.push(probe ? tr('probe', { vendor: probe.vendorName, channel: probe.channel, kind: probe.kind, id: probe.id }) : tr('unmatched'));
  parts.push(tr('received', { time: dateTime.format(message.receivedAt) }));
  if (probe && probe.sentAt !== null) parts.push(tr('afterSent', { elapsed: duration(message.receivedAt - probe.sentAt) }));
  if (message.from) parts.push(tr('from', { from: message.from }));
  return parts.join(' · ');
}

function chip(label, reviewed) {
  const node = el('span', { className: 'chip', text: `${labelName(label)}${reviewed ? ' ✓' : ''}` });
  if (labels.includes(label)) node.classList.add(label);
  node.dataset.label = label;
  return node;
}

function excerptOf(text) {
  const clean = String(text ?? '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return clean.length > 320 ? `${clean.slice(0, 320)}…` : clean;
}

function itemFor(message, context) {
  const labelChip = chip(message.label, false);
  const heading = el('h3', {}, [
    document.createTextNode(`#${message.id} `),
    labelChip,
    document.createTextNode(` ${tr('confidence', { value: Number(message.confidence).toFixed(2) })}`),
  ]);
  const reasons = el(
    'ul',
    { className: 'reasons' },
    message.reasons.map((reason) => el('li', { text: reason })),
  );
  const excerpt = el('blockquote', { className: 'excerpt', text: excerptOf(message.excerpt) });
  excerpt.style.whiteSpace = 'pre-wrap';
  excerpt.style.overflowWrap = 'anywhere';
  const select = el(
    'select',
    { attrs: { 'aria-label': `${tr('relabelAs')} #${message.id}` } },
    labels.map((label) => el('option', { text: labelName(label), attrs: { value: label } })),
  );
  select.value = labels.find((l) => l !== message.label && l !== 'unknown') ?? labels[0];
  const confirm = el('button', {
    className: 'primary',
    text: tr('confirm', { label: labelName(message.label) }),
    attrs: { type: 'button', 'data-action': 'confirm' },
  });
  const relabel = el('button', { text: tr('relabel'), attrs: { type: 'button', 'data-action': 'relabel' } });
  const result = el('p', { className: 'review-result', attrs: { role: 'status' } });
  // id: the review digest links each probe to #message-<id>.
  const item = el(
    'li',
    { className: 'vendor review-item', attrs: { id: `message-${message.id}`, tabindex: '-1', 'data-message': message.id, 'data-label': message.label } },
    [
      heading,
      el('p', { className: 'small meta', text: probeLine(context, message) }),
      message.subject ? el('p', { className: 'subject', text: tr('subject', { subject: message.subject }) }) : null,
      el('p', { className: 'small', text: tr('reasons') }),
      reasons,
      el('p', { className: 'small', text: tr('excerpt') }),
      excerpt,
      el('div', { className: 'controls' }, [confirm, el('label', { text: `${tr('relabelAs')} ` }, [select]), relabel]),
      result,
      context?.probe ? resolutionControls(message, context.probe) : null,
    ],
  );

  async function submit(label) {
    const reviewer = reviewerInput.value.trim() || 'admin';
    for (const control of [confirm, relabel, select]) control.disabled = true;
    result.textContent = tr('saving');
    try {
      await api('/api/v1/admin/reviews', { method: 'POST', body: { messageId: message.id, label, reviewer } });
      const after = await api(`/api/v1/admin/review-context?ids=${message.id}`);
      const fresh = after.messages[0];
      labelChip.replaceWith(chip(label, true));
      item.dataset.reviewed = label;
      item.classList.add('reviewed');
      const lines = [
        label === message.label
          ? tr('confirmed', { label: labelName(label), reviewer })
          : tr('relabelled', { from: labelName(message.label), label: labelName(label), reviewer }),
      ];
      const probe = fresh?.probe;
      if (probe)
        lines.push(
          tr('firstHuman', {
            value:
              probe.firstHumanAt === null
                ? tr('noHuman')
                : probe.sentAt === null
                  ? dateTime.format(probe.firstHumanAt)
                  : `+${duration(probe.firstHumanAt - probe.sentAt)}`,
          }),
        );
      result.textContent = lines.join(' ');
      updateSummary(after.unconfirmed);
    } catch (error) {
      if (error instanceof Refused) return locked(refusedText(error));
      result.textContent = tr('saveFailed', { error: error.message });
      for (const control of [confirm, relabel, select]) control.disabled = false;
    }
    return undefined;
  }
  confirm.addEventListener('click', () => submit(message.label));
  relabel.addEventListener('click', () => submit(select.value));
  return item;
}

/** A person's word on whether this reply resolves the question; it wins over the template's rubric. */
function resolutionControls(message, probe) {
  const yes = el('button', { text: tr('resolves'), attrs: { type: 'button', 'data-action': 'resolves', 'aria-pressed': 'false' } });
  const no = el('button', { text: tr('doesNot'), attrs: { type: 'button', 'data-action': 'does-not-resolve', 'aria-pressed': 'false' } });
  const status = el('p', { className: 'resolution-result small', attrs: { role: 'status' } });
  const group = el('fieldset', { className: 'controls resolution' }, [el('legend', { text: tr('resolution') }), yes, no, status]);
  async function mark(resolves) {
    const reviewer = reviewerInput.value.trim() || 'admin';
    for (const b of [yes, no]) b.disabled = true;
    status.textContent = tr('saving');
    try {
      const marked = await api('/api/v1/admin/resolutions', { method: 'POST', body: { messageId: message.id, resolves, reviewer } });
      yes.setAttribute('aria-pressed', String(resolves));
      no.setAttribute('aria-pressed', String(!resolves));
      group.dataset.marked = resolves ? 'resolves' : 'does-not';
      const at = marked.resolvedAt;
      const when =
        at === null ? tr('unresolved') : tr('resolvedAt', { value: probe.sentAt === null ? dateTime.format(at) : `+${duration(at - probe.sentAt)}` });
      status.textContent = `${tr(resolves ? 'markedResolves' : 'markedNot', { reviewer })} ${when}`;
    } catch (error) {
      if (error instanceof Refused) return locked(refusedText(error));
      status.textContent = tr('saveFailed', { error: error.message });
    } finally {
      for (const b of [yes, no]) b.disabled = false;
    }
    return undefined;
  }
  yes.addEventListener('click', () => mark(true));
  no.addEventListener('click', () => mark(false));
  return group;
}

/** A human reply nobody has judged: its probe, its words and the two marks. */
function judgementFor(reply, context) {
  const probe = context?.probe;
  return el('li', { className: 'vendor judgement-item', attrs: { 'data-message': reply.id, 'data-measured': String(reply.measured) } }, [
    el('h3', { text: `#${reply.id}` }),
    el('p', { className: 'small meta', text: probeLine(context, reply) }),
    reply.subject ? el('p', { className: 'subject', text: tr('subject', { subject: reply.subject }) }) : null,
    el('blockquote', { className: 'excerpt', text: excerptOf(reply.excerpt) }),
    el('p', { className: 'small', text: reply.rubricResolves ? tr('rubricResolves') : reply.measured ? '' : tr('notMeasured') }),
    probe ? resolutionControls(reply, probe) : null,
  ]);
}

async function loadJudgements(limit) {
  const queue = await api(`/api/v1/admin/resolution-queue?limit=${encodeURIComponent(limit)}`);
  const ids = queue.replies.map((r) => r.id);
  const context = ids.length > 0 ? await api(`/api/v1/admin/review-context?ids=${ids.join(',')}`) : { messages: [] };
  const byId = new Map(context.messages.map((c) => [c.id, c]));
  resolutionList.replaceChildren(...queue.replies.map((r) => judgementFor(r, byId.get(r.id))));
  if (queue.replies.length === 0) resolutionList.replaceChildren(el('li', { className: 'muted', text: tr('nothingToJudge') }));
  resolutionSection.hidden = false;
}

function updateSummary(unconfirmed) {
  const waiting = list.querySelectorAll('.review-item:not(.reviewed)').length;
  summary.textContent = tr('summary', { n: waiting, unconfirmed });
  summary.dataset.unconfirmed = String(unconfirmed);
}

async function load() {
  authError.textContent = '';
  queueStatus.textContent = tr('loading');
  try {
    const query = new URLSearchParams({ max_confidence: inputById('max-confidence').value, limit: inputById('limit').value });
    const queue = await api(`/api/v1/admin/review-queue?${query}`);
    const ids = queue.messages.map((m) => m.id);
    const context = await api(`/api/v1/admin/review-context?ids=${ids.length > 0 ? ids.join(',') : '0'}`);
    const byId = new Map(context.messages.map((c) => [c.id, c]));
    queueSection.hidden = false;
    forgetButton.hidden = false;
    list.replaceChildren(...queue.messages.map((m) => itemFor(m, byId.get(m.id))));
    updateSummary(context.unconfirmed);
    queueStatus.textContent = queue.messages.length === 0 ? tr('empty') : '';
    await loadJudgements(inputById('limit').value);
    const linked = location.hash.startsWith('#message-') ? document.getElementById(location.hash.slice(1)) : null;
    if (linked) {
      linked.scrollIntoView({ block: 'start' });
      linked.focus({ preventScroll: true });
    }
    document.body.dataset.rendered = 'true';
  } catch (error) {
    if (error instanceof Refused) return locked(refusedText(error));
    queueStatus.textContent = tr('failed', { error: error.message });
  }
  return undefined;
}

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  store.token = tokenInput.value.trim();
  tokenInput.value = '';
  sessionStorage.setItem(reviewerKey, reviewerInput.value.trim());
  void load().then(() => {
    if (!queueSection.hidden) summary.focus();
  });
});
reviewerInput.addEventListener('change', () => sessionStorage.setItem(reviewerKey, reviewerInput.value.trim()));
forgetButton.addEventListener('click', () => locked(''));
filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});

reviewerInput.value = sessionStorage.getItem(reviewerKey) ?? '';
if (store.token) void load();
else document.body.dataset.rendered = 'true';
