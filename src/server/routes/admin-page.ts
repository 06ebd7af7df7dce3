// The admin review page: a shell whose script asks for the operator's token and works the review queue through the admin API.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pageLanguage, parseInput, type ServerContext } from '../http.ts';
import { escapeHtml, pageShell } from '../html.ts';
import type { Language } from '../i18n.ts';
import { messageLabels } from '../../core/labels.ts';

const pageQuery = z.object({ lang: z.string().max(20).optional() });

const texts = {
  en: {
    title: 'Review queue',
    intro:
      "Replies the classifier was unsure about and no person has labelled yet. Confirm a label or correct it: the probe's timeline and every statistic use the person's label from then on.",
    noscript: 'This page needs JavaScript; `firstreply review` does the same from the terminal.',
    tokenLegend: 'Admin token',
    tokenLabel: 'Token (FIRSTREPLY_ADMIN_TOKEN)',
    tokenHint: 'Kept in this tab only (session storage) and sent as an Authorization header.',
    reviewerLabel: 'Your name (recorded with each review)',
    unlock: 'Open the queue',
    forget: 'Forget the token',
    filterLegend: 'Which messages',
    maxConfidence: 'Confidence below',
    limit: 'At most',
    reload: 'Reload',
    resolutionHeading: 'Does the reply resolve the question?',
    resolutionIntro:
      "Replies written by a person that nobody has judged yet, those of probes whose resolution is measured first. A mark wins over the template's expected answer, and the resolution figures follow.",
  },
  'zh-CN': {
    title: '待复核队列',
    intro: '分类器没有把握、且尚无人工标注的回复。确认或更正标签后，探测的时间线与所有统计都以人工标签为准。',
    noscript: '此页面需要 JavaScript；在终端中可用 `firstreply review` 完成同样的操作。',
    tokenLegend: '管理令牌',
    tokenLabel: '令牌（FIRSTREPLY_ADMIN_TOKEN）',
    tokenHint: '只保存在当前标签页（session storage），并作为 Authorization 头发送。',
    reviewerLabel: '您的名字（随每次复核记录）',
    unlock: '打开队列',
    forget: '忘记令牌',
    filterLegend: '筛选',
    maxConfidence: '置信度低于',
    limit: '最多',
    reload: '重新加载',
    resolutionHeading: '这条回复解决了问题吗？',
    resolutionIntro: '尚无人评判的人工回复，衡量解决情况的探测排在前面。人工标记优先于模板的预期答案，解决相关的统计随之更新。',
  },
} satisfies Record<Language, Record<string, string>>;

function pageMain(lang: Language): string {
  const x = texts[lang];
  const e = escapeHtml;
  const options = (values: readonly string[], selected: string) =>
    values.map((v) => `<option value="${e(v)}"${v === selected ? ' selected' : ''}>${e(v)}</option>`).join('');
  return `<h1 id="page-heading">${e(x.title)}</h1>
<p class="intro">${e(x.intro)}</p>
<noscript><p>${e(x.noscript)}</p></noscript>
<form id="token-form" autocomplete="off">
<fieldset><legend>${e(x.tokenLegend)}</legend>
<p><label for="admin-token">${e(x.tokenLabel)}</label><br><input id="admin-token" type="password" required spellcheck="false" autocomplete="off" aria-describedby="token-hint"></p>
<p class="small" id="token-hint">${e(x.tokenHint)}</p>
<p><label for="reviewer">${e(x.reviewerLabel)}</label><br><input id="reviewer" type="text" maxlength="100" autocomplete="off"></p>
<p class="controls"><button type="submit" class="primary">${e(x.unlock)}</button> <button type="button" id="forget-token" hidden>${e(x.forget)}</button></p>
</fieldset>
</form>
<p id="auth-error" class="over" role="alert"></p>
<section id="queue" aria-labelledby="queue-summary" hidden>
<form id="filter-form" class="controls">
<label for="max-confidence">${e(x.maxConfidence)}</label> <select id="max-confidence">${options(['0.5', '0.75', '0.9', '1'], '0.75')}</select>
<label for="limit">${e(x.limit)}</label> <select id="limit">${options(['25', '100', '500'], '100')}</select>
<button type="submit">${e(x.reload)}</button>
</form>
<h2 id="queue-summary" tabindex="-1"></h2>
<p id="queue-status" class="muted" role="status" aria-live="polite"></p>
<ol id="review-list" class="open-list"></ol>
</section>
<section id="resolution-queue" aria-labelledby="resolution-heading" hidden>
<h2 id="resolution-heading">${e(x.resolutionHeading)}</h2>
<p class="small">${e(x.resolutionIntro)}</p>
<ol id="resolution-list" class="open-list"></ol>
</section>`;
}

/** The page itself is public: it asks for the token and sends it with each admin API call. */
export function adminPageRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/admin/review', async (request, reply) => {
    const { lang: requested } = parseInput(pageQuery, request.query);
    const lang = pageLanguage(request, reply, requested);
    const html = pageShell({
      lang,
      page: 'admin-review',
      title: texts[lang].title,
      demoTime: ctx.demoTime,
      path: '/admin/review',
      data: JSON.stringify({ labels: messageLabels }),
      main: pageMain(lang),
    });
    reply.header('cache-control', 'no-store');
    reply.header('x-robots-tag', 'noindex, nofollow');
    return reply.type('text/html; charset=utf-8').send(html);
  });
}
