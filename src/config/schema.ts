// The zod schemas of vendor files and settings; the channel union is derived from the channel registry.
import type { OperatorNote } from './notes.ts';
import { z } from 'zod';
import { channelSettingsSchemas } from '../channels/settings.ts';
import { alertsConfigSchema } from './alerts.ts';
import { cronProblem } from './cron.ts';
import { resolutionTargetSchema, templateQualityFields, type ResolutionTarget } from './template-quality.ts';
import { duration, hhmm, isoDate, slug, tiers, timeZone, weekdays, type Tier } from './primitives.ts';

export { duration, tiers, type Tier, type Weekday } from './primitives.ts';

/** The reference first-response targets (a vendor's own published SLA overrides them). */
export const referenceSla: Record<Tier, { firstResponseMs: number; resolution: ResolutionTarget; impact: string }> = {
  P0: { firstResponseMs: 15 * 60_000, resolution: { lowMs: 2 * 3_600_000, highMs: 4 * 3_600_000, businessDays: false }, impact: 'core service down' },
  P1: { firstResponseMs: 60 * 60_000, resolution: { lowMs: 8 * 3_600_000, highMs: 24 * 3_600_000, businessDays: false }, impact: 'part degraded' },
  P2: {
    firstResponseMs: 4 * 3_600_000,
    resolution: { lowMs: 3 * 86_400_000, highMs: 5 * 86_400_000, businessDays: true },
    impact: 'non-core issue, workaround exists',
  },
  P3: { firstResponseMs: 24 * 3_600_000, resolution: 'case_by_case', impact: 'question / suggestion' },
};

export const supportHoursSchema = z.strictObject({
  days: z.array(z.enum(weekdays)).min(1),
  start: hhmm,
  end: hhmm,
  holidays: z.array(isoDate).default([]),
});
export type SupportHours = z.infer<typeof supportHoursSchema>;

export const slaEntrySchema = z.strictObject({
  first_response: duration,
  /** Time to resolution: a duration, a range ("2h-4h"), business days ("3-5 business days") or "case by case". */
  resolution: resolutionTargetSchema.optional(),
  business_hours: z.boolean().default(false),
});

/** A vendor's caps over all its channels: required, each under a hard ceiling the loader checks (config/caps.ts). */
const vendorRateCapsSchema = z.strictObject({
  per_day: z.number().int().positive(),
  per_week: z.number().int().positive(),
  /** The shortest gap between two probes to this vendor, over all its channels. */
  min_interval: duration.optional(),
});

/** A channel's own caps, under the vendor's; `{}` would say nothing, so it is refused. */
const rateCapsSchema = z
  .strictObject({
    per_day: z.number().int().positive().optional(),
    per_week: z.number().int().positive().optional(),
  })
  .refine((c) => c.per_day !== undefined || c.per_week !== undefined, {
    message: "rate_caps: {} sets no cap: give per_day and/or per_week (or leave rate_caps out: the vendor's caps still apply)",
  });
export type RateCaps = { per_day?: number | undefined; per_week?: number | undefined; min_interval?: number | undefined };

export const scheduleSchema = z
  .strictObject({
    cron: z
      .string()
      .superRefine((expression, ctx) => {
        const problem = cronProblem(expression);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    per_week: z.number().positive().optional(),
    every: duration.optional(),
    spread: z.enum(['week', 'support_hours']).default('week'),
    jitter: duration.default(10 * 60_000),
  })
  .refine((s) => [s.cron, s.per_week, s.every].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of cron, per_week or every',
  });
export type Schedule = z.infer<typeof scheduleSchema>;

export const templateSchema = z
  .strictObject({
    id: slug,
    tier: z.enum(tiers),
    language: z.string().min(2).default('en'),
    scenario: z.string().optional(),
    subject: z.string().min(1),
    body: z.string().min(1),
    ...templateQualityFields,
  })
  .refine((t) => t.subject.includes('{{token}}') || t.body.includes('{{token}}'), {
    message: 'the subject or body must contain {{token}} so replies can be matched',
    path: ['body'],
  });
export type Template = z.infer<typeof templateSchema>;

const channelBase = {
  id: slug,
  enabled: z.boolean().default(true),
  schedule: scheduleSchema.optional(),
  rate_caps: rateCapsSchema.optional(),
  expiry: duration.default(7 * 24 * 3_600_000),
  templates: z.array(slug).optional(),
};

const channelBaseSchema = z.strictObject(channelBase);
/** The fields every channel has, whatever its kind. */
export type ChannelBase = z.output<typeof channelBaseSchema>;

/** A kind's own fields in a vendor file (beside the shared id, schedule, caps, expiry and templates). */
export type ChannelSettingsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;
type SettingsByKind = typeof channelSettingsSchemas;
export type ChannelKind = keyof SettingsByKind & string;
export type ChannelDefOf<K extends ChannelKind> = { kind: K } & ChannelBase & z.output<SettingsByKind[K]>;
export type ChannelDef = { [K in ChannelKind]: ChannelDefOf<K> }[ChannelKind];

/** A vendor file's channel for each kind of a map kind → its settings: the shared fields and the kind's own. */
export function channelDefSchemaOf(settingsByKind: Readonly<Record<string, ChannelSettingsSchema>>) {
  const [first, ...rest] = Object.entries(settingsByKind).map(([kind, settings]) =>
    z.strictObject({ kind: z.literal(kind), ...channelBase, ...settings.shape }),
  );
  if (!first) throw new Error('a channel union needs at least one kind');
  return z.discriminatedUnion('kind', [first, ...rest]);
}

/**
 * The one cast of the channel union: built generically at run time, typed per kind by ChannelDefOf (a generic
 * helper's own type would give every kind the union of all kinds' fields).
 */
const typedChannelDef = (schema: ReturnType<typeof channelDefSchemaOf>) => schema as unknown as z.ZodType<ChannelDef, unknown>;
const channelDefSchema = typedChannelDef(channelDefSchemaOf(channelSettingsSchemas));

export const vendorSchema = z.strictObject({
  slug,
  name: z.string().min(1),
  visibility: z.enum(['public', 'private']),
  timezone: timeZone.default('UTC'),
  website: z.string().url().optional(),
  support_hours: supportHoursSchema.optional(),
  sla: z.partialRecord(z.enum(tiers), slaEntrySchema).default({}),
  drills_allowed: z.boolean().default(false),
  rate_caps: vendorRateCapsSchema,
  templates: z.array(z.union([templateSchema, z.strictObject({ use: slug })])).min(1),
  channels: z.array(channelDefSchema).min(1),
  notes: z.string().optional(),
  /** Domains its replies come from (subdomains included); a token quoted from elsewhere goes to review. Default: its addresses' and acknowledgements' domains. */
  reply_domains: z
    .array(
      z
        .string()
        .max(253)
        .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'a domain such as "acme.com"'),
    )
    .optional(),
  sandbox: z.record(z.string(), z.unknown()).optional(),
});
export type VendorInput = z.infer<typeof vendorSchema>;
export type Vendor = Omit<VendorInput, 'templates'> & { templates: Template[]; file: string };

const securityMode = z.enum(['starttls', 'tls', 'plain']);

export const smtpSchema = z.strictObject({
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535),
  security: securityMode.default('starttls'),
  user: z.string().optional(),
  pass: z.string().optional(),
  from: z.string().min(3),
  tls_reject_unauthorized: z.boolean().default(true),
});
export type SmtpSettings = z.infer<typeof smtpSchema>;

export const mailboxSchema = z.strictObject({
  address: z.string().email(),
  plus_addressing: z.boolean().default(true),
  imap: z.strictObject({
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535),
    secure: z.boolean().default(true),
    user: z.string().min(1),
    pass: z.string().min(1),
    tls_reject_unauthorized: z.boolean().default(true),
  }),
  folders: z.array(z.string()).default(['INBOX']),
  sent_folder: z.string().optional(),
  /**
   * The server files what its SMTP sends in sent_folder by itself (Gmail, Exchange Online): firstreply then does not
   * append its own copy (which would be a duplicate) but still searches the folder when reconciling after a crash.
   */
  sent_folder_autosave: z.boolean().default(false),
  /** Unreachable this long: the channels replying here pause, the operator gets mailbox_down, and the interval is not measured. */
  down_after: duration.default(2 * 60_000),
  /** Bytes of a message fetched and kept; a larger one is stored cut (flagged truncated), its rest left on the server. */
  max_message_bytes: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(64 * 1024 * 1024)
    .default(4 * 1024 * 1024),
});
export type MailboxSettings = z.infer<typeof mailboxSchema>;

export const settingsSchema = z.strictObject({
  database: z.string().default('data/firstreply.db'),
  evidence_dir: z.string().default('data/evidence'),
  public_url: z.string().default('http://127.0.0.1:8080'),
  demo_time: z.boolean().default(false),
  mailboxes: z.record(z.string(), mailboxSchema).default({}),
  smtp: z.record(z.string(), smtpSchema).default({}),
  classifier: z.strictObject({ fast_reply_ms: duration.default(60_000) }).default({ fast_reply_ms: 60_000 }),
  browser: z
    .strictObject({
      executable: z.string().default('/usr/bin/chromium'),
      max_chats: z.number().int().positive().default(20),
    })
    .default({ executable: '/usr/bin/chromium', max_chats: 20 }),
  /** Read with the catalog by the loader, which checks what it names (config/alerts.ts). */
  alerts: alertsConfigSchema.prefault({}),
  /** Proxies in front of the server whose X-Forwarded-For is believed: addresses/CIDRs, or a hop count (Fastify trustProxy). */
  trust_proxy: z.union([z.number().int().nonnegative(), z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** Prometheus /metrics (also on with FIRSTREPLY_METRICS=1); on the status server unless metrics_listen names its own address. */
  metrics: z.boolean().optional(),
  metrics_listen: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:]+):\d{1,5}$/, 'host:port, e.g. "127.0.0.1:9464"')
    .optional(),
  /** Name private vendors in /metrics labels; by default they are counted together as vendor="private". */
  metrics_private_vendors: z.boolean().optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export interface Catalog {
  dir: string;
  settings: Settings;
  vendors: Vendor[];
  /** Operator notes from notes/*.yaml (absent: none read). */
  notes?: OperatorNote[];
}
