// Compare: pick vendors and a window, then a side-by-side scorecard of the dimensions that matter to a buyer.
import { pageData, t, esc, duration, percent, estimate, ciHtml, tierVerdict, footer, markRendered } from './common.js';

const { vendors, compare, selected, window: current, windows } = pageData;
const root = document.getElementById('compare');

function form() {
  const checks = vendors.vendors
    .map((v) => `<label><input type="checkbox" name="vendors" value="${esc(v.slug)}"${selected.includes(v.slug) ? ' checked' : ''}> ${esc(v.name)}</label>`)
    .join('');
  const options = windows.map((w) => `<option value="${esc(w)}"${w === current ? ' selected' : ''}>${esc(t(`window.${w}`))}</option>`).join('');
  return `<form method="get" action="/compare" class="compare-form">
<fieldset><legend>${esc(t('compare.pick'))}</legend><div class="checks">${checks}</div></fieldset>
<div class="controls"><label for="window">${esc(t('compare.window'))}</label> <select id="window" name="window">${options}</select>
<button type="submit" class="primary">${esc(t('compare.submit'))}</button></div>
</form>`;
}

function scorecard() {
  if (!compare || compare.vendors.length === 0) return `<p>${esc(t('compare.empty'))}</p>`;
  const cols = compare.vendors;
  const head = `<tr><th scope="col">${esc(t('compare.dimension'))}</th>${cols.map((v) => `<th scope="col"><a href="/vendor/${encodeURIComponent(v.slug)}?window=${encodeURIComponent(current)}">${esc(v.name)}</a></th>`).join('')}</tr>`;
  const group = (key) => `<tr><th scope="rowgroup" colspan="${cols.length + 1}">${esc(t(key))}</th></tr>`;
  const row = (key, cell, name, label = t(key)) =>
    `<tr data-row="${name}"><th scope="row">${esc(label)}</th>${cols.map((v) => `<td class="num">${cell(v)}</td>`).join('')}</tr>`;
  const est = (e, which) => {
    const x = estimate(e, which);
    return `${esc(x.value)}${ciHtml(x)}`;
  };
  const ofN = (p) =>
    p.n > 0 ? `${esc(percent(p.share))}<span class="small">${esc(t('quality.ofN', { count: p.count, n: p.n }))}</span>` : esc(t('quality.notMeasured'));
  const byChannel = (channels) =>
    channels
      .map(
        (c) =>
          `<div data-channel="${esc(c.channel)}">${esc(c.channel)}: ${esc(duration(c.firstReplyMedianMs))} · ${c.measured > 0 ? esc(duration(c.resolutionMedianMs)) : esc(t('quality.notMeasured'))}</div>`,
      )
      .join('');
  const tierCells = (v, tier) =>
    (v.tiers ?? [])
      .filter((r) => r.tier === tier)
      .map((r) => {
        const more = r.sufficient
          ? ''
          : `<span class="small insufficient" title="${esc(t('tiers.probes', { probes: r.needed?.probes ?? 0 }))}">${esc(tierVerdict(r))}</span>`;
        return `<div data-channel="${esc(r.channel)}" data-tier="${esc(r.tier)}" data-sufficient="${r.sufficient}">${esc(r.channel)}: ${est(r.median, 'median')} <span class="small">n = ${esc(r.n)}</span>${more}</div>`;
      })
      .join('') || esc(t('value.none'));
  const tiersSeen = [...new Set(cols.flatMap((v) => (v.tiers ?? []).map((r) => r.tier)))].sort();
  const ratio = (r) => (r === null ? esc(t('value.none')) : `×${esc(r.toFixed(1))}`);
  const body = [
    group('compare.responseTime'),
    row('compare.median', (v) => est(v.responseTime.median, 'median'), 'median'),
    row('compare.p90', (v) => est(v.responseTime.p90, 'p90'), 'p90'),
    row('compare.sample', (v) => esc(v.responseTime.n), 'n'),
    row('compare.noReply', (v) => esc(percent(v.responseTime.noReplyShare)), 'no-reply'),
    ...(tiersSeen.length > 0 ? [group('compare.tiers')] : []),
    ...tiersSeen.map((tier) => row('compare.tierRow', (v) => tierCells(v, tier), `tier-${tier}`, t('compare.tierRow', { tier }))),
    group('compare.sla'),
    row(
      'compare.sla',
      (v) =>
        v.sla.n > 0 ? `${esc(percent(v.sla.share))}<span class="small">${esc(t('value.slaOf', { met: v.sla.met, n: v.sla.n }))}</span>` : esc(t('value.none')),
      'sla',
    ),
    group('compare.coverage'),
    row('compare.business', (v) => esc(duration(v.coverage.businessHoursMedianMs)), 'business'),
    row('compare.offHours', (v) => esc(duration(v.coverage.offHoursMedianMs)), 'off-hours'),
    row('compare.hours', (v) => `${esc(v.coverage.hoursAnswered)} / ${esc(v.coverage.hoursProbed)}`, 'hours'),
    group('compare.channels'),
    row('compare.withData', (v) => `${esc(v.channels.withData)} / ${esc(v.channels.total)}`, 'with-data'),
    row('compare.meeting', (v) => `${esc(v.channels.meetingSla)} / ${esc(v.channels.total)}`, 'meeting'),
    row('compare.spread', (v) => ratio(v.channels.spread), 'spread'),
    row('compare.consistency', (v) => ratio(v.consistency.p90OverMedian), 'consistency'),
    group('compare.quality'),
    row('compare.measured', (v) => esc(v.quality.measured), 'measured'),
    row('compare.firstContact', (v) => ofN(v.quality.firstContact), 'first-contact'),
    row('compare.canned', (v) => ofN(v.quality.canned), 'canned'),
    row('compare.askedForGiven', (v) => ofN(v.quality.askedForGiven), 'asked-for-given'),
    row('compare.byChannel', (v) => byChannel(v.quality.channels), 'by-channel'),
  ].join('');
  return `<div class="scroll" tabindex="0" role="region" aria-label="${esc(t('compare.heading'))}"><table class="scorecard"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

root.innerHTML = `${form()}${scorecard()}`;
footer(compare ? compare.generatedAt : vendors.generatedAt, (compare ?? vendors).demoTime);
markRendered();
