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

export function duration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return t('value.none');
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('unit.s', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('unit.m', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? t('unit.h', { n: h }) : `${t('unit.h', { n: h })} ${t('unit.m', { n: m % 60 })}`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? t('unit.d', { n: d }) : `${t('unit.d', { n: d })} ${t('unit.h', { n: h % 24 })}`;
}

const dateTime = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const shortTime = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
export const when = (ms) => (ms === null || ms === undefined ? t('value.none') : dateTime.format(ms));
export const whenShort = (ms) => (ms === null || ms === undefined ? t('value.none') : shortTime.format(ms));
export const isoDay = (day) => dateOnly.format(Date.parse(`${day}T00:00:00Z`));
export const percent = (share) => (share === null || share === undefined ? t('value.none') : `${Math.round(share * 100)}%`);

/** An estimate with its interval: "3 h 12 m" and "2 h 40 m – 4 h". */
export function estimate(e) {
  if (!e || e.value === null) return { value: t('value.notReached'), ci: '' };
  const ci = e.low !== null || e.high !== null ? t('value.ci', { low: e.low === null ? '…' : duration(e.low), high: e.high === null ? '…' : duration(e.high) }) : '';
  return { value: duration(e.value), ci };
}

export const statusHtml = (status) => `<span class="status ${esc(status)}">${esc(t(`status.${status}`))}</span>`;

/** The channel's status, or amber "slower than usual since …" while an SLA-breach or regression alert is open. */
export const channelStatusHtml = (channel) => (channel.incident
  ? `<span class="status incident" data-incident="${esc(channel.incident.kind)}" title="${esc(channel.incident.summary)}">${esc(t('status.incident', { since: whenShort(channel.incident.since) }))}</span>`
  : statusHtml(channel.status));

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
    for (const el of document.querySelectorAll('.clock')) {
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
  return { g: get('--ok'), s: get('--slow'), n: get('--bad'), o: get('--open'), empty: get('--empty'), fg: get('--fg'), muted: get('--muted'), line: get('--line') };
}

export function markRendered() {
  document.body.dataset.rendered = 'true';
  performance.mark('firstreply-rendered');
}

// Pages drawn entirely by the server: nothing left to render here.
if (['notfound', 'methodology', 'admin-sign-in', 'trial'].includes(document.body.dataset.page ?? '')) {
  footer(null, false);
  markRendered();
}
