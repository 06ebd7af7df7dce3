// Shared by every page: the embedded documents, translations, formatting in the viewer's language and time zone.
const readJson = (id) => {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent || 'null') : null;
};

export const pageData = readJson('page-data');
const i18n = readJson('page-i18n') || { lang: 'en', messages: {} };
export const lang = i18n.lang;
export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function t(key, values = {}) {
  const template = i18n.messages[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every string that came from a vendor or the config goes through this before it reaches markup. */
export const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => escapes[c]);

/** A duration as [message key, count] parts: "1 h 30 min" is [['unit.h', 1], ['unit.m', 30]]; zero parts are left out. */
function durationParts(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return [['unit.s', s]];
  const m = Math.floor(s / 60);
  if (m < 60) return [['unit.m', m]];
  const h = Math.floor(m / 60);
  if (h < 48)
    return m % 60 === 0
      ? [['unit.h', h]]
      : [
          ['unit.h', h],
          ['unit.m', m % 60],
        ];
  const d = Math.floor(h / 24);
  return h % 24 === 0
    ? [['unit.d', d]]
    : [
        ['unit.d', d],
        ['unit.h', h % 24],
      ];
}

/** "45 s", "1 min", "2 h 5 min", "3 d" (zh: 秒/分钟/小时/天): never a bare "m" that could be a month. */
export function duration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return t('value.none');
  return durationParts(ms)
    .map(([key, n]) => t(key, { n }))
    .join(' ');
}

/** "2–5 s" when both ends share one unit, else "40 s–2 min". */
export function durationRange(low, high) {
  const a = durationParts(low);
  const b = durationParts(high);
  if (a.length === 1 && b.length === 1 && a[0][0] === b[0][0]) return t(a[0][0], { n: t('value.range', { low: a[0][1], high: b[0][1] }) });
  return t('value.range', { low: duration(low), high: duration(high) });
}

const dateTime = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const shortTime = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
export const when = (ms) => (ms === null || ms === undefined ? t('value.none') : dateTime.format(ms));
export const whenShort = (ms) => (ms === null || ms === undefined ? t('value.none') : shortTime.format(ms));
export const isoDay = (day) => dateOnly.format(Date.parse(`${day}T00:00:00Z`));
export const percent = (share) => (share === null || share === undefined ? t('value.none') : `${Math.round(share * 100)}%`);

/**
 * An estimate with its 95 % interval, as "3 s" and "(95 % CI 2–5 s)", and a plain-language sentence for a tooltip. A
 * lower end of 0 bounds nothing ("at most 3 s"); a missing upper end is a one-sided interval ("at least 2 s").
 */
export function estimate(e, which = 'median') {
  if (!e || (e.value === null && e.low === null && e.high === null)) return { value: t('value.notReached'), ci: '', help: '' };
  const low = e.low !== null && e.low !== undefined && e.low >= 500 ? e.low : null;
  const high = e.high ?? null;
  let range = '';
  let sentence = '';
  if (low !== null && high !== null) {
    range = duration(low) === duration(high) ? duration(low) : durationRange(low, high);
    sentence = duration(low) === duration(high) ? duration(low) : t('value.between', { low: duration(low), high: duration(high) });
  } else if (low !== null) {
    range = t('value.atLeast', { low: duration(low) });
    sentence = range;
  } else if (high !== null) {
    range = t('value.atMost', { high: duration(high) });
    sentence = range;
  }
  const value = e.value === null ? t('value.notReached') : duration(e.value);
  if (!range) return { value, ci: '', help: '' };
  const help = t(e.value === null ? 'value.ciHelp.notReached' : `value.ciHelp.${which}`, { value, range: sentence });
  return { value, ci: t('value.ci', { range }), help };
}

/** The interval as a small line with its explanation on hover and focus. */
export const ciHtml = (x) => (x.ci ? `<span class="ci" title="${esc(x.help)}">${esc(x.ci)}</span>` : '');

/** Whether a tier's median is known closely enough, else how many more answered probes it needs (see TierReply). */
export function tierVerdict(row) {
  if (row.sufficient || !row.needed) return t('tiers.enough', { ratio: row.ratio === null || row.ratio === undefined ? '–' : row.ratio.toFixed(1) });
  return t(row.needed.answered === 1 ? 'tiers.moreOne' : 'tiers.more', { answered: row.needed.answered, probes: row.needed.probes });
}

const tickSteps = [1, 10, 60, 600, 3600, 86_400, 864_000];
const finerSteps = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400];

/** Ticks of a log axis in seconds: 1 s, 10 s, 1 min, 10 min, 1 h, 1 d, 10 d, with finer steps when the range is short. */
export function logTicks(min, max) {
  const inside = (list) => list.filter((v) => v >= min * 0.999 && v <= max * 1.001);
  const coarse = inside(tickSteps);
  return coarse.length >= 3 ? coarse : inside(finerSteps);
}

/** Labels of a time axis through Intl in the page's language: dates for day steps, hours and minutes below. */
const axisDay = new Intl.DateTimeFormat(i18n.lang, { month: 'short', day: 'numeric' });
const axisTime = new Intl.DateTimeFormat(i18n.lang, { hour: '2-digit', minute: '2-digit' });
export function dateTicks(seconds, incrementS) {
  let lastDay = '';
  return seconds.map((v) => {
    if (v === null) return '';
    const day = axisDay.format(v * 1000);
    if (incrementS >= 86_400) return day;
    const text = day === lastDay ? axisTime.format(v * 1000) : `${axisTime.format(v * 1000)}\n${day}`;
    lastDay = day;
    return text;
  });
}

export const statusHtml = (status) => `<span class="status ${esc(status)}">${esc(t(`status.${status}`))}</span>`;

/** The channel's status, or amber "slower than usual since …" while an SLA-breach or regression alert is open. */
export const channelStatusHtml = (channel) =>
  channel.incident
    ? `<span class="status incident" data-incident="${esc(channel.incident.kind)}" title="${esc(channel.incident.summary)}">${esc(t('status.incident', { since: whenShort(channel.incident.since) }))}</span>`
    : statusHtml(channel.status);

/** The server's clock as of the document, moving with the viewer's clock: live clocks agree with the figures. */
export function serverClock(generatedAt) {
  const offset = Date.now() - generatedAt;
  return () => Date.now() - offset;
}

export function openProbeText(now, sentAt, deadlineAt) {
  const elapsed = now - sentAt;
  if (deadlineAt === null || deadlineAt === undefined) return { text: t('open.noTarget', { elapsed: duration(elapsed) }), over: false };
  const target = deadlineAt - sentAt;
  if (now <= deadlineAt) return { text: t('open.waiting', { elapsed: duration(elapsed), target: duration(target) }), over: false };
  return { text: t('open.over', { elapsed: duration(elapsed), over: duration(now - deadlineAt), target: duration(target) }), over: true };
}

/** Updates every `.clock` element once a second. */
export function startClocks(now) {
  const tick = () => {
    const at = now();
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.clock'))) {
      const { text, over } = openProbeText(at, Number(el.dataset.sent), el.dataset.deadline ? Number(el.dataset.deadline) : null);
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle('over', over);
    }
  };
  tick();
  return setInterval(tick, 1000);
}

export function footer(generatedAt, demoTime) {
  const tz = document.getElementById('tz-note');
  if (tz) tz.textContent = t('footer.timezone', { tz: viewerZone });
  const generated = document.getElementById('generated-note');
  if (generated && generatedAt) generated.textContent = t('footer.generated', { time: when(generatedAt) });
  if (demoTime && !document.querySelector('.demo-banner')) {
    const banner = document.createElement('div');
    banner.className = 'demo-banner';
    banner.setAttribute('role', 'note');
    banner.textContent = t('demo.banner');
    document.querySelector('.site-header')?.prepend(banner);
  }
}

/** Theme colours from the stylesheet, for canvases and charts. */
export function palette() {
  const style = getComputedStyle(document.documentElement);
  const get = (name) => style.getPropertyValue(name).trim();
  return {
    g: get('--ok'),
    s: get('--slow'),
    n: get('--bad'),
    o: get('--open'),
    bot: get('--bot'),
    empty: get('--empty'),
    fg: get('--fg'),
    muted: get('--muted'),
    line: get('--line'),
    panel: get('--panel'),
  };
}

/** Each cell of a `table.cards` gets its column's name, shown beside the value when a phone lays rows out as cards. */
export function labelCells(root) {
  for (const table of root.querySelectorAll('table.cards')) {
    const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => {
        if (cell.tagName === 'TD' && !cell.dataset.label && names[i]) cell.dataset.label = names[i];
      });
    }
  }
}

export function markRendered() {
  document.body.dataset.rendered = 'true';
  performance.mark('firstreply-rendered');
}

// Pages drawn entirely by the server: nothing left to render here.
if (['notfound', 'methodology', 'admin-sign-in', 'trial'].includes(document.body.dataset.page ?? '')) {
  // The trial page's tables become cards on a phone like the others.
  for (const table of document.querySelectorAll('.trial-vendor .scroll > table, .trial-probes, table.decision')) table.classList.add('cards');
  labelCells(document);
  footer(null, false);
  markRendered();
}
