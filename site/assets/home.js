// Home: a page of public vendor × channel rows (or a search's) with status, median, SLA share, 90-day bar and live clocks.
import { pageData, t, esc, whenShort, isoDay, percent, estimate, ciHtml, channelStatusHtml, serverClock, startClocks, footer, markRendered } from './common.js';

const doc = pageData;
const now = serverClock(doc.generatedAt);
const DAY = 86_400_000;

function legend() {
  const items = [
    ['g', 'legend.within'],
    ['s', 'legend.slower'],
    ['n', 'legend.noReply'],
    ['o', 'legend.open'],
    ['e', 'legend.none'],
  ];
  const el = document.getElementById('legend');
  el.innerHTML = `<ul class="legend" aria-label="${esc(t('home.legend'))}">${items.map(([c, key]) => `<li><span class="swatch ${c}"></span>${esc(t(key))}</li>`).join('')}</ul>`;
}

function dayCounts(code) {
  const c = { g: 0, s: 0, n: 0, o: 0 };
  for (const ch of code) c[ch] = (c[ch] || 0) + 1;
  return c;
}

function dayDate(firstDay, index) {
  return new Date(Date.parse(`${firstDay}T00:00:00Z`) + index * DAY).toISOString().slice(0, 10);
}

/** The columns of a channel's daily series as one letter per probe a day (g within SLA, s later, n no reply, o open). */
function dayCodes(days) {
  return days.withinSla.map((g, i) => 'g'.repeat(g) + 's'.repeat(days.missedSla[i]) + 'n'.repeat(days.noReply[i]) + 'o'.repeat(days.open[i]));
}

function dayText(firstDay, code, index) {
  const day = isoDay(dayDate(firstDay, index));
  if (!code) return t('day.none', { day });
  const c = dayCounts(code);
  return t('day.counts', { day, probes: code.length, within: c.g, slower: c.s, noReply: c.n, open: c.o });
}

function channelRow(vendor, channel, index) {
  const [low, high] = channel.ci95Ms;
  const median = estimate({ value: channel.medianMs, low, high });
  const days = dayCodes(channel.days);
  const { met, known: slaN } = channel.sla;
  const totals = dayCounts(days.join(''));
  const summary = t('day.summary', { within: totals.g, slower: totals.s, noReply: totals.n, open: totals.o });
  const open = channel.open
    .map(
      ({ id, tier, sentAt, deadlineAt, firstAckAt: ackAt }) =>
        `<li data-probe="${esc(id)}">${esc(tier)} · <span class="clock" data-sent="${esc(sentAt)}"${deadlineAt === null ? '' : ` data-deadline="${esc(deadlineAt)}"`}></span>${ackAt === null ? '' : ` <span class="small">${esc(t('open.ack'))}</span>`}</li>`,
    )
    .join('');
  const sla = slaN > 0 ? `${percent(met / slaN)}<span class="small">${esc(t('value.slaOf', { met, n: slaN }))}</span>` : esc(t('value.none'));
  const id = `bar-${index}`;
  const kind = t(`kind.${channel.kind}`) === `kind.${channel.kind}` ? channel.kind : t(`kind.${channel.kind}`);
  // data-label: the column's name, shown beside each value when a phone lays the row out as a card.
  const label = (key) => ` data-label="${esc(t(key))}"`;
  return `<tr data-vendor="${esc(vendor.slug)}" data-channel="${esc(channel.channel)}">
<th scope="row">${esc(channel.channel)}${channel.kind === channel.channel ? '' : `<span class="small">${esc(kind)}</span>`}</th>
<td${label('col.status')}>${channelStatusHtml(channel)}</td>
<td class="num"${label('col.median')}><span class="median">${esc(median.value)}</span>${ciHtml(median)}</td>
<td class="num"${label('col.sample')}><span class="sample">${esc(channel.n)}</span>${channel.noReplyShare === null ? '' : `<span class="small">${esc(t('value.noReply', { share: percent(channel.noReplyShare) }))}</span>`}${channel.awaitingReview ? `<span class="small awaiting" data-awaiting="${esc(channel.awaitingReview)}">${esc(t('value.awaitingReview', { n: channel.awaitingReview }))}</span>` : ''}</td>
<td class="num sla"${label('col.sla')}>${sla}</td>
<td class="days-cell"${label('col.days')}><div class="days" id="${id}" data-vendor="${esc(vendor.slug)}" data-channel="${esc(channel.channel)}" data-first="${esc(channel.days.first ?? '')}" data-days="${esc(days.join(','))}" tabindex="0" role="img" aria-label="${esc(summary)}" aria-describedby="${id}-hint"></div><span class="visually-hidden" id="${id}-hint">${esc(t('day.hint'))}</span><div class="tip" role="status" hidden></div></td>
<td class="last"${label('col.lastProbe')}>${esc(whenShort(channel.lastProbeAt))}</td>
<td${label('col.open')}>${open ? `<ul class="open-list">${open}</ul>` : esc(t('value.none'))}</td>
</tr>`;
}

function vendorSection(vendor, start) {
  const headId = `v-${esc(vendor.slug)}`;
  const rows = vendor.channels.map((c, i) => channelRow(vendor, c, start + i)).join('');
  return `<section class="vendor" aria-labelledby="${headId}">
<h2 id="${headId}"><a href="/vendor/${encodeURIComponent(vendor.slug)}">${esc(vendor.name)}</a><span class="tz">${esc(vendor.timezone)}</span></h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="${headId}"><table class="cards">
<thead><tr><th scope="col">${esc(t('col.channel'))}</th><th scope="col">${esc(t('col.status'))}</th><th scope="col" class="num">${esc(t('col.median'))}</th><th scope="col" class="num">${esc(t('col.sample'))}</th><th scope="col" class="num">${esc(t('col.sla'))}</th><th scope="col">${esc(t('col.days'))}</th><th scope="col">${esc(t('col.lastProbe'))}</th><th scope="col">${esc(t('col.open'))}</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

/** The server drew every bar as SVG (so print and full-page captures show them): each moves into its row. */
function placeBars(targets, drawn) {
  for (const target of targets) {
    const svg = drawn.get(`${target.dataset.vendor}\n${target.dataset.channel}`);
    if (svg) target.append(svg);
  }
}

function drawnBars() {
  const drawn = new Map();
  for (const svg of /** @type {NodeListOf<SVGElement>} */ (document.querySelectorAll('#day-bars svg')))
    drawn.set(`${svg.dataset.vendor}\n${svg.dataset.channel}`, svg);
  return drawn;
}

function attachTooltip(target) {
  const canvas = target instanceof Element ? /** @type {HTMLElement | null} */ (target.closest('.days')) : null;
  if (!canvas || canvas.dataset.tip) return;
  canvas.dataset.tip = 'on';
  const days = canvas.dataset.days ? canvas.dataset.days.split(',') : [];
  const first = canvas.dataset.first;
  const tip = /** @type {HTMLElement} */ (canvas.parentElement.querySelector('.tip'));
  let index = days.length - 1;
  const show = (i) => {
    if (!first || days.length === 0) return;
    index = Math.max(0, Math.min(days.length - 1, i));
    tip.textContent = dayText(first, days[index], index);
    tip.hidden = false;
    const x = (index + 0.5) * (canvas.clientWidth / days.length);
    tip.style.left = `${Math.max(0, Math.min(x - 80, canvas.clientWidth - 120))}px`;
  };
  canvas.addEventListener('pointermove', (/** @type {PointerEvent} */ e) =>
    show(Math.floor(((e.clientX - canvas.getBoundingClientRect().left) / canvas.clientWidth) * days.length)),
  );
  canvas.addEventListener('pointerleave', () => {
    tip.hidden = true;
  });
  canvas.addEventListener('blur', () => {
    tip.hidden = true;
  });
  canvas.addEventListener('focus', () => show(index));
  canvas.addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, Home: -days.length, End: days.length };
    if (!(e.key in moves)) return;
    e.preventDefault();
    show(index + moves[e.key]);
  });
  if (document.activeElement === canvas) show(index);
}

/** The first screen is built at once; the remaining vendors follow in chunks so the page shows without waiting for all. */
let drawing = 0;
function render(doc) {
  const drawn = drawnBars();
  const root = document.getElementById('vendors');
  const run = ++drawing;
  root.replaceChildren();
  if (doc.vendors.length === 0 && !doc.paging?.query) root.innerHTML = `<p>${esc(t('home.empty'))}</p>`;
  let start = 0;
  let next = 0;
  const append = (count) => {
    const chunk = doc.vendors.slice(next, next + count);
    next += chunk.length;
    const html = chunk
      .map((v) => {
        const section = vendorSection(v, start);
        start += v.channels.length;
        return section;
      })
      .join('');
    const holder = document.createElement('div');
    holder.innerHTML = html;
    placeBars(holder.querySelectorAll('.days'), drawn);
    root.append(...holder.childNodes);
  };
  append(12);
  const rest = () => {
    if (run !== drawing) return;
    if (next >= doc.vendors.length) {
      root.dataset.query = doc.paging?.query ?? '';
      markRendered();
      return;
    }
    append(40);
    setTimeout(rest, 0);
  };
  setTimeout(rest, 0);
}

/**
 * Search as the visitor types: the server's page for the query (the same page the form would load) is fetched, and its
 * rows, status line, pages and bars replace these; the address follows so the result can be shared or reloaded.
 */
function searchAsTyped() {
  const form = /** @type {HTMLFormElement | null} */ (document.getElementById('vendor-search-form'));
  const input = document.getElementById('vendor-search');
  if (!form || !input) return;
  let timer;
  let inFlight;
  const search = async () => {
    const params = new URLSearchParams(/** @type {Record<string, string>} */ (/** @type {unknown} */ (new FormData(form))));
    if (!String(params.get('q') ?? '').trim()) params.delete('q');
    const query = params.toString();
    const url = `/${query ? `?${query}` : ''}`;
    if (url === `${location.pathname}${location.search}`) return;
    inFlight?.abort();
    inFlight = new AbortController();
    let html;
    try {
      const res = await fetch(url, { signal: inFlight.signal, headers: { accept: 'text/html' } });
      if (!res.ok) return;
      html = await res.text();
    } catch (e) {
      if (e.name !== 'AbortError') form.submit();
      return;
    }
    const next = new DOMParser().parseFromString(html, 'text/html');
    const data = next.getElementById('page-data');
    if (!data) return;
    for (const id of ['results-status', 'home-pager', 'day-bars']) {
      const mine = document.getElementById(id);
      const theirs = next.getElementById(id);
      if (mine && theirs) mine.replaceWith(document.adoptNode(theirs));
    }
    history.replaceState(null, '', url);
    render(JSON.parse(data.textContent || '{}'));
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    void search();
  });
}

legend();
const root = document.getElementById('vendors');
root.addEventListener('pointerover', (e) => attachTooltip(e.target), { passive: true });
root.addEventListener('focusin', (e) => attachTooltip(e.target));
render(doc);
startClocks(now);
footer(doc.generatedAt, doc.demoTime);
performance.mark('firstreply-first-render');
searchAsTyped();
