// Each notifier kind's settings in settings.yaml `alerts.targets`; the config union is built from this map.
import { z } from 'zod';

const httpUrl = z.string().url().refine((u) => /^https?:\/\//.test(u), 'use an http:// or https:// URL');

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
} as const;

export type NotifierKind = keyof typeof notifierSettingsSchemas;
export const notifierKinds = Object.keys(notifierSettingsSchemas).filter((k): k is NotifierKind => Object.hasOwn(notifierSettingsSchemas, k));
