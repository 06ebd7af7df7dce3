// Sign-in and sign-out of the operator: the admin token, posted once from a form, opens a session cookie for the pages.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError, pageLanguage, parseInput, type ServerContext } from '../http.ts';
import { escapeHtml, pageShell } from '../html.ts';
import type { Language } from '../i18n.ts';
import { sessionCookie, sessionIdOf } from '../session.ts';

/** Where to go after signing in: a path of this site only (never "//host" or a scheme). */
const nextPath = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/)
  .catch('/');
const pageQuery = z.object({ lang: z.string().max(20).optional(), next: nextPath.optional() });
const signInBody = z.object({ token: z.string().min(1).max(500), next: nextPath.default('/') });

const texts = {
  en: {
    title: 'Operator sign-in',
    intro:
      'Sign in with the admin token (FIRSTREPLY_ADMIN_TOKEN) to see private vendors and trials on every page. The token is checked once; this browser then keeps a session cookie for 12 hours.',
    label: 'Admin token',
    submit: 'Sign in',
    wrong: 'That is not the admin token.',
    disabled: 'Signing in is disabled: FIRSTREPLY_ADMIN_TOKEN is not set on this server.',
    signedIn: 'You are signed in as the operator.',
    signOut: 'Sign out',
  },
  'zh-CN': {
    title: '运营者登录',
    intro: '使用管理令牌（FIRSTREPLY_ADMIN_TOKEN）登录后，各页面会显示私有厂商与试用评估。令牌只校验一次；此浏览器随后保留 12 小时的会话 Cookie。',
    label: '管理令牌',
    submit: '登录',
    wrong: '令牌不正确。',
    disabled: '登录已停用：此服务器未设置 FIRSTREPLY_ADMIN_TOKEN。',
    signedIn: '您已以运营者身份登录。',
    signOut: '退出登录',
  },
} satisfies Record<Language, Record<string, string>>;

/** The sign-out button every page shows a signed-in operator (a POST form: a link could be followed by a prefetch). */
export function signOutForm(lang: Language): string {
  return `<form method="post" action="/admin/sign-out" class="sign-out"><button type="submit">${escapeHtml(texts[lang].signOut)}</button></form>`;
}

function signInMain(lang: Language, options: { next: string; error: string | null; disabled: boolean; signedIn: boolean }): string {
  const x = texts[lang];
  const e = escapeHtml;
  if (options.disabled) return `<h1 id="page-heading">${e(x.title)}</h1><p class="over" role="alert">${e(x.disabled)}</p>`;
  const status = options.signedIn ? `<p role="status">${e(x.signedIn)}</p>${signOutForm(lang)}` : '';
  return `<h1 id="page-heading">${e(x.title)}</h1>
<p class="intro">${e(x.intro)}</p>${status}
${options.error ? `<p id="sign-in-error" class="over" role="alert">${e(options.error)}</p>` : ''}
<form method="post" action="/admin/sign-in" id="sign-in-form" autocomplete="off">
<p><label for="admin-token">${e(x.label)}</label><br><input id="admin-token" name="token" type="password" required spellcheck="false" autocomplete="current-password"${options.error ? ' aria-describedby="sign-in-error" aria-invalid="true"' : ''}></p>
<input type="hidden" name="next" value="${e(options.next)}">
<p class="controls"><button type="submit" class="primary">${e(x.submit)}</button></p>
</form>`;
}

/**
 * A form posted from another site is refused. Browsers say where a request comes from in Sec-Fetch-Site; our own
 * Referrer-Policy (no-referrer) makes them send "Origin: null" on form posts, so Origin counts only when it names a host.
 */
function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

export function adminSessionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const page = (request: FastifyRequest, reply: FastifyReply, lang: Language, options: { next: string; error: string | null }) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-robots-tag', 'noindex, nofollow');
    return reply.type('text/html; charset=utf-8').send(
      pageShell({
        lang,
        page: 'admin-sign-in',
        title: texts[lang].title,
        demoTime: ctx.demoTime,
        path: '/admin/sign-in',
        main: signInMain(lang, { ...options, disabled: !ctx.adminConfigured, signedIn: ctx.isOperator(request) }),
      }),
    );
  };
  const secure = (request: FastifyRequest) => request.protocol === 'https';

  app.get('/admin/sign-in', async (request, reply) => {
    const { lang: requested, next } = parseInput(pageQuery, request.query);
    return page(request, reply, pageLanguage(request, reply, requested), { next: next ?? '/', error: null });
  });

  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
    });

    scope.post('/admin/sign-in', { config: { rateLimit: { max: 20, timeWindow: 60_000 } } }, async (request, reply) => {
      if (!sameOrigin(request)) throw new HttpError(403, 'UNAUTHORIZED', 'a sign-in form posted from another site');
      const lang = pageLanguage(request, reply, undefined);
      const { token, next } = parseInput(signInBody, request.body);
      if (!ctx.tokenValid(token)) return page(request, reply.code(401), lang, { next, error: ctx.adminConfigured ? texts[lang].wrong : texts[lang].disabled });
      ctx.sessions.end(sessionIdOf(request.headers.cookie));
      const id = ctx.sessions.create();
      reply.header('set-cookie', sessionCookie(id, { secure: secure(request), maxAgeS: Math.floor(ctx.sessions.ttlMs / 1000) }));
      reply.header('cache-control', 'no-store');
      return reply.code(303).header('location', next).send();
    });

    scope.post('/admin/sign-out', async (request, reply) => {
      if (!sameOrigin(request)) throw new HttpError(403, 'UNAUTHORIZED', 'a sign-out form posted from another site');
      ctx.sessions.end(sessionIdOf(request.headers.cookie));
      reply.header('set-cookie', sessionCookie('', { secure: secure(request), maxAgeS: 0 }));
      reply.header('cache-control', 'no-store');
      return reply.code(303).header('location', '/').send();
    });
  });
}
