// The embeddable widget /embed/<vendor>: a small page other sites may frame, and the copy-paste snippets for it and the badges.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError, cachedRoute, cachedSender, parseInput, slugParams, type ServerContext } from '../http.ts';
import { escapeHtml, t } from '../html.ts';
import { fromAcceptLanguage, languageOf, type Language } from '../i18n.ts';
import type { ChannelSummary, VendorSummary } from '../views.ts';

const embedQuery = z.object({ lang: z.string().max(20).optional() });

const texts = {
  en: {
    heading: 'Time to first human reply',
    window: 'Last 90 days · median with its 95% confidence interval',
    source: 'Measured by firstreply',
    share: 'Embed and share',
    shareIntro: 'Copy one of these into a web page or a README. Figures update as new probes are measured.',
    widget: 'Widget (HTML)',
    badge: 'Badge for the {channel} channel (HTML)',
    markdown: 'Badge for the {channel} channel (Markdown)',
  },
  'zh-CN': {
    heading: '首次人工回复时间',
    window: '最近 90 天 · 中位数及其 95% 置信区间',
    source: '由 firstreply 测量',
    share: '嵌入与分享',
    shareIntro: '将以下任一代码复制到网页或 README 中，数字会随新的探测结果更新。',
    widget: '小组件（HTML）',
    badge: '{channel} 渠道徽章（HTML）',
    markdown: '{channel} 渠道徽章（Markdown）',
  },
} satisfies Record<Language, Record<string, string>>;

/** The same words as the pages' script: "2 h 5 m", "3 d". */
function duration(lang: Language, ms: number | null): string {
  if (ms === null) return t(lang, 'value.notReached');
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t(lang, 'unit.s', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t(lang, 'unit.m', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? t(lang, 'unit.h', { n: h }) : `${t(lang, 'unit.h', { n: h })} ${t(lang, 'unit.m', { n: m % 60 })}`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? t(lang, 'unit.d', { n: d }) : `${t(lang, 'unit.d', { n: d })} ${t(lang, 'unit.h', { n: h % 24 })}`;
}

function channelRow(lang: Language, channel: ChannelSummary): string {
  const e = escapeHtml;
  const [low, high] = channel.ci95Ms;
  const ci =
    channel.medianMs === null || (low === null && high === null)
      ? ''
      : ` <span class="small">${e(t(lang, 'value.ci', { low: low === null ? '…' : duration(lang, low), high: high === null ? '…' : duration(lang, high) }))}</span>`;
  const sla = channel.sla.known > 0 ? `${Math.round((channel.sla.met / channel.sla.known) * 100)}%` : t(lang, 'value.none');
  return (
    `<tr><th scope="row">${e(channel.channel)}</th><td><span class="status ${e(channel.status)}">${e(t(lang, `status.${channel.status}`))}</span></td>` +
    `<td class="num">${e(duration(lang, channel.medianMs))}${ci}</td><td class="num">${e(sla)}</td></tr>`
  );
}

function embedPage(lang: Language, vendor: VendorSummary, demoTime: boolean): string {
  const e = escapeHtml;
  const x = texts[lang];
  const rows = vendor.channels.map((c) => channelRow(lang, c)).join('');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<title>${e(vendor.name)} · firstreply</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="stylesheet" href="/assets/embed.css">
</head>
<body class="embed" data-page="embed">
<main>
<h1><a href="/vendor/${encodeURIComponent(vendor.slug)}" target="_blank" rel="noopener">${e(vendor.name)}</a> <span class="small">${e(x.heading)}</span></h1>
${demoTime ? `<p class="demo-banner" role="note">${e(t(lang, 'demo.banner'))}</p>` : ''}
<table>
<thead><tr><th scope="col">${e(t(lang, 'col.channel'))}</th><th scope="col">${e(t(lang, 'col.status'))}</th><th scope="col" class="num">${e(t(lang, 'col.median'))}</th><th scope="col" class="num">${e(t(lang, 'col.sla'))}</th></tr></thead>
<tbody>${rows}</tbody>
</table>
<p class="small">${e(x.window)} · <a href="/" target="_blank" rel="noopener">${e(x.source)}</a></p>
</main>
</body>
</html>
`;
}

/** The vendor page's snippets: the widget's iframe, and each channel's badge as HTML and Markdown. */
export function shareSection(lang: Language, base: string, vendor: VendorSummary): string {
  const e = escapeHtml;
  const x = texts[lang];
  const slug = encodeURIComponent(vendor.slug);
  const height = 110 + 36 * vendor.channels.length;
  const snippet = (id: string, label: string, code: string) =>
    `<p><label for="${id}">${e(label)}</label><br><textarea id="${id}" class="snippet" readonly rows="3" spellcheck="false">${e(code)}</textarea></p>`;
  const widget = `<iframe src="${e(base)}/embed/${slug}" title="${e(vendor.name)} · firstreply" width="480" height="${height}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
  const badges = vendor.channels.flatMap((c) => {
    const url = `${base}/badge/${slug}/${encodeURIComponent(c.channel)}.svg`;
    const alt = `${vendor.name} ${c.channel}: time to first human reply`;
    return [
      snippet(`share-badge-${c.channel}`, format(x.badge, c.channel), `<a href="${e(base)}/vendor/${slug}"><img src="${e(url)}" alt="${e(alt)}"></a>`),
      snippet(`share-md-${c.channel}`, format(x.markdown, c.channel), `[![${alt.replace(/[[\]\n]/g, '')}](${url})](${base}/vendor/${slug})`),
    ];
  });
  return `<section class="share" aria-labelledby="share-h"><details><summary id="share-h">${e(x.share)}</summary>
<p class="small">${e(x.shareIntro)}</p>
${snippet('share-widget', x.widget, widget)}
${badges.join('\n')}
</details></section>`;
}

function format(template: string, channel: string): string {
  return template.replace('{channel}', channel);
}

/** The public address links in snippets use: settings public_url, else the request's own. */
export function publicBase(ctx: ServerContext, request: FastifyRequest): string {
  return ctx.publicUrl ?? `${request.protocol}://${request.host}`;
}

export function embedRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const sendHtml = cachedSender({ type: 'text/html; charset=utf-8', vary: 'Accept-Encoding, Accept-Language', maxAgeS: 60 });
  app.get('/embed/:slug', cachedRoute, async (request, reply) => {
    const { slug } = parseInput(slugParams, request.params);
    const { lang: requested } = parseInput(embedQuery, request.query);
    // No cookie here: inside another site's frame it would be a third-party cookie.
    const lang = languageOf(requested) ?? fromAcceptLanguage(request.headers['accept-language']) ?? 'en';
    if (!ctx.queries.vendorVisible(slug, false)) throw new HttpError(404, 'NOT_FOUND', `no vendor "${slug}"`);
    const list = await ctx.documents.list('90d', false);
    const vendor = ctx.documents.listedVendor(list, slug);
    if (!vendor) throw new HttpError(404, 'NOT_FOUND', `no vendor "${slug}"`);
    const body = ctx.cache.getText(`embed:${slug}:${lang}:${list.etag}`, () => embedPage(lang, vendor, ctx.demoTime));
    return sendHtml(request, reply, body, false);
  });
}
