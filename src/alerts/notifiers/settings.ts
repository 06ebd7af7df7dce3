// Each notifier kind's settings in settings.yaml `alerts.targets`, declared beside its module; the config union is built
// from this map (it sits in the config layer, below the modules: docs/architecture.md).
import { z } from 'zod';

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'use an http:// or https:// URL');

export const notifierSettingsSchemas = {
  email: z.strictObject({
    /** The transport name in settings.yaml `smtp`. */
    smtp: z.string().default('default'),
    to: z.array(z.string().email()).min(1),
    /** Sender; the transport's `from` when absent. */
    from: z.string().min(3).optional(),
  }),
  webhook: z.strictObject({
    url: httpUrl,
    /** Extra request headers (e.g. an Authorization token from ${ENV}). */
    headers: z.record(z.string(), z.string()).default({}),
  }),
  slack: z.strictObject({
    url: httpUrl,
    channel: z.string().optional(),
  }),
  teams: z.strictObject({
    /** A Teams Workflows "post to a channel when a webhook request is received" URL (its `sig` is the secret: ${ENV}). */
    url: httpUrl,
  }),
  discord: z.strictObject({
    /** The channel webhook URL (its path is the secret: ${ENV}). */
    url: httpUrl,
    /** Overrides the webhook's own name. */
    username: z.string().min(1).max(80).optional(),
  }),
  pagerduty: z.strictObject({
    /** The Events API v2 integration key of the service (always ${ENV}). */
    routing_key: z.string().min(1),
    /** The enqueue endpoint (events.eu.pagerduty.com for EU accounts). */
    url: httpUrl.default('https://events.pagerduty.com/v2/enqueue'),
  }),
  ntfy: z.strictObject({
    /** The topic URL, e.g. https://ntfy.sh/firstreply-ops. */
    url: httpUrl,
    /** An access token for a protected topic (always ${ENV}); sent as a Bearer token. */
    token: z.string().min(1).optional(),
    /** Priority 1–5 for opened and reminded alerts; default 4 (high) for warnings and 5 (urgent) for critical ones. */
    priority: z.number().int().min(1).max(5).optional(),
    /** Extra tags (emoji short codes or words) added to the notice's own. */
    tags: z.array(z.string().regex(/^[^,\r\n]+$/, 'one tag, without commas')).default([]),
  }),
} as const;

export type NotifierKind = keyof typeof notifierSettingsSchemas;
