// HTML for the pages: escaping, the JSON data island each page's script reads, and the common page shell.
import { format, messages, type Language, type MessageKey } from './i18n.ts';

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

/** JSON safe inside <script type="application/json">: nothing in it can close the element or start markup. */
function jsonForScript(value: unknown): string {
  return jsonTextForScript(JSON.stringify(value));
}

/** The same for JSON that is already serialized (a cached API body). */
function jsonTextForScript(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export type PageName = 'home' | 'vendor' | 'compare' | 'methodology' | 'notfound' | 'admin-review' | 'admin-sign-in' | 'trial';

/** The module each page loads: pages that render themselves with a script of their own load only the common one. */
const pageModules: Record<PageName, string> = {
  home: 'home',
  vendor: 'vendor',
  compare: 'compare',
  methodology: 'methodology',
  notfound: 'common',
  'admin-review': 'admin-review',
  'admin-sign-in': 'common',
  trial: 'common',
};

interface ShellOptions {
  lang: Language;
  page: PageName;
  /** Page title before " · firstreply" (plain text; escaped here). */
  title: string;
  /** Trusted markup of the main element (built with escapeHtml). */
  main: string;
  /** The view's document as JSON text, read by the page script. */
  data?: string;
  demoTime: boolean;
  /** Path and query of this page without lang, for the language switch. */
  path: string;
  /** Classic scripts to load before the page module (e.g. uPlot). */
  scripts?: string[];
  styles?: string[];
  /** Trusted markup at the end of the header row (the signed-in operator's sign-out button). */
  headerExtra?: string;
}

export function t(lang: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return format(messages[lang][key], values);
}

function withLang(path: string, lang: Language): string {
  const [pathname, query = ''] = path.split('?');
  const params = new URLSearchParams(query);
  params.set('lang', lang === 'zh-CN' ? 'zh-CN' : 'en');
  return `${pathname ?? '/'}?${params.toString()}`;
}

export function pageShell(options: ShellOptions): string {
  const { lang } = options;
  const other: Language = lang === 'en' ? 'zh-CN' : 'en';
  const links: [PageName, string, MessageKey][] = [
    ['home', '/', 'nav.status'],
    ['compare', '/compare', 'nav.compare'],
    ['methodology', '/methodology', 'nav.methodology'],
  ];
  const nav = links
    .map(([page, href, key]) => `<li><a href="${href}"${options.page === page ? ' aria-current="page"' : ''}>${escapeHtml(t(lang, key))}</a></li>`)
    .join('');
  const styles = ['/assets/style.css', ...(options.styles ?? [])].map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n');
  const scripts = (options.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('\n');
  const data = options.data === undefined ? '' : `<script type="application/json" id="page-data">${jsonTextForScript(options.data)}</script>\n`;
  const i18n = `<script type="application/json" id="page-i18n">${jsonForScript({ lang, messages: messages[lang] })}</script>\n`;
  const banner = options.demoTime ? `<div class="demo-banner" role="note">${escapeHtml(t(lang, 'demo.banner'))}</div>` : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="description" content="${escapeHtml(t(lang, 'site.tagline'))}">
<title>${escapeHtml(options.title)} · firstreply</title>
${styles}
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" title="firstreply" href="/feed.atom">
${scripts}
<script type="module" src="/assets/${pageModules[options.page]}.js"></script>
</head>
<body data-page="${options.page}">
<a class="skip" href="#main">${escapeHtml(t(lang, 'nav.skip'))}</a>
<header class="site-header">
${banner}
<div class="wrap header-row">
<a class="brand" href="/">firstreply</a>
<nav aria-label="${escapeHtml(t(lang, 'nav.label'))}"><ul>${nav}</ul></nav>
<a class="lang-switch" href="${escapeHtml(withLang(options.path, other))}" hreflang="${other}" lang="${other}" title="${escapeHtml(t(lang, 'lang.switchLabel'))}">${escapeHtml(t(lang, 'lang.switch'))}</a>
${options.headerExtra ?? ''}</div>
</header>
<main id="main" class="wrap" tabindex="-1">
${options.main}
</main>
<footer class="site-footer wrap">
<p><span id="tz-note"></span> <span id="generated-note"></span></p>
<p><a href="/api/v1/vendors">${escapeHtml(t(lang, 'footer.api'))}</a> · <a href="/feed.atom">${escapeHtml(t(lang, 'footer.feed'))}</a> · <a href="/methodology">${escapeHtml(t(lang, 'nav.methodology'))}</a></p>
</footer>
${data}${i18n}</body>
</html>
`;
}
