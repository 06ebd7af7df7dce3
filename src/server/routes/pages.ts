// The HTML pages: home, vendor, compare and methodology — a translated shell plus the view's JSON for a small script.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { HttpError, cachedRoute, cachedSender, pageLanguage, parseInput, slugParams, vendorListParam, type ServerContext } from '../http.ts';
import { escapeHtml, pageShell, t, type PageName } from '../html.ts';
import { cookieLanguage, fromAcceptLanguage, type Language } from '../i18n.ts';
import { windows } from '../documents.ts';
import { publicBase, shareSection } from './embed.ts';

const windowParam = z.enum(['7d', '30d', '90d', 'all']);
const langQuery = z.object({ lang: z.string().max(20).optional() });
const vendorPageQuery = langQuery.extend({ window: windowParam.default('90d') });
const comparePageQuery = langQuery.extend({ vendors: vendorListParam.optional(), v: vendorListParam.optional(), window: windowParam.default('30d') });

function readFragments(siteDir: string, name: string): Record<Language, string> {
  const read = (lang: Language) => readFileSync(join(siteDir, 'fragments', `${name}.${lang}.html`), 'utf8');
  return { en: read('en'), 'zh-CN': read('zh-CN') };
}

function pathWithout(url: string, drop: string): string {
  const [pathname, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  params.delete(drop);
  const rest = params.toString();
  return `${pathname ?? '/'}${rest ? `?${rest}` : ''}`;
}

export function pageRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const methodology = readFragments(ctx.siteDir, 'methodology');
  const docs = ctx.documents;
  const sendHtml = cachedSender({ type: 'text/html; charset=utf-8', vary: 'Accept-Encoding, Accept-Language, Cookie', maxAgeS: 0 });
  const sendPage = (request: FastifyRequest, reply: FastifyReply, key: string, build: () => string) =>
    sendHtml(request, reply, ctx.cache.getText(key, build), false);
  const heading = (lang: Language, page: PageName, text: string, intro = '') =>
    `<h1 id="page-heading">${escapeHtml(text)}</h1>${intro}<noscript><p>${escapeHtml(t(lang, 'noscript'))}</p></noscript>`;

  app.get('/', cachedRoute, async (request, reply) => {
    const { lang: requested } = parseInput(langQuery, request.query);
    const lang = pageLanguage(request, reply, requested);
    const vendors = await docs.vendors('90d', false);
    return sendPage(request, reply, `page:home:${lang}:${vendors.etag}`, () => pageShell({
      lang, page: 'home', title: t(lang, 'nav.status'), demoTime: ctx.demoTime, path: pathWithout(request.url, 'lang'),
      data: vendors.raw.toString(),
      main: `${heading(lang, 'home', t(lang, 'home.heading'), `<p class="intro">${escapeHtml(t(lang, 'site.tagline'))}</p><p class="note">${escapeHtml(t(lang, 'home.window', { days: 90 }))}</p>`)}
<div id="legend" class="legend"></div>
<div id="vendors" class="vendors"></div>`,
    }));
  });

  app.get('/vendor/:slug', cachedRoute, async (request, reply) => {
    const { slug } = parseInput(slugParams, request.params);
    const { lang: requested, window } = parseInput(vendorPageQuery, request.query);
    const lang = pageLanguage(request, reply, requested);
    if (!ctx.queries.vendorVisible(slug, false)) throw new HttpError(404, 'NOT_FOUND', `no vendor "${slug}"`);
    const scope = { vendor: slug, admin: false };
    const report = await docs.vendor(scope, window);
    const probes = await docs.probes(scope, window, 500);
    const name = ctx.queries.vendorName(slug) ?? slug;
    const base = publicBase(ctx, request);
    const listed = (await docs.vendorsValue('90d', false)).vendors.find((v) => v.slug === slug) ?? { slug, name, timezone: 'UTC', channels: [] };
    return sendPage(request, reply, `page:vendor:${slug}:${window}:${lang}:${report.etag}:${probes.etag}:${base}`, () => pageShell({
      lang, page: 'vendor', title: name, demoTime: ctx.demoTime, path: pathWithout(request.url, 'lang'),
      scripts: ['/assets/uplot/uPlot.iife.min.js'], styles: ['/assets/uplot/uPlot.min.css'],
      data: `{"window":${JSON.stringify(window)},"windows":${JSON.stringify(windows)},"report":${report.raw.toString()},"probes":${probes.raw.toString()}}`,
      main: `${heading(lang, 'vendor', name)}<div id="vendor"></div>${shareSection(lang, base, listed)}`,
    }));
  });

  app.get('/compare', { ...cachedRoute, config: ctx.expensive }, async (request, reply) => {
    const query = parseInput(comparePageQuery, request.query);
    const lang = pageLanguage(request, reply, query.lang);
    const all = await docs.vendors('90d', false);
    const selected = (query.vendors ?? query.v ?? []).filter((slug) => ctx.queries.vendorVisible(slug, false));
    const compare = selected.length > 0 ? await docs.compare(selected, query.window, false) : null;
    return sendPage(request, reply, `page:compare:${selected.join(',')}:${query.window}:${lang}:${all.etag}:${compare?.etag ?? ''}`, () => pageShell({
      lang, page: 'compare', title: t(lang, 'compare.heading'), demoTime: ctx.demoTime, path: pathWithout(request.url, 'lang'),
      data: `{"window":${JSON.stringify(query.window)},"windows":${JSON.stringify(windows)},"selected":${JSON.stringify(selected)},"vendors":${all.raw.toString()},"compare":${compare ? compare.raw.toString() : 'null'}}`,
      main: `${heading(lang, 'compare', t(lang, 'compare.heading'))}<div id="compare"></div>`,
    }));
  });

  app.get('/methodology', cachedRoute, async (request, reply) => {
    const { lang: requested } = parseInput(langQuery, request.query);
    const lang = pageLanguage(request, reply, requested);
    return sendPage(request, reply, `page:methodology:${lang}`, () => pageShell({
      lang, page: 'methodology', title: t(lang, 'methodology.heading'), demoTime: ctx.demoTime, path: pathWithout(request.url, 'lang'),
      main: `<h1 id="page-heading">${escapeHtml(t(lang, 'methodology.heading'))}</h1>\n<div class="prose">${methodology[lang]}</div>`,
    }));
  });
}

/** The 404 page in the visitor's language. */
export function notFoundPage(request: FastifyRequest, demoTime: boolean): string {
  const lang = cookieLanguage(request.headers.cookie) ?? fromAcceptLanguage(request.headers['accept-language']) ?? 'en';
  return pageShell({
    lang, page: 'notfound', title: t(lang, 'notfound.heading'), demoTime, path: '/',
    main: `<h1 id="page-heading">${escapeHtml(t(lang, 'notfound.heading'))}</h1><p><a href="/">${escapeHtml(t(lang, 'notfound.back'))}</a></p>`,
  });
}
