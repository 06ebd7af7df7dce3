// Pure: the home page's HTML for one page of the vendors list — built by the route, or by the status worker for the
// pages without a search, alongside the list they show.
import { escapeHtml, pageShell, t } from './html.ts';
import type { Language } from './i18n.ts';
import { dayBarsHolder } from './day-bars.ts';
import { homeQueryMax, type HomePaging } from './home-paging.ts';
import type { VendorsDocument } from './views.ts';

/** The home page's address for a search, page or the full list (language comes from the cookie). */
function homeHref(query: string, page: number, all: boolean): string {
  const params = new URLSearchParams();
  if (query !== '') params.set('q', query);
  if (all) params.set('all', '1');
  else if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text === '' ? '/' : `/?${text}`;
}

/** A GET form: it searches without script; home.js searches as the visitor types. */
function homeSearchForm(lang: Language, paging: HomePaging): string {
  return `<form class="search" id="vendor-search-form" role="search" method="get" action="/">
<label for="vendor-search">${escapeHtml(t(lang, 'home.search.label'))}</label>
<div class="search-row"><input type="search" id="vendor-search" name="q" value="${escapeHtml(paging.query)}" maxlength="${homeQueryMax}" autocomplete="off" spellcheck="false">${paging.all ? '<input type="hidden" name="all" value="1">' : ''}<button type="submit">${escapeHtml(t(lang, 'home.search.button'))}</button></div>
</form>`;
}

/** What this page holds of the list, with the links to the full list or back to pages and to clear a search. */
function homeStatus(lang: Language, paging: HomePaging): string {
  const n = (value: number) => value.toLocaleString(lang);
  const values = { first: n(paging.first), last: n(paging.last), total: n(paging.total), matched: n(paging.matched), query: paging.query };
  const link = (href: string, text: string, id: string) => ` <a id="${id}" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const searching = paging.query !== '';
  if (paging.total === 0) return '';
  if (searching && paging.matched === 0) return `${escapeHtml(t(lang, 'home.noMatch', values))}${link('/', t(lang, 'home.clear'), 'show-every')}`;
  const text = paging.all ? t(lang, searching ? 'home.allMatches' : 'home.allRange', values) : t(lang, searching ? 'home.matchRange' : 'home.range', values);
  const full = paging.all
    ? link(homeHref(paging.query, 1, false), t(lang, 'home.showPaged'), 'show-paged')
    : paging.pages > 1
      ? link(homeHref(paging.query, 1, true), t(lang, 'home.showAll', { rows: n(paging.matchedRows) }), 'show-all')
      : '';
  return `${escapeHtml(text)}${full}${searching ? link('/', t(lang, 'home.clear'), 'show-every') : ''}`;
}

/** Previous, a window of page numbers around this one (with the first and last) and next. */
function homePager(lang: Language, paging: HomePaging): string {
  if (paging.all || paging.pages <= 1) return '';
  const { page, pages, query } = paging;
  const numbers = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  const items: string[] = [];
  if (page > 1) items.push(`<li><a rel="prev" href="${escapeHtml(homeHref(query, page - 1, false))}">${escapeHtml(t(lang, 'home.prev'))}</a></li>`);
  numbers.forEach((p, i) => {
    if (i > 0 && p - (numbers[i - 1] ?? p) > 1) items.push('<li class="gap" aria-hidden="true">…</li>');
    const label = escapeHtml(t(lang, 'home.page', { page: p, pages }));
    items.push(
      p === page
        ? `<li><span aria-current="page" aria-label="${label}">${p}</span></li>`
        : `<li><a href="${escapeHtml(homeHref(query, p, false))}" aria-label="${label}">${p}</a></li>`,
    );
  });
  if (page < pages) items.push(`<li><a rel="next" href="${escapeHtml(homeHref(query, page + 1, false))}">${escapeHtml(t(lang, 'home.next'))}</a></li>`);
  return `<nav class="pager" aria-label="${escapeHtml(t(lang, 'home.pages'))}"><ul>${items.join('')}</ul></nav>`;
}

export interface HomePageInput {
  lang: Language;
  demoTime: boolean;
  /** Path and query without lang, for the language switch. */
  path: string;
  /** The vendors this page shows, with the list's head. */
  listed: VendorsDocument;
  paging: HomePaging;
  /** Trusted markup: the signed-in operator's sign-out button and trials ('' for a visitor). */
  headerExtra?: string;
  trials?: string;
}

export function homePageHtml(input: HomePageInput): string {
  const { lang, paging, listed } = input;
  return pageShell({
    lang,
    page: 'home',
    title: t(lang, 'nav.status'),
    demoTime: input.demoTime,
    path: input.path,
    ...(input.headerExtra !== undefined ? { headerExtra: input.headerExtra } : {}),
    data: JSON.stringify({ ...listed, paging }),
    main: `<h1 id="page-heading">${escapeHtml(t(lang, 'home.heading'))}</h1><p class="intro">${escapeHtml(t(lang, 'site.tagline'))}</p><p class="note">${escapeHtml(t(lang, 'home.window', { days: 90 }))}</p><noscript><p>${escapeHtml(t(lang, 'noscript'))}</p></noscript>
${input.trials ?? ''}${homeSearchForm(lang, paging)}
<p id="results-status" class="results-status" role="status">${homeStatus(lang, paging)}</p>
<div id="legend" class="legend"></div>
<div id="vendors" class="vendors"></div>
<div id="home-pager">${homePager(lang, paging)}</div>${dayBarsHolder(listed)}`,
  });
}
