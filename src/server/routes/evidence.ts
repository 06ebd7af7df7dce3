// The evidence viewer for the operator (admin token or signed-in session): a probe's timeline, replies (as text only), files with their SHA-256 and
// DKIM verdicts at receipt, as a script-free page, as JSON, and each stored file for download.
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { HttpError, pageLanguage, parseInput, type ServerContext } from '../http.ts';
import { escapeHtml } from '../html.ts';
import type { Language } from '../i18n.ts';
import { formatDuration } from '../../core/clock.ts';
import type { DkimVerdict } from '../../store/dkim.ts';
import { evidencePath, probeEvidence, type EvidenceMessage, type ProbeEvidence, type TimelineEvent } from '../probe-evidence.ts';

export const probeIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const messageParams = probeIdParams.extend({
  message: z
    .string()
    .regex(/^\d{1,15}\.eml$/, 'a message id followed by .eml')
    .transform((s) => Number.parseInt(s, 10)),
});
const fileParams = probeIdParams.extend({ '*': z.string().min(1).max(500) });
const pageQuery = z.object({ lang: z.string().max(20).optional() });

/** Nothing on the page runs: no script at all, styles and images from this server only, no form, never framed. */
export const evidenceContentSecurityPolicy =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** Stored files are served as inert downloads or images: a vendor's HTML never renders as a page of this origin. */
const fileContentSecurityPolicy = "default-src 'none'; sandbox";
const rawTextLimit = 200_000;

const texts = {
  en: {
    title: 'Probe evidence',
    vendor: 'Vendor',
    channel: 'Channel',
    tier: 'Tier',
    template: 'Template',
    state: 'State',
    token: 'Token',
    ticket: 'Ticket',
    error: 'Error',
    timeline: 'Timeline',
    event: 'Event',
    at: 'At (UTC)',
    sinceSent: 'Since sent',
    replies: 'Replies',
    noReplies: 'No reply stored.',
    received: 'Received',
    detected: 'Detected',
    headerDate: 'Date header (not trusted)',
    from: 'From',
    subject: 'Subject',
    matched: 'Matched by',
    classifier: 'Classifier',
    reasons: 'Reasons',
    review: "A person's label",
    noReview: 'No person has labelled this reply.',
    resolution: 'Resolution marks',
    dkim: 'DKIM',
    download: 'Download .eml',
    rawHash: 'SHA-256 at receipt',
    text: 'Text as decoded',
    raw: 'Raw message (text only, never rendered)',
    rawCut: 'Shown up to {n} characters; the download has every byte.',
    truncated: 'Only the first bytes of this message were fetched.',
    parseError: 'Could not be parsed',
    files: 'Stored files',
    file: 'File',
    kind: 'Kind',
    bytes: 'Bytes',
    sha: 'SHA-256 now',
    check: 'Check',
    noFiles: 'No file kept.',
    same: 'same as at receipt',
    differs: 'DIFFERS from the hash recorded at receipt',
    missing: 'file missing',
    noRecord: 'no hash recorded',
    screenshots: 'Screenshots',
    transcripts: 'Transcripts',
    resolved: 'Resolved',
    notResolved: 'Not resolved (yet).',
    resolvedBy: 'by',
    rounds: 'rounds',
    events: {
      scheduled: 'scheduled',
      sending: 'sending',
      sent: 'sent (accepted)',
      first_ack: 'first acknowledgement',
      first_bot: 'first bot answer',
      first_human: 'first human reply',
      resolved: 'resolved',
      deadline: 'deadline',
      expires: 'expires',
      closed: 'closed',
    },
    dkimPass: 'signed by {d}, verified at receipt',
    dkimFail: 'signed by {d}, FAILED at receipt: {c}',
    dkimNone: 'unsigned',
    dkimTemp: 'could not be checked at receipt (key lookup failed): {c}',
    dkimPerm: 'signed by {d}, unusable signature or key at receipt: {c}',
    dkimNotChecked: 'not checked: {c}',
    dkimUnknown: 'not checked (received before DKIM was verified at receipt)',
    checkedAt: 'checked {t}',
    resolves: 'resolves the question',
    doesNot: 'does not resolve it',
  },
  'zh-CN': {
    title: '探测证据',
    vendor: '厂商',
    channel: '渠道',
    tier: '级别',
    template: '模板',
    state: '状态',
    token: '令牌',
    ticket: '工单',
    error: '错误',
    timeline: '时间线',
    event: '事件',
    at: '时间（UTC）',
    sinceSent: '距发送',
    replies: '回复',
    noReplies: '没有保存的回复。',
    received: '收到',
    detected: '发现',
    headerDate: 'Date 头（不可信）',
    from: '发件人',
    subject: '主题',
    matched: '匹配方式',
    classifier: '分类器',
    reasons: '依据',
    review: '人工标签',
    noReview: '尚无人工标注。',
    resolution: '解决标记',
    dkim: 'DKIM',
    download: '下载 .eml',
    rawHash: '收到时的 SHA-256',
    text: '解码后的正文',
    raw: '原始邮件（仅文本，从不渲染）',
    rawCut: '仅显示前 {n} 个字符；下载文件包含全部字节。',
    truncated: '此邮件只获取了开头部分。',
    parseError: '无法解析',
    files: '保存的文件',
    file: '文件',
    kind: '类型',
    bytes: '字节',
    sha: '当前 SHA-256',
    check: '校验',
    noFiles: '没有保存文件。',
    same: '与收到时一致',
    differs: '与收到时记录的哈希不一致',
    missing: '文件缺失',
    noRecord: '未记录哈希',
    screenshots: '截图',
    transcripts: '对话记录',
    resolved: '已解决',
    notResolved: '尚未解决。',
    resolvedBy: '依据',
    rounds: '轮',
    events: {
      scheduled: '计划',
      sending: '发送中',
      sent: '已发送（被接收）',
      first_ack: '首次确认',
      first_bot: '首次机器人回复',
      first_human: '首次人工回复',
      resolved: '已解决',
      deadline: '期限',
      expires: '过期',
      closed: '结束',
    },
    dkimPass: '由 {d} 签名，收到时验证通过',
    dkimFail: '由 {d} 签名，收到时验证失败：{c}',
    dkimNone: '未签名',
    dkimTemp: '收到时无法验证（密钥查询失败）：{c}',
    dkimPerm: '由 {d} 签名，收到时签名或密钥不可用：{c}',
    dkimNotChecked: '未验证：{c}',
    dkimUnknown: '未验证（收到时尚未进行 DKIM 验证）',
    checkedAt: '验证于 {t}',
    resolves: '解决了问题',
    doesNot: '未解决问题',
  },
} satisfies Record<Language, Record<string, unknown>>;

type Texts = (typeof texts)['en'];

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_m, key: string) => values[key] ?? '');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function dkimText(
  verdict: DkimVerdict | null,
  x: Pick<Texts, 'dkimPass' | 'dkimFail' | 'dkimNone' | 'dkimTemp' | 'dkimPerm' | 'dkimNotChecked' | 'dkimUnknown'> = texts.en,
): string {
  if (verdict === null) return x.dkimUnknown;
  const comment = verdict.signatures.find((s) => s.result === verdict.result)?.comment ?? '';
  const values = { d: verdict.domain ?? '?', c: comment };
  switch (verdict.result) {
    case 'pass':
      return fill(x.dkimPass, values);
    case 'fail':
      return fill(x.dkimFail, values);
    case 'none':
      return x.dkimNone;
    case 'temperror':
      return fill(x.dkimTemp, values);
    case 'permerror':
      return fill(x.dkimPerm, values);
    case 'not_checked':
      return fill(x.dkimNotChecked, values);
  }
}

function fileHref(probeId: number, file: string): string {
  return `/admin/probe/${probeId}/file/${file.split('/').map(encodeURIComponent).join('/')}`;
}

function messageSection(evidence: ProbeEvidence, m: EvidenceMessage, raw: string | null, x: Texts): string {
  const e = escapeHtml;
  const row = (label: string, value: string) => `<tr><th scope="row">${e(label)}</th><td>${value}</td></tr>`;
  const reviews =
    m.reviews.length === 0
      ? `<p class="muted">${e(x.noReview)}</p>`
      : `<ul>${m.reviews.map((r) => `<li><strong>${e(r.label)}</strong> — ${e(r.reviewer)}, ${e(iso(r.at))}${r.note ? `: ${e(r.note)}` : ''}</li>`).join('')}</ul>`;
  const marks =
    m.resolutionMarks.length === 0
      ? ''
      : `<h4>${e(x.resolution)}</h4><ul>${m.resolutionMarks.map((r) => `<li>${e(r.resolves ? x.resolves : x.doesNot)} — ${e(r.reviewer)}, ${e(iso(r.at))}${r.note ? `: ${e(r.note)}` : ''}</li>`).join('')}</ul>`;
  const dkimClass = m.dkim?.result === 'pass' ? 'dkim-pass' : m.dkim?.result === 'fail' ? 'dkim-fail' : 'dkim-other';
  const dkim =
    m.source === 'imap'
      ? row(
          x.dkim,
          `<span class="${dkimClass}" data-dkim="${e(m.dkim?.result ?? 'unknown')}">${e(dkimText(m.dkim, x))}</span>${m.dkim ? ` <span class="muted">(${e(fill(x.checkedAt, { t: iso(m.dkim.checkedAt) }))})</span>` : ''}`,
        )
      : '';
  const cut = raw !== null && raw.length > rawTextLimit;
  return `<section class="reply" id="message-${m.id}" aria-labelledby="message-${m.id}-heading">
<h3 id="message-${m.id}-heading">#${m.id} · ${e(m.effectiveLabel)} · ${e(iso(m.receivedAt))}</h3>
<table class="facts"><tbody>
${row(x.received, e(iso(m.receivedAt)))}${row(x.detected, e(iso(m.detectedAt)))}${m.headerDate === null ? '' : row(x.headerDate, e(iso(m.headerDate)))}
${row(x.from, e(m.from ?? '–'))}${row(x.subject, e(m.subject ?? '–'))}${row(x.matched, e(m.matchMethod ?? '–'))}
${row(x.classifier, `${e(m.label)} <span class="muted">(${Math.round(m.confidence * 100)} %)</span>`)}
${dkim}
${m.rawSha256 ? row(x.rawHash, `<code>${e(m.rawSha256)}</code>`) : ''}
${m.rawFile ? row(x.download, `<a href="/admin/probe/${evidence.probe.id}/message/${m.id}.eml" download="probe-${evidence.probe.id}-message-${m.id}.eml">${e(x.download)}</a>`) : ''}
</tbody></table>
${m.truncated ? `<p class="warn">${e(x.truncated)}</p>` : ''}${m.parseError ? `<p class="warn">${e(x.parseError)}: ${e(m.parseError)}</p>` : ''}
<h4>${e(x.reasons)}</h4><ul class="reasons">${m.reasons.map((r) => `<li>${e(r)}</li>`).join('')}</ul>
<h4>${e(x.review)}</h4>${reviews}${marks}
${m.text ? `<details open><summary>${e(x.text)}</summary><pre class="text">${e(m.text)}</pre></details>` : ''}
${raw !== null ? `<details><summary>${e(x.raw)}</summary>${cut ? `<p class="muted">${e(fill(x.rawCut, { n: String(rawTextLimit) }))}</p>` : ''}<pre class="raw">${e(cut ? raw.slice(0, rawTextLimit) : raw)}</pre></details>` : ''}
</section>`;
}

/** The viewer page: every value escaped, raw mail inside <pre> as text, no script. */
function renderEvidencePage(evidence: ProbeEvidence, raws: ReadonlyMap<number, string>, transcripts: ReadonlyMap<string, string>, lang: Language): string {
  const x = texts[lang];
  const e = escapeHtml;
  const p = evidence.probe;
  const sentAt = evidence.timeline.find((t) => t.event === 'sent')?.at ?? null;
  const timeline = evidence.timeline
    .map((t) => {
      const label = x.events[t.event satisfies TimelineEvent];
      const since = sentAt !== null && t.at >= sentAt && t.event !== 'sent' ? formatDuration(t.at - sentAt) : '';
      return `<tr data-event="${e(t.event)}"><th scope="row">${t.messageId === null ? e(label) : `<a href="#message-${t.messageId}">${e(label)}</a>`}</th><td>${e(iso(t.at))}</td><td class="num">${e(since)}</td></tr>`;
    })
    .join('');
  const checkOf = (f: ProbeEvidence['files'][number]) =>
    f.sha256Now === null
      ? `<span class="warn">${e(x.missing)}</span>`
      : f.matches === null
        ? `<span class="muted">${e(x.noRecord)}</span>`
        : f.matches
          ? e(x.same)
          : `<strong class="warn">${e(x.differs)}</strong>`;
  const files =
    evidence.files.length === 0
      ? `<p class="muted">${e(x.noFiles)}</p>`
      : `<table><thead><tr><th>${e(x.file)}</th><th>${e(x.kind)}</th><th>${e(x.bytes)}</th><th>${e(x.sha)}</th><th>${e(x.check)}</th></tr></thead><tbody>${evidence.files.map((f) => `<tr><td><a href="${e(fileHref(p.id, f.file))}">${e(f.file)}</a></td><td>${e(f.kind)}</td><td class="num">${f.bytes ?? '–'}</td><td><code>${e(f.sha256Now ?? '–')}</code></td><td>${checkOf(f)}</td></tr>`).join('')}</tbody></table>`;
  const shots = evidence.files.filter((f) => f.kind === 'screenshot' && f.sha256Now !== null);
  const shotSection =
    shots.length === 0
      ? ''
      : `<h2>${e(x.screenshots)}</h2>${shots.map((f) => `<figure><img src="${e(fileHref(p.id, f.file))}" alt="${e(f.file)}" loading="lazy"><figcaption><code>${e(f.file)}</code></figcaption></figure>`).join('')}`;
  const transcriptSection =
    transcripts.size === 0
      ? ''
      : `<h2>${e(x.transcripts)}</h2>${[...transcripts].map(([file, text]) => `<details open><summary><code>${e(file)}</code></summary><pre class="raw">${e(text)}</pre></details>`).join('')}`;
  const r = evidence.resolution;
  const resolution = r?.resolvedAt
    ? `<p>${e(x.resolved)} ${e(iso(r.resolvedAt))} ${e(x.resolvedBy)} ${e(r.resolvedBy ?? '?')}${r.messageId ? ` (<a href="#message-${r.messageId}">#${r.messageId}</a>)` : ''}${r.rounds ? `, ${r.rounds} ${e(x.rounds)}` : ''}</p>`
    : `<p class="muted">${e(x.notResolved)}</p>`;
  const qualityReasons = r && r.reasons.length > 0 ? `<ul class="reasons">${r.reasons.map((q) => `<li>${e(q)}</li>`).join('')}</ul>` : '';
  const facts = [
    [x.vendor, `${p.vendorName} (${p.vendor})`],
    [x.channel, `${p.channel} (${p.kind})`],
    [x.tier, p.tier],
    [x.template, `${p.template} · ${p.language}`],
    [x.state, p.state],
    [x.token, p.token],
    ...(p.ticketRef ? [[x.ticket, p.ticketRef]] : []),
    ...(p.errorCode ? [[x.error, `${p.errorCode}: ${p.errorText ?? ''}`]] : []),
  ];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${e(x.title)} #${p.id} · ${e(p.vendorName)} · firstreply</title>
<link rel="stylesheet" href="/assets/style.css"><link rel="stylesheet" href="/assets/evidence.css"></head>
<body class="evidence"><main id="main" class="wrap">
<h1>${e(x.title)} #${p.id}</h1>
<table class="facts"><tbody>${facts.map(([k, v]) => `<tr><th scope="row">${e(k ?? '')}</th><td>${e(v ?? '')}</td></tr>`).join('')}</tbody></table>
<h2>${e(x.timeline)}</h2>
<table class="timeline"><thead><tr><th>${e(x.event)}</th><th>${e(x.at)}</th><th>${e(x.sinceSent)}</th></tr></thead><tbody>${timeline}</tbody></table>
<h2>${e(x.resolved)}</h2>${resolution}${qualityReasons}
<h2>${e(x.replies)}</h2>
${evidence.messages.length === 0 ? `<p class="muted">${e(x.noReplies)}</p>` : evidence.messages.map((m) => messageSection(evidence, m, raws.get(m.id) ?? null, x)).join('\n')}
<h2>${e(x.files)}</h2>${files}
${shotSection}${transcriptSection}
</main></body></html>
`;
}

const fileTypes: Record<string, string> = {
  '.eml': 'message/rfc822',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

async function readText(path: string, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: limit })) {
    if (!Buffer.isBuffer(chunk)) continue;
    chunks.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(chunks, length).toString('utf8');
}

function sendFile(reply: FastifyReply, path: string, downloadName: string, inline: boolean): FastifyReply {
  const type = fileTypes[extname(path).toLowerCase()] ?? 'text/plain; charset=utf-8';
  reply.header('content-security-policy', fileContentSecurityPolicy);
  reply.header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${downloadName.replace(/[^\w.-]/g, '_')}"`);
  return reply.type(type).send(createReadStream(path));
}

interface EvidenceRouteOptions {
  /** settings.evidence_dir, resolved. */
  evidenceDir: string;
}

export function evidenceRoutes(app: FastifyInstance, ctx: ServerContext, options: EvidenceRouteOptions): void {
  const { evidenceDir } = options;
  const load = async (id: number): Promise<ProbeEvidence> => {
    const evidence = await probeEvidence(ctx.store, id, evidenceDir);
    if (!evidence) throw new HttpError(404, 'NOT_FOUND', `no probe ${id}`);
    return evidence;
  };

  app.register(async (admin) => {
    admin.addHook('onRequest', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.header('x-robots-tag', 'noindex, nofollow');
      if (!ctx.isOperator(request))
        throw new HttpError(
          401,
          'UNAUTHORIZED',
          ctx.adminConfigured
            ? 'a valid admin token (Authorization: Bearer …) or an operator session (/admin/sign-in) is required'
            : 'admin routes are disabled: FIRSTREPLY_ADMIN_TOKEN is not set',
        );
    });

    admin.get('/api/v1/admin/probes/:id/evidence', async (request) => load(parseInput(probeIdParams, request.params).id));

    admin.get('/admin/probe/:id', async (request, reply) => {
      const { id } = parseInput(probeIdParams, request.params);
      const { lang: requested } = parseInput(pageQuery, request.query);
      const lang = pageLanguage(request, reply, requested);
      const evidence = await load(id);
      const raws = new Map<number, string>();
      for (const m of evidence.messages) {
        const path = m.rawFile === null ? undefined : evidencePath(evidence, evidenceDir, m.rawFile);
        if (path && evidence.files.some((f) => f.file === m.rawFile && f.sha256Now !== null)) raws.set(m.id, await readText(path, rawTextLimit));
      }
      const transcripts = new Map<string, string>();
      for (const f of evidence.files.filter((file) => file.kind === 'transcript' && file.sha256Now !== null)) {
        const path = evidencePath(evidence, evidenceDir, f.file);
        if (path) transcripts.set(f.file, await readText(path, rawTextLimit));
      }
      reply.header('content-security-policy', evidenceContentSecurityPolicy);
      return reply.type('text/html; charset=utf-8').send(renderEvidencePage(evidence, raws, transcripts, lang));
    });

    admin.get('/admin/probe/:id/message/:message', async (request, reply) => {
      const { id, message } = parseInput(messageParams, request.params);
      const evidence = await load(id);
      const m = evidence.messages.find((x) => x.id === message);
      const path = m?.rawFile ? evidencePath(evidence, evidenceDir, m.rawFile) : undefined;
      if (!m || !path || !evidence.files.some((f) => f.file === m.rawFile && f.sha256Now !== null))
        throw new HttpError(404, 'NOT_FOUND', `no stored raw message ${message} of probe ${id}`);
      return sendFile(reply, path, `probe-${id}-message-${message}.eml`, false);
    });

    admin.get('/admin/probe/:id/file/*', async (request, reply) => {
      const { id, '*': file } = parseInput(fileParams, request.params);
      const evidence = await load(id);
      const path = evidencePath(evidence, evidenceDir, file);
      const listed = evidence.files.find((f) => f.file === file);
      if (!path || !listed || listed.sha256Now === null) throw new HttpError(404, 'NOT_FOUND', `no evidence file "${file}" of probe ${id}`);
      return sendFile(reply, path, file.split('/').pop() ?? file, listed.kind === 'screenshot');
    });
  });
}
