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
import { renderBytes } from '../cache.ts';
import { signOutForm } from './admin-session.ts';
import { homeQueryMax, homeSlice, type HomePaging } from '../home-paging.ts';
import { homePageHtml } from '../home-page.ts';
import type { ListIndex, ListedVendor } from '../document-build.ts';

const windowParam = z.enum(['7d', '30d', '90d', 'all']);
const langQuery = z.object({ lang: z.string().max(20).optional() });
const homePageQuery = langQuery.extend({
  q: z
    .string()
    .max(homeQueryMax * 4)
    .optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  all: z.enum(['1']).optional(),
});
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

const trialsHeading: Record<Language, string> = { en: 'Trials', 'zh-CN': '试用评估' };

/** Trials the signed-in operator can open; a public visitor's page has no trace of them. */
export function pageRoutes(app: FastifyInstance, ctx: ServerContext, trials: readonly { id: string; name: string }[] = []): void {
  const operatorTrials = (lang: Language) =>
    trials.length === 0
      ? ''
      : `<nav class="trials" aria-labelledby="trials-heading"><h2 id="trials-heading">${escapeHtml(trialsHeading[lang])}</h2><ul>${trials.map((trial) => `<li><a href="/trial/${encodeURIComponent(trial.id)}">${escapeHtml(trial.name)}</a></li>`).join('')}</ul></nav>`;
  const methodology = readFragments(ctx.siteDir, 'methodology');
  const docs = ctx.documents;
  const sendHtml = cachedSender({ type: 'text/html; charset=utf-8', vary: 'Accept-Encoding, Accept-Language, Cookie', maxAgeS: 0 });
  // A signed-in operator's page shows private vendors: built for this response only, never kept in the response cache.
  const sendPage = (request: FastifyRequest, reply: FastifyReply, key: string, build: () => string, operator = false) =>
    operator
      ? sendHtml(request, reply, renderBytes(Buffer.from(build()), ctx.clock.now()), true)
      : sendHtml(request, reply, ctx.cache.getText(key, build), false);
  const operatorHeader = (operator: boolean, lang: Language) => (operator ? { headerExtra: signOutForm(lang) } : {});
  const heading = (lang: Language, _page: PageName, text: string, intro = '') =>
    `<h1 id="page-heading">${escapeHtml(text)}</h1>${intro}<noscript><p>${escapeHtml(t(lang, 'noscript'))}</p></noscript>`;

  // Pages without a search are sliced once per version of the list: no such request walks the whole list.
  const slices = new WeakMap<ListIndex, Map<string, { vendors: ListedVendor[]; paging: HomePaging }>>();
  const homeShown = (index: ListIndex, wanted: { query: string | undefined; page: number; all: boolean }) => {
    if ((wanted.query ?? '').trim() !== '') return homeSlice(index.vendors, wanted);
    let known = slices.get(index);
    if (!known) {
      known = new Map();
      slices.set(index, known);
    }
    const key = `${wanted.all}:${wanted.page}`;
    let shown = known.get(key);
    if (!shown) {
      shown = homeSlice(index.vendors, wanted);
      if (known.size < 256) known.set(key, shown);
    }
    return shown;
  };

  app.get('/', cachedRoute, async (request, reply) => {
    const input = parseInput(homePageQuery, request.query);
    const lang = pageLanguage(request, reply, input.lang);
    const operator = ctx.isOperator(request);
    const list = await docs.list('90d', operator);
    const shown = homeShown(list.index, { query: input.q, page: input.page, all: input.all === '1' });
    const { paging } = shown;
    const prebuilt = !operator && paging.query === '' && !paging.all && paging.page === 1 ? list.home?.[lang] : undefined;
    // Built off the main thread with the list: no HTML or compression here after a write.
    if (prebuilt) return sendHtml(request, reply, prebuilt, false);
    const build = () => {
      // Only the vendors this page shows are parsed, from their slices of the list.
      const { generatedAt, window, demoTime } = list.index;
      const listed = { generatedAt, window, demoTime, vendors: docs.listedVendors(list, shown.vendors) };
      return homePageHtml({
        lang,
        demoTime: ctx.demoTime,
        path: pathWithout(request.url, 'lang'),
        listed,
        paging,
        ...(operator ? { headerExtra: signOutForm(lang), trials: operatorTrials(lang) } : {}),
      });
    };
    if (operator) return sendPage(request, reply, '', build, true);
    // A search is built for its response only: no query text can push the pages out of the response cache.
    if (paging.query !== '') return sendHtml(request, reply, renderBytes(Buffer.from(build()), ctx.clock.now()), false);
    return sendPage(request, reply, `page:home:${lang}:${list.etag}:${paging.all ? 'all' : paging.page}`, build);
  });

  app.get('/vendor/:slug', cachedRoute, async (request, reply) => {
    const { slug } = parseInput(slugParams, request.params);
    const { lang: requested, window } = parseInput(vendorPageQuery, request.query);
    const lang = pageLanguage(request, reply, requested);
    const operator = ctx.isOperator(request);
    if (!ctx.queries.vendorVisible(slug, operator)) throw new HttpError(404, 'NOT_FOUND', `no vendor "${slug}"`);
    const isPublic = ctx.queries.vendorVisible(slug, false);
    const scope = { vendor: slug, admin: operator };
    const report = await docs.vendor(scope, window);
    const probes = await docs.probes(scope, window, 500);
    const name = ctx.queries.vendorName(slug) ?? slug;
    const base = publicBase(ctx, request);
    const listed = docs.listedVendor(await docs.list('90d', operator), slug) ?? { slug, name, timezone: 'UTC', channels: [] };
    return sendPage(
      request,
      reply,
      `page:vendor:${slug}:${window}:${lang}:${report.etag}:${probes.etag}:${base}`,
      () =>
        pageShell({
          lang,
          page: 'vendor',
          title: name,
          demoTime: ctx.demoTime,
          path: pathWithout(request.url, 'lang'),
          ...operatorHeader(operator, lang),
          scripts: ['/assets/uplot/uPlot.iife.min.js'],
          styles: ['/assets/uplot/uPlot.min.css'],
          data: `{"window":${JSON.stringify(window)},"windows":${JSON.stringify(windows)},"report":${report.raw.toString()},"probes":${probes.raw.toString()}}`,
          main: `${heading(lang, 'vendor', name)}<div id="vendor"></div>${isPublic ? shareSection(lang, base, listed) : ''}`,
        }),
      operator,
    );
  });

  app.get('/compare', { ...cachedRoute, config: ctx.expensive }, async (request, reply) => {
    const query = parseInput(comparePageQuery, request.query);
    const lang = pageLanguage(request, reply, query.lang);
    const operator = ctx.isOperator(request);
    const all = await docs.vendors('90d', operator);
    const selected = (query.vendors ?? query.v ?? []).filter((slug) => ctx.queries.vendorVisible(slug, operator));
    const compare = selected.length > 0 ? await docs.compare(selected, query.window, operator) : null;
    return sendPage(
      request,
      reply,
      `page:compare:${selected.join(',')}:${query.window}:${lang}:${all.etag}:${compare?.etag ?? ''}`,
      () =>
        pageShell({
          lang,
          page: 'compare',
          title: t(lang, 'compare.heading'),
          demoTime: ctx.demoTime,
          path: pathWithout(request.url, 'lang'),
          ...operatorHeader(operator, lang),
          data: `{"window":${JSON.stringify(query.window)},"windows":${JSON.stringify(windows)},"selected":${JSON.stringify(selected)},"vendors":${all.raw.toString()},"compare":${compare ? compare.raw.toString() : 'null'}}`,
          main: `${heading(lang, 'compare', t(lang, 'compare.heading'))}<div id="compare"></div>`,
        }),
      operator,
    );
  });

  app.get('/methodology', cachedRoute, async (request, reply) => {
    const { lang: requested } = parseInput(langQuery, request.query);
    const lang = pageLanguage(request, reply, requested);
    return sendPage(request, reply, `page:methodology:${lang}`, () =>
      pageShell({
        lang,
        page: 'methodology',
        title: t(lang, 'methodology.heading'),
        demoTime: ctx.demoTime,
        path: pathWithout(request.url, 'lang'),
        main: `<h1 id="page-heading">${escapeHtml(t(lang, 'methodology.heading'))}</h1>\n<div class="prose">${methodology[lang]}</div>`,
      }),
    );
  });
}

/** The 404 page in the visitor's language. */
export function notFoundPage(request: FastifyRequest, demoTime: boolean): string {
  const lang = cookieLanguage(request.headers.cookie) ?? fromAcceptLanguage(request.headers['accept-language']) ?? 'en';
  return pageShell({
    lang,
    page: 'notfound',
    title: t(lang, 'notfound.heading'),
    demoTime,
    path: '/',
    main: `<h1 id="page-heading">${escapeHtml(t(lang, 'notfound.heading'))}</h1><p><a href="/">${escapeHtml(t(lang, 'notfound.back'))}</a></p>`,
  });
}
