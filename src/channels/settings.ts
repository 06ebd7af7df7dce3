// Each channel kind's own settings in a vendor file; the config union is built from this map.
import { z } from 'zod';

const selector = z.string().min(1);

export const webformStepSchema = z.union([
  z.object({ goto: z.string().min(1) }),
  z.object({ fill: selector, value: z.string() }),
  z.object({ select: selector, value: z.string() }),
  z.object({ check: selector }),
  z.object({ upload: selector, file: z.string().min(1) }),
  z.object({ click: selector }),
  z.object({ waitFor: selector, timeout: z.number().int().positive().optional() }),
  z.object({ expectText: z.string().min(1), in: selector.optional() }),
]);
export type WebformStep = z.infer<typeof webformStepSchema>;

export const chatSelectorsSchema = z.object({
  frame: z.string().optional(),
  launcher: z.string().optional(),
  input: z.string(),
  send: z.string().optional(),
  transcript: z.string(),
  message: z.string(),
  incoming: z.string().optional(),
  author: z.string().optional(),
  agent_marker: z.string().optional(),
  bot_marker: z.string().optional(),
  system_marker: z.string().optional(),
  quick_reply: z.string().optional(),
});
export type ChatSelectors = z.infer<typeof chatSelectorsSchema>;

export const channelSettingsSchemas = {
  email: z.object({
    to: z.string().email(),
    mailbox: z.string().default('default'),
    smtp: z.string().default('default'),
    cc: z.array(z.string().email()).optional(),
  }),
  webform: z.object({
    url: z.string().url(),
    mailbox: z.string().default('default'),
    steps: z.array(webformStepSchema).min(1),
    confirmation: z.object({
      wait_for: selector,
      ticket_pattern: z.string().optional(),
    }),
    captcha_selectors: z.array(selector).default(['iframe[src*="captcha"]', '.g-recaptcha', '.h-captcha', '[data-captcha]']),
    timeout: z.number().int().positive().default(30_000),
  }),
  chat: z.object({
    url: z.string().url(),
    preset: z.string().optional(),
    selectors: chatSelectorsSchema.partial().optional(),
    max_wait: z.union([z.string(), z.number()]).default('2h'),
    human_min_latency_ms: z.number().int().nonnegative().default(2000),
  }),
  manual: z.object({
    medium: z.enum(['phone', 'im', 'other']).default('phone'),
  }),
} as const;
