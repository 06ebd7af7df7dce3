// Home: every public vendor × channel with its status, median, SLA share, 90-day bar and open probes with live clocks.
import { pageData, t, esc, whenShort, isoDay, percent, estimate, channelStatusHtml, serverClock, startClocks, footer, palette, markRendered } from './common.js';

const doc = pageData;
const now = serverClock(doc.generatedAt);
const DAY = 86_400_000;

function legend() {
  const items = [['g', 'legend.within'], ['s', 'legend.slower'], ['n', 'legend.noReply'], ['o', 'legend.open'], ['e', 'legend.none']];
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
  const open = channel.open.map(({ id, tier, sentAt, deadlineAt, firstAckAt: ackAt }) =>
    `<li data-probe="${esc(id)}">${esc(tier)} · <span class="clock" data-sent="${esc(sentAt)}"${deadlineAt === null ? '' : ` data-deadline="${esc(deadlineAt)}"`}></span>${ackAt === null ? '' : ` <span class="small">${esc(t('open.ack'))}</span>`}</li>`).join('');
  const sla = slaN > 0 ? `${percent(met / slaN)}<span class="small">${esc(t('value.slaOf', { met, n: slaN }))}</span>` : esc(t('value.none'));
  const id = `bar-${index}`;
  return `<tr data-vendor="${esc(vendor.slug)}" data-channel="${esc(channel.channel)}">
<th scope="row">${esc(channel.channel)}<span class="small">${esc(channel.kind)}</span></th>
<td>${channelStatusHtml(channel)}</td>
<td class="num"><span class="median">${esc(median.value)}</span>${median.ci ? `<span class="ci">${esc(median.ci)}</span>` : ''}</td>
<td class="num"><span class="sample">${esc(channel.n)}</span>${channel.noReplyShare === null ? '' : `<span class="small">${esc(t('value.noReply', { share: percent(channel.noReplyShare) }))}</span>`}${channel.awaitingReview ? `<span class="small awaiting" data-awaiting="${esc(channel.awaitingReview)}">${esc(t('value.awaitingReview', { n: channel.awaitingReview }))}</span>` : ''}</td>
<td class="num sla">${sla}</td>
<td class="days-cell"><canvas class="days" id="${id}" data-first="${esc(channel.days.first ?? '')}" data-days="${esc(days.join(','))}" tabindex="0" role="img" aria-label="${esc(summary)}" aria-describedby="${id}-hint"></canvas><span class="visually-hidden" id="${id}-hint">${esc(t('day.hint'))}</span><div class="tip" role="status" hidden></div></td>
<td class="last">${esc(whenShort(channel.lastProbeAt))}</td>
<td>${open ? `<ul class="open-list">${open}</ul>` : esc(t('value.none'))}</td>
</tr>`;
}

function vendorSection(vendor, start) {
  const headId = `v-${esc(vendor.slug)}`;
  const rows = vendor.channels.map((c, i) => channelRow(vendor, c, start + i)).join('');
  return `<section class="vendor" aria-labelledby="${headId}">
<h2 id="${headId}"><a href="/vendor/${encodeURIComponent(vendor.slug)}">${esc(vendor.name)}</a><span class="tz">${esc(vendor.timezone)}</span></h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="${headId}"><table>
<thead><tr><th scope="col">${esc(t('col.channel'))}</th><th scope="col">${esc(t('col.status'))}</th><th scope="col" class="num">${esc(t('col.median'))}</th><th scope="col" class="num">${esc(t('col.sample'))}</th><th scope="col" class="num">${esc(t('col.sla'))}</th><th scope="col">${esc(t('col.days'))}</th><th scope="col">${esc(t('col.lastProbe'))}</th><th scope="col">${esc(t('col.open'))}</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

/** Draws one bar at a size measured beforehand (measuring while drawing would force a layout per canvas). */
function drawBar(canvas, colours, width, height) {
  const days = canvas.dataset.days ? canvas.dataset.days.split(',') : [];
  const count = Math.max(days.length, 1);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  const step = width / count;
  const barWidth = Math.max(1, step - (step > 3 ? 1 : 0));
  days.forEach((code, i) => {
    const x = i * step;
    if (!code) {
      g.fillStyle = colours.empty;
      g.fillRect(x, height * 0.35, barWidth, height * 0.3);
      return;
    }
    let y = 0;
    for (const ch of ['n', 's', 'o', 'g']) {
      let part = 0;
      for (const c of code) if (c === ch) part++;
      if (!part) continue;
      const h = (part / code.length) * height;
      g.fillStyle = colours[ch];
      g.fillRect(x, y, barWidth, h);
      y += h;
    }
  });
}

/** Draws bars as they come into view: the first screen is drawn at once, the rest while scrolling. */
function drawBars(bars, colours) {
  const pending = new Set(bars);
  const drawAll = (list) => {
    const sizes = list.map((c) => [c.clientWidth || 300, c.clientHeight || 28]);
    list.forEach((c, i) => drawBar(c, colours, sizes[i][0], sizes[i][1]));
  };
  const observer = new IntersectionObserver((entries) => {
    const visible = entries.filter((e) => e.isIntersecting && pending.has(e.target)).map((e) => e.target);
    for (const c of visible) { pending.delete(c); observer.unobserve(c); }
    drawAll(visible);
  }, { rootMargin: '400px 0px' });
  const viewport = innerHeight + 400;
  const first = bars.filter((c) => c.getBoundingClientRect().top < viewport);
  for (const c of first) pending.delete(c);
  drawAll(first);
  for (const c of pending) observer.observe(c);
  return { redraw: () => drawAll(bars.filter((c) => !pending.has(c))), setColours: (fresh) => { colours = fresh; } };
}

function attachTooltip(canvas) {
  if (!(canvas instanceof HTMLCanvasElement) || canvas.dataset.tip) return;
  canvas.dataset.tip = 'on';
  const days = canvas.dataset.days ? canvas.dataset.days.split(',') : [];
  const first = canvas.dataset.first;
  const tip = canvas.parentElement.querySelector('.tip');
  let index = days.length - 1;
  const show = (i) => {
    if (!first || days.length === 0) return;
    index = Math.max(0, Math.min(days.length - 1, i));
    tip.textContent = dayText(first, days[index], index);
    tip.hidden = false;
    const x = (index + 0.5) * (canvas.clientWidth / days.length);
    tip.style.left = `${Math.max(0, Math.min(x - 80, canvas.clientWidth - 120))}px`;
  };
  canvas.addEventListener('pointermove', (e) => show(Math.floor((e.offsetX / canvas.clientWidth) * days.length)));
  canvas.addEventListener('pointerleave', () => { tip.hidden = true; });
  canvas.addEventListener('blur', () => { tip.hidden = true; });
  canvas.addEventListener('focus', () => show(index));
  canvas.addEventListener('keydown', (e) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, Home: -days.length, End: days.length };
    if (!(e.key in moves)) return;
    e.preventDefault();
    show(index + moves[e.key]);
  });
  if (document.activeElement === canvas) show(index);
}

/** The first screen is built at once; the remaining vendors follow in chunks so the page shows without waiting for all. */
function render() {
  legend();
  const root = document.getElementById('vendors');
  root.addEventListener('pointerover', (e) => attachTooltip(e.target), { passive: true });
  root.addEventListener('focusin', (e) => attachTooltip(e.target));
  if (doc.vendors.length === 0) root.innerHTML = `<p>${esc(t('home.empty'))}</p>`;
  let colours = palette();
  const painters = [];
  let start = 0;
  let next = 0;
  const append = (count) => {
    const chunk = doc.vendors.slice(next, next + count);
    next += chunk.length;
    const html = chunk.map((v) => {
      const section = vendorSection(v, start);
      start += v.channels.length;
      return section;
    }).join('');
    const holder = document.createElement('div');
    holder.innerHTML = html;
    const bars = [...holder.querySelectorAll('canvas.days')];
    root.append(...holder.childNodes);
    painters.push(drawBars(bars, colours));
  };
  append(12);
  startClocks(now);
  footer(doc.generatedAt, doc.demoTime);
  performance.mark('firstreply-first-render');
  const rest = () => {
    if (next >= doc.vendors.length) {
      markRendered();
      return;
    }
    append(40);
    setTimeout(rest, 0);
  };
  setTimeout(rest, 0);
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    colours = palette();
    for (const painter of painters) {
      painter.setColours(colours);
      painter.redraw();
    }
  });
}

render();

