// The simulated vendors' web site on loopback: multi-step ticket forms (then ack/human e-mails over SMTP) and an iframe chat widget whose bot answers at once and a person later.
import { answerBody, type Question } from './mail-vendor.ts';
import type { DkimKey } from './dns-server.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import nodemailer from 'nodemailer';
import type { Clock } from '../core/clock.ts';
import { parseDuration } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { FirstReplyError } from '../core/errors.ts';
import type { Catalog, Vendor } from '../config/schema.ts';
import { findToken } from '../core/token.ts';

const delay = z.union([z.string(), z.number().nonnegative()]).transform((v) => parseDuration(v));

const webformScriptSchema = z.object({
  /** `changed_markup` renames the form's fields (a probe must fail clearly); `captcha` puts a CAPTCHA on the form. */
  variant: z.enum(['standard', 'changed_markup', 'captcha']).default('standard'),
  ticket_prefix: z
    .string()
    .regex(/^[A-Z0-9]{2,8}$/)
    .optional(),
  replies: z
    .array(
      z.object({
        after: delay,
        kind: z.enum(['ack', 'human']),
        agent: z.string().optional(),
        language: z.enum(['en', 'zh']).default('en'),
      }),
    )
    .default([]),
});

const chatStepSchema = z.object({
  after: delay,
  /** `reload` makes the host page reload itself (a deploy, a session refresh) mid-chat. */
  kind: z.enum(['bot', 'join', 'human', 'reload']),
  agent: z.string().optional(),
  text: z.string().optional(),
  quick_replies: z.array(z.string()).optional(),
});

const chatScriptSchema = z.object({
  /** `changed_markup` renames the widget's classes (a probe must fail clearly); `shadow_dom` renders it in the page's shadow DOM, no iframe. */
  variant: z.enum(['standard', 'changed_markup', 'shadow_dom']).default('standard'),
  /** Whether messages carry role markers (data-role); without them the classifier works from timing and events alone. */
  markers: z.boolean().default(true),
  bot_name: z.string().default('Assistant'),
  greeting: z.string().default('Hi there! Ask us anything.'),
  /** The agent's answers to the visitor's later messages (follow-ups), in order; the last one repeats. */
  follow_ups: z.array(z.object({ after: delay, agent: z.string().optional(), text: z.string().min(1) })).default([]),
  script: z.array(chatStepSchema).default([
    {
      after: 300,
      kind: 'bot',
      text: 'Thanks! I am the virtual assistant. Pick a topic or wait for an agent.',
      quick_replies: ['Billing', 'Technical issue', 'Talk to a person'],
    },
    { after: 4000, kind: 'join', agent: 'Maya' },
    { after: 6000, kind: 'human', agent: 'Maya' },
  ]),
});

const sandboxSchema = z
  .object({
    regress_after: delay.optional(),
    regress_factor: z.number().positive().default(1),
    webform: webformScriptSchema.optional(),
    chat: chatScriptSchema.optional(),
  })
  .loose();

type WebformScript = z.output<typeof webformScriptSchema>;
type ChatScript = z.output<typeof chatScriptSchema>;

interface SiteVendor {
  slug: string;
  name: string;
  domain: string;
  regressAfter: number | undefined;
  regressFactor: number;
  webform: WebformScript | undefined;
  chat: ChatScript | undefined;
}

/** What the simulated vendor did and when (the truth tests compare firstreply's figures with). */
export type SiteEvent =
  | { kind: 'ticket_filed'; vendor: string; at: number; ticket: string; token: string | undefined; replyTo: string }
  | { kind: 'mail_sent'; vendor: string; at: number; ticket: string; token: string | undefined; reply: 'ack' | 'human'; to: string }
  | {
      kind: 'chat_message';
      vendor: string;
      at: number;
      conversation: string;
      id: number;
      role: ChatRole;
      author: string;
      text: string;
      token: string | undefined;
    };

type ChatRole = 'visitor' | 'bot' | 'agent' | 'system';

interface ChatMessage {
  id: number;
  role: ChatRole;
  author: string;
  text: string;
  quickReplies: string[];
  at: number;
}

interface Conversation {
  id: string;
  vendor: SiteVendor;
  messages: ChatMessage[];
  listeners: Set<ServerResponse>;
  started: boolean;
}

interface VendorSiteOptions {
  catalog: Catalog;
  clock: Clock;
  logger: Logger;
  smtp: { host: string; port: number };
  /** DKIM keys by the vendors' domains (<slug>.demo): the ticket form's reply mails go out signed. */
  dkimKeys?: ReadonlyMap<string, Pick<DkimKey, 'selector' | 'privateKey'>>;
}

export interface VendorSite {
  url: string;
  /** Everything the simulated vendors did so far, in order. */
  events(): readonly SiteEvent[];
  /** Resolves with the first event (past or future) that satisfies `match`. */
  waitFor<E extends SiteEvent>(match: (event: SiteEvent) => event is E, signal?: AbortSignal): Promise<E>;
  waitFor(match: (event: SiteEvent) => boolean, signal?: AbortSignal): Promise<SiteEvent>;
  /** Open chat connections (event streams). */
  openStreams(): number;
  /** The agent of the chat our message with `token` opened writes now (benches drive replies by hand); undefined if no such chat. */
  agentReply(token: string, agent?: string): SiteEvent | undefined;
  stop(): Promise<void>;
}

export function siteVendorsOf(catalog: Catalog): SiteVendor[] {
  return catalog.vendors.flatMap((vendor: Vendor) => {
    const parsed = sandboxSchema.safeParse(vendor.sandbox ?? {});
    if (!parsed.success)
      throw new FirstReplyError('CONFIG_INVALID', `${vendor.file}: sandbox: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const { webform, chat } = parsed.data;
    if (!webform && !chat) return [];
    return [
      {
        slug: vendor.slug,
        name: vendor.name,
        domain: `${vendor.slug}.demo`,
        regressAfter: parsed.data.regress_after,
        regressFactor: parsed.data.regress_factor,
        webform,
        chat,
      },
    ];
  });
}

export async function startVendorSite(options: VendorSiteOptions): Promise<VendorSite> {
  const { clock, logger } = options;
  const vendors = new Map(siteVendorsOf(options.catalog).map((v) => [v.slug, v]));
  const history: SiteEvent[] = [];
  const emitter = new EventEmitter<{ event: [SiteEvent] }>();
  const timers = new Set<NodeJS.Timeout>();
  const conversations = new Map<string, Conversation>();
  const ticketCounters = new Map<string, number>();
  const transport = nodemailer.createTransport({ host: options.smtp.host, port: options.smtp.port, secure: false, ignoreTLS: true });
  let stopped = false;

  const record = (event: SiteEvent): void => {
    history.push(event);
    emitter.emit('event', event);
  };
  const later = (ms: number, work: () => void | Promise<void>): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      Promise.resolve(work()).catch((err: unknown) => logger.warn({ err }, 'sandbox vendor action failed'));
    }, ms);
    timers.add(timer);
  };
  // `regress_after` counts from the vendor's first probe (a form filed or a chat opened), as for e-mail.
  const firstProbeAt = new Map<string, number>();
  const scaled = (vendor: SiteVendor, ms: number): number => {
    const first = firstProbeAt.get(vendor.slug) ?? clock.now();
    firstProbeAt.set(vendor.slug, first);
    return vendor.regressAfter !== undefined && clock.now() - first >= vendor.regressAfter ? ms * vendor.regressFactor : ms;
  };

  // ---- ticket form ----
  const fileTicket = async (vendor: SiteVendor, script: WebformScript, fields: URLSearchParams, res: ServerResponse) => {
    const ids = formIds(script.variant);
    const replyTo = fields.get(ids.email) ?? '';
    const message = fields.get(ids.message) ?? '';
    const subject = fields.get(ids.subject) ?? '';
    if (!/^[^@\s]+@[^@\s]+$/.test(replyTo) || message.trim() === '' || fields.get(ids.consent) !== 'yes') {
      return send(
        res,
        422,
        page(
          vendor,
          'Please check the form',
          `<p class="error">Please give a valid e-mail address, a message, and accept the terms.</p><p><a href="/v/${vendor.slug}/contact">Back</a></p>`,
        ),
      );
    }
    const n = (ticketCounters.get(vendor.slug) ?? 10_000) + 1;
    ticketCounters.set(vendor.slug, n);
    const ticket = `${
      script.ticket_prefix ??
      vendor.slug
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 4)
        .toUpperCase()
    }-${n}`;
    const token = findToken(`${subject}\n${message}`);
    record({ kind: 'ticket_filed', vendor: vendor.slug, at: clock.now(), ticket, token, replyTo });
    for (const reply of script.replies) {
      const wait = reply.kind === 'human' ? scaled(vendor, reply.after) : reply.after;
      later(wait, async () => {
        const key = options.dkimKeys?.get(vendor.domain);
        const mail = {
          ...replyMail(vendor, reply, { ticket, subject, message, replyTo }),
          ...(key ? { dkim: { domainName: vendor.domain, keySelector: key.selector, privateKey: key.privateKey } } : {}),
        };
        await transport.sendMail(mail);
        record({ kind: 'mail_sent', vendor: vendor.slug, at: clock.now(), ticket, token, reply: reply.kind, to: replyTo });
      });
    }
    res.writeHead(303, { location: `/v/${vendor.slug}/contact/done?ticket=${encodeURIComponent(ticket)}` }).end();
  };

  // ---- chat ----
  const push = (conversation: Conversation, message: Omit<ChatMessage, 'id' | 'at'>): void => {
    const full: ChatMessage = { ...message, id: conversation.messages.length + 1, at: clock.now() };
    conversation.messages.push(full);
    for (const listener of conversation.listeners) listener.write(sse(full.id, 'message', full));
    const token = findToken(full.text);
    record({
      kind: 'chat_message',
      vendor: conversation.vendor.slug,
      at: full.at,
      conversation: conversation.id,
      id: full.id,
      role: full.role,
      author: full.author,
      text: full.text,
      token,
    });
  };
  const runScript = (conversation: Conversation, script: ChatScript, visitorText: string): void => {
    const token = findToken(visitorText);
    for (const step of script.script) {
      const wait = step.kind === 'human' || step.kind === 'join' ? scaled(conversation.vendor, step.after) : step.after;
      later(wait, () => {
        const agent = step.agent ?? 'Maya';
        if (step.kind === 'reload') {
          for (const listener of conversation.listeners) listener.write(sse(0, 'reload', {}));
        } else if (step.kind === 'bot') {
          push(conversation, {
            role: 'bot',
            author: script.bot_name,
            text: step.text ?? 'I can help with common questions.',
            quickReplies: step.quick_replies ?? [],
          });
        } else if (step.kind === 'join') {
          push(conversation, { role: 'system', author: '', text: step.text ?? `${agent} joined the chat`, quickReplies: [] });
        } else {
          const text =
            step.text ??
            `Hi, ${agent} here. I have looked at your question${token ? ` (${token})` : ''}: the ingest limits are per stream key, and I have raised yours for the event. Anything else?`;
          push(conversation, { role: 'agent', author: agent, text, quickReplies: [] });
        }
      });
    }
  };

  /** The visitor wrote again in an open chat: the agent answers per the script's follow_ups, if it has any. */
  const answerFollowUp = (conversation: Conversation, script: ChatScript): void => {
    const visits = conversation.messages.filter((m) => m.role === 'visitor').length;
    const step = script.follow_ups[Math.min(visits - 2, script.follow_ups.length - 1)];
    if (!step) return;
    later(scaled(conversation.vendor, step.after), () => {
      push(conversation, { role: 'agent', author: step.agent ?? 'Maya', text: step.text, quickReplies: [] });
    });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      logger.warn({ err, url: req.url }, 'vendor site request failed');
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    const match = /^\/v\/([a-z0-9-]+)(\/.*)?$/.exec(url.pathname);
    if (url.pathname === '/') return send(res, 200, indexPage([...vendors.values()]));
    const vendor = match?.[1] ? vendors.get(match[1]) : undefined;
    if (!match || !vendor) return send(res, 404, 'no such vendor');
    const rest = match[2] ?? '/';
    const { webform, chat } = vendor;
    if (req.method === 'GET' && rest === '/') return send(res, 200, homePage(vendor));
    if (webform && req.method === 'GET' && rest === '/contact') return send(res, 200, formPage(vendor, webform));
    if (webform && req.method === 'POST' && rest === '/contact') return fileTicket(vendor, webform, new URLSearchParams(await readBody(req)), res);
    if (webform && req.method === 'GET' && rest === '/contact/done') return send(res, 200, donePage(vendor, url.searchParams.get('ticket') ?? ''));
    if (chat && req.method === 'GET' && rest === '/widget') return send(res, 200, widgetPage(vendor, chat));
    const chatMatch = /^\/chat\/([a-f0-9]{16})\/(events|messages)$/.exec(rest);
    if (chat && chatMatch?.[1]) {
      const id = chatMatch[1];
      let conversation = conversations.get(id);
      if (!conversation) {
        conversation = { id, vendor, messages: [], listeners: new Set(), started: false };
        conversations.set(id, conversation);
        push(conversation, { role: 'bot', author: chat.bot_name, text: chat.greeting, quickReplies: [] });
      }
      if (chatMatch[2] === 'events' && req.method === 'GET') {
        const since = Number(url.searchParams.get('since') ?? 0);
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        for (const m of conversation.messages) if (m.id > since) res.write(sse(m.id, 'message', m));
        const current = conversation;
        current.listeners.add(res);
        req.on('close', () => current.listeners.delete(res));
        return;
      }
      if (chatMatch[2] === 'messages' && req.method === 'POST') {
        const body = z.object({ text: z.string().min(1).max(10_000) }).safeParse(JSON.parse((await readBody(req)) || '{}'));
        if (!body.success) return send(res, 400, 'text required');
        push(conversation, { role: 'visitor', author: 'You', text: body.data.text, quickReplies: [] });
        if (!conversation.started) {
          conversation.started = true;
          runScript(conversation, chat, body.data.text);
        } else {
          answerFollowUp(conversation, chat);
        }
        res.writeHead(204).end();
        return;
      }
    }
    send(res, 404, 'not found');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? (address satisfies AddressInfo).port : 0;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, vendors: [...vendors.keys()] }, 'vendor site listening');

  function waitFor(match: (event: SiteEvent) => boolean, signal?: AbortSignal): Promise<SiteEvent> {
    const past = history.find(match);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const onEvent = (event: SiteEvent) => {
        if (!match(event)) return;
        emitter.off('event', onEvent);
        resolve(event);
      };
      emitter.on('event', onEvent);
      signal?.addEventListener(
        'abort',
        () => {
          emitter.off('event', onEvent);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  return {
    url,
    events: () => history,
    waitFor,
    openStreams: () => [...conversations.values()].reduce((n, c) => n + c.listeners.size, 0),
    agentReply(token, agent = 'Maya') {
      const conversation = [...conversations.values()].find((c) => c.messages.some((m) => m.role === 'visitor' && findToken(m.text) === token));
      if (!conversation) return undefined;
      push(conversation, { role: 'agent', author: agent, text: `Hi, ${agent} here, answering ${token} by hand.`, quickReplies: [] });
      return history.at(-1);
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const c of conversations.values()) for (const listener of c.listeners) listener.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      transport.close();
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': body.startsWith('<!doctype') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(body);
}

function sse(id: number, event: string, value: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(value)}\n\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** JSON inside an inline <script>: no `</script>` can close it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function page(vendor: { name: string }, title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · ${escapeHtml(vendor.name)}</title>
<style>body{font:15px system-ui,sans-serif;margin:0;color:#1d2330}header{background:#243b6b;color:#fff;padding:12px 24px}main{padding:24px;max-width:720px}
label{display:block;margin:12px 0 4px}input,select,textarea{font:inherit;width:100%;max-width:520px;padding:6px}textarea{height:120px}
.steps{color:#667}.hidden{display:none}#fr-chat-frame{position:fixed;right:16px;bottom:72px;width:360px;height:520px;border:1px solid #ccd;border-radius:8px;background:#fff}
#fr-chat-launcher{position:fixed;right:16px;bottom:16px;padding:10px 16px;border-radius:20px;background:#243b6b;color:#fff;border:0}</style>${head}</head>
<body><header>${escapeHtml(vendor.name)}</header><main>${body}</main></body></html>`;
}

function indexPage(vendors: SiteVendor[]): string {
  return page(
    { name: 'Simulated vendors' },
    'Vendors',
    `<ul>${vendors.map((v) => `<li><a href="/v/${v.slug}/">${escapeHtml(v.name)}</a></li>`).join('')}</ul>`,
  );
}

function homePage(vendor: SiteVendor): string {
  const chat = !vendor.chat
    ? ''
    : vendor.chat.variant === 'shadow_dom'
      ? `<button id="fr-chat-launcher" type="button">Chat with us</button>
<div id="fr-chat-host"></div>
<script>
${widgetScript}
(function () {
  document.getElementById('fr-chat-launcher').addEventListener('click', function () {
    var host = document.getElementById('fr-chat-host');
    if (host.shadowRoot) return;
    var root = host.attachShadow({ mode: 'open' });
    root.innerHTML = ${scriptJson(widgetMarkup(widgetClasses(vendor.chat.variant)))};
    mountChat(root, ${scriptJson(widgetConfig(vendor, vendor.chat))}, function () { location.reload(); });
  });
})();
</script>`
      : `<button id="fr-chat-launcher" type="button">Chat with us</button>
<script>
(function () {
  var launcher = document.getElementById('fr-chat-launcher');
  launcher.addEventListener('click', function () {
    if (document.getElementById('fr-chat-frame')) return;
    var frame = document.createElement('iframe');
    frame.id = 'fr-chat-frame';
    frame.title = 'Chat with ' + ${scriptJson(vendor.name)};
    frame.src = ${scriptJson(`/v/${vendor.slug}/widget`)};
    document.body.appendChild(frame);
  });
  window.addEventListener('message', function (e) { if (e.origin === location.origin && e.data && e.data.type === 'fr-reload') location.reload(); });
})();
</script>`;
  const form = vendor.webform ? `<p><a id="contact-link" href="/v/${vendor.slug}/contact">Contact support</a></p>` : '';
  return page(vendor, 'Home', `<h1>Welcome to ${escapeHtml(vendor.name)}</h1><p>Live streaming infrastructure.</p>${form}${chat}`);
}

function formIds(variant: WebformScript['variant']) {
  return variant === 'changed_markup'
    ? {
        name: 'full_name',
        email: 'contact_email',
        topic: 'category',
        subject: 'title',
        message: 'details',
        attachment: 'file',
        consent: 'agree',
        next: 'continue',
        submit: 'send-request',
      }
    : {
        name: 'name',
        email: 'email',
        topic: 'topic',
        subject: 'subject',
        message: 'message',
        attachment: 'attachment',
        consent: 'consent',
        next: 'next',
        submit: 'submit',
      };
}

function formPage(vendor: SiteVendor, script: WebformScript): string {
  const ids = formIds(script.variant);
  const captcha = script.variant === 'captcha' ? '<div class="g-recaptcha" data-sitekey="sandbox"><p>Please prove you are not a robot.</p></div>' : '';
  return page(
    vendor,
    'Contact support',
    `<h1>Contact support</h1>
<form id="ticket-form" method="post" action="/v/${vendor.slug}/contact">
<fieldset id="step-1"><legend class="steps">Step 1 of 2: about you</legend>
<label for="${ids.name}">Name</label><input id="${ids.name}" name="${ids.name}" autocomplete="name">
<label for="${ids.email}">E-mail for our reply</label><input id="${ids.email}" name="${ids.email}" type="email" required>
<label for="${ids.topic}">Topic</label><select id="${ids.topic}" name="${ids.topic}"><option value="">Choose…</option><option value="billing">Billing</option><option value="technical">Technical</option><option value="account">Account</option></select>
<p><button id="${ids.next}" type="button">Next</button></p></fieldset>
<fieldset id="step-2" class="hidden"><legend class="steps">Step 2 of 2: your request</legend>
<label for="${ids.subject}">Subject</label><input id="${ids.subject}" name="${ids.subject}">
<label for="${ids.message}">How can we help?</label><textarea id="${ids.message}" name="${ids.message}" required></textarea>
<label for="${ids.attachment}">Attachment (optional)</label><input id="${ids.attachment}" name="${ids.attachment}" type="file">
${captcha}
<label><input id="${ids.consent}" name="${ids.consent}" type="checkbox" value="yes" style="width:auto"> I accept the terms</label>
<p><button id="${ids.submit}" type="submit">Submit request</button></p></fieldset>
</form>
<script>
document.getElementById(${scriptJson(ids.next)}).addEventListener('click', function () {
  var email = document.getElementById(${scriptJson(ids.email)});
  if (!email.checkValidity()) { email.reportValidity(); return; }
  document.getElementById('step-1').classList.add('hidden');
  document.getElementById('step-2').classList.remove('hidden');
});
</script>`,
  );
}

function donePage(vendor: SiteVendor, ticket: string): string {
  return page(
    vendor,
    'Request received',
    `<h1>Thank you</h1><p id="confirmation">Your request has been received. Your ticket number is <strong class="ticket">#${escapeHtml(ticket)}</strong>. We will answer by e-mail.</p>`,
  );
}

function widgetClasses(variant: ChatScript['variant']) {
  return variant === 'changed_markup'
    ? { log: 'cw-log', msg: 'cw-bubble', input: 'cw-box', send: 'cw-go', author: 'cw-name', text: 'cw-body', quick: 'cw-chips', reply: 'cw-chip' }
    : {
        log: 'fr-transcript',
        msg: 'fr-msg',
        input: 'fr-input',
        send: 'fr-send',
        author: 'fr-author',
        text: 'fr-text',
        quick: 'fr-quick',
        reply: 'fr-quick-reply',
      };
}

function widgetConfig(vendor: SiteVendor, chat: ChatScript) {
  return { slug: vendor.slug, cls: widgetClasses(chat.variant), markers: chat.markers };
}

function widgetMarkup(cls: ReturnType<typeof widgetClasses>): string {
  return `<style>:host{position:fixed;right:16px;bottom:72px;width:360px;height:520px;border:1px solid #ccd;background:#fff}
.w{font:14px system-ui,sans-serif;margin:0;display:flex;flex-direction:column;height:100%}ol{list-style:none;margin:0;padding:8px;flex:1;overflow:auto}
li{margin:6px 0;padding:6px 8px;border-radius:6px;background:#eef1f7}li.out{background:#dfe9ff;margin-left:40px}li.sys{background:none;color:#667;text-align:center;font-size:12px}
form{display:flex;border-top:1px solid #ccd}textarea{flex:1;font:inherit;border:0;padding:8px;height:48px}button{font:inherit}</style>
<div class="w"><ol class="${cls.log}" aria-live="polite"></ol>
<form class="compose"><textarea class="${cls.input}" aria-label="Message"></textarea><button class="${cls.send}" type="submit">Send</button></form></div>`;
}

/** The widget's client: conversation id in localStorage, messages over SSE, DOM built with textContent only. */
const widgetScript = `function mountChat(root, cfg, onReload) {
  var key = 'fr-chat-' + cfg.slug;
  var id = localStorage.getItem(key);
  if (!id) {
    var bytes = new Uint8Array(8); crypto.getRandomValues(bytes);
    id = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    localStorage.setItem(key, id);
  }
  var base = '/v/' + cfg.slug + '/chat/' + id;
  var log = root.querySelector('ol');
  var form = root.querySelector('form');
  var input = root.querySelector('textarea');
  var seen = 0;
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function append(m) {
    if (m.id <= seen) return;
    seen = m.id;
    var li = el('li', cfg.cls.msg + (m.role === 'visitor' ? ' out' : m.role === 'system' ? ' sys' : ' in'));
    if (cfg.markers) li.setAttribute('data-role', m.role);
    if (m.author) li.appendChild(el('span', cfg.cls.author, m.author));
    li.appendChild(el('p', cfg.cls.text, m.text));
    if (m.quickReplies.length) {
      var q = el('div', cfg.cls.quick);
      m.quickReplies.forEach(function (r) { q.appendChild(el('button', cfg.cls.reply, r)); });
      li.appendChild(q);
    }
    li.setAttribute('data-at', String(Date.now()));
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }
  var events = new EventSource(base + '/events?since=0');
  events.addEventListener('message', function (e) { append(JSON.parse(e.data)); });
  events.addEventListener('reload', function () { onReload(); });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    fetch(base + '/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: text }) });
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
}`;

function widgetPage(vendor: SiteVendor, chat: ChatScript): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Chat</title></head>
<body style="margin:0;height:100vh">${widgetMarkup(widgetClasses(chat.variant)).replace(':host{', '.w-host{')}
<script>
${widgetScript}
mountChat(document, ${scriptJson(widgetConfig(vendor, chat))}, function () { parent.postMessage({ type: 'fr-reload' }, location.origin); });
</script></body></html>`;
}

function replyMail(vendor: SiteVendor, reply: WebformScript['replies'][number], ticket: { ticket: string; subject: string; message: string; replyTo: string }) {
  const quoted = ticket.message
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const from =
    reply.kind === 'human'
      ? `"${reply.agent ?? 'Support'} (${vendor.name})" <support@${vendor.domain}>`
      : `"${vendor.name} Support" <no-reply@${vendor.domain}>`;
  const subject = `[${ticket.ticket}] Re: ${ticket.subject || 'Your request'}`;
  const messageId = `<${randomBytes(8).toString('hex')}@${vendor.domain}>`;
  if (reply.kind === 'ack') {
    const text =
      reply.language === 'zh'
        ? `您好，\n\n我们已收到您的工单 ${ticket.ticket}，客服人员将尽快回复。\n\n此邮件为系统自动发送，请勿直接回复。\n\n${quoted}\n`
        : `Hello,\n\nThis is an automatic confirmation: we received your request ${ticket.ticket} and an agent will reply soon.\n\n${quoted}\n`;
    return {
      from,
      to: ticket.replyTo,
      subject,
      text,
      messageId,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes', 'X-Ticket-Id': ticket.ticket },
    };
  }
  const agent = reply.agent ?? 'Support';
  // Worded anew for every ticket, as a person would: a repeated skeleton is (rightly) taken for a template.
  const question: Question = {
    from: ticket.replyTo,
    replyTo: ticket.replyTo,
    subject: ticket.subject,
    text: ticket.message,
    date: new Date(0),
    token: findToken(ticket.message) ?? ticket.ticket,
  };
  const answer = answerBody(question, reply.language === 'zh' ? 'zh' : 'en', vendor.name);
  const text =
    reply.language === 'zh'
      ? `您好，\n\n我是${agent}，关于工单 ${ticket.ticket}：${answer}\n\n${agent}\n\n${quoted}\n`
      : `Hi,\n\n${agent} here, about ticket ${ticket.ticket}. ${answer}\n\nBest,\n${agent}\n\n${quoted}\n`;
  return { from, to: ticket.replyTo, subject, text, messageId, headers: { 'X-Ticket-Id': ticket.ticket } };
}
