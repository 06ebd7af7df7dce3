// Each channel kind's own settings in a vendor file, declared by its module; the config union is built from this map
// (it sits in the config layer, below the modules: docs/architecture.md).
import { z } from 'zod';
import { duration } from '../config/primitives.ts';

const selector = z.string().min(1);

export const webformStepSchema = z.union([
  z.strictObject({ goto: z.string().min(1) }),
  /** `frame`: the iframe the field lives in (a rich-text editor's body, e.g. CKEditor's `iframe.cke_wysiwyg_frame`). */
  z.strictObject({ fill: selector, value: z.string(), frame: selector.optional() }),
  z.strictObject({ select: selector, value: z.string() }),
  z.strictObject({ check: selector }),
  z.strictObject({ upload: selector, file: z.string().min(1) }),
  z.strictObject({ click: selector }),
  /** Opens a menu that shows its entries on hover only (RT SelfService's "New ticket"). */
  z.strictObject({ hover: selector }),
  z.strictObject({ waitFor: selector, timeout: z.number().int().positive().optional() }),
  z.strictObject({ expectText: z.string().min(1), in: selector.optional() }),
]);
export type WebformStep = z.infer<typeof webformStepSchema>;

export const chatSelectorsSchema = z.strictObject({
  frame: z.string().optional(),
  /** The iframe the launcher button lives in, when it is not in the page itself. */
  launcher_frame: z.string().optional(),
  launcher: z.string().optional(),
  input: z.string(),
  send: z.string().optional(),
  transcript: z.string(),
  message: z.string(),
  /** The text inside a message element (default: the whole element's text). */
  text: z.string().optional(),
  incoming: z.string().optional(),
  author: z.string().optional(),
  agent_marker: z.string().optional(),
  bot_marker: z.string().optional(),
  system_marker: z.string().optional(),
  quick_reply: z.string().optional(),
});
export type ChatSelectors = z.infer<typeof chatSelectorsSchema>;

const captchaSelectors = ['iframe[src*="captcha"]', '.g-recaptcha', '.h-captcha', '.cf-turnstile', '[data-captcha]'];

export const channelSettingsSchemas = {
  email: z.strictObject({
    to: z.string().email(),
    mailbox: z.string().default('default'),
    smtp: z.string().default('default'),
    cc: z.array(z.string().email()).optional(),
  }),
  webform: z.strictObject({
    url: z.string().url(),
    mailbox: z.string().default('default'),
    steps: z.array(webformStepSchema).min(1),
    confirmation: z.strictObject({
      wait_for: selector,
      ticket_pattern: z.string().optional(),
    }),
    captcha_selectors: z.array(selector).default(captchaSelectors),
    /** How long each step may wait for its element, and the confirmation for its page. */
    timeout: z.number().int().positive().default(30_000),
  }),
  chat: z.strictObject({
    url: z.string().url(),
    preset: z.string().optional(),
    selectors: chatSelectorsSchema.partial().optional(),
    /** How long the chat is kept open waiting for a person (minutes to hours); without one, the probe is censored there. */
    max_wait: duration.default(2 * 3_600_000),
    human_min_latency_ms: z.number().int().nonnegative().default(2000),
    /** How long opening the widget and seeing our own message may take. */
    timeout: z.number().int().positive().default(30_000),
    /** How long the chat stays open after a person's reply for the probe to answer it (a follow-up) before it closes. */
    follow_up_wait: duration.default(5_000),
    /** How many times a reloaded, crashed or closed page is reopened during one chat. */
    reconnects: z.number().int().nonnegative().default(5),
    captcha_selectors: z.array(selector).default(captchaSelectors),
  }),
  manual: z.strictObject({
    medium: z.enum(['phone', 'im', 'other']).default('phone'),
  }),
} as const;

export type WebformSettings = z.output<typeof channelSettingsSchemas.webform>;
export type ChatSettings = z.output<typeof channelSettingsSchemas.chat>;
