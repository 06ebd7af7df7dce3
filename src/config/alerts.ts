// The zod schema of settings.yaml `alerts` (rules, thresholds, silences, notifier targets) and its cross-checks.
import { z } from 'zod';
import { parseDuration } from '../core/clock.ts';
import { notifierSettingsSchemas, type NotifierKind } from '../alerts/notifiers/settings.ts';
import { duration, hhmm, instant, slug, tiers, weekdays } from './primitives.ts';
import { unknownKeysErrorMap } from './suggest.ts';

const targetBase = {
  /** Which alerts this target receives: subscriber alerts (vendor got slower) and/or operator alerts (a channel broke). */
  audience: z
    .array(z.enum(['subscriber', 'operator']))
    .min(1)
    .default(['subscriber', 'operator']),
  /** Only these vendors (all when absent). */
  vendors: z.array(slug).optional(),
  /** Only these rules (all when absent): sla_breach, regression, channel_broken, review_needed, or a threshold id. */
  rules: z.array(z.string()).optional(),
};

const targetBaseSchema = z.strictObject(targetBase);
/** The fields every target has, whatever its notifier kind. */
export type AlertTargetBase = z.output<typeof targetBaseSchema>;

/** A notifier kind's own fields in `alerts.targets` (beside the shared audience, vendors and rules). */
export type NotifierSettingsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;
type SettingsByKind = typeof notifierSettingsSchemas;
export type AlertTargetOf<K extends NotifierKind> = { kind: K } & AlertTargetBase & z.output<SettingsByKind[K]>;
export type AlertTarget = { [K in NotifierKind]: AlertTargetOf<K> }[NotifierKind];

/** A target for each kind of a map kind → its settings: the shared fields and the kind's own. */
export function alertTargetSchemaOf(settingsByKind: Readonly<Record<string, NotifierSettingsSchema>>) {
  const [first, ...rest] = Object.entries(settingsByKind).map(([kind, settings]) =>
    z.strictObject({ kind: z.literal(kind), ...targetBase, ...settings.shape }),
  );
  if (!first) throw new Error('an alert target union needs at least one notifier kind');
  return z.discriminatedUnion('kind', [first, ...rest]);
}

/**
 * The one cast of the target union: built generically at run time from notifiers/settings.ts, typed per kind by
 * AlertTargetOf (a generic helper's own type would give every kind the union of all kinds' fields).
 */
const typedAlertTarget = (schema: ReturnType<typeof alertTargetSchemaOf>) => schema as unknown as z.ZodType<AlertTarget, unknown>;
const alertTargetSchema = typedAlertTarget(alertTargetSchemaOf(notifierSettingsSchemas));

export const thresholdMetrics = ['median', 'p90', 'sla_compliance', 'no_reply_share'] as const;

const thresholdSchema = z
  .strictObject({
    id: slug,
    vendor: slug,
    /** A channel id of the vendor; every channel when absent. */
    channel: slug.optional(),
    metric: z.enum(thresholdMetrics),
    /** Durations for median / p90 ("8h"); shares 0..1 for sla_compliance / no_reply_share. */
    above: z.union([z.number(), z.string()]).optional(),
    below: z.union([z.number(), z.string()]).optional(),
    window: duration.default(14 * 24 * 3_600_000),
    /** Median and p90 in the vendor's support hours instead of calendar time. */
    business_hours: z.boolean().default(false),
    min_probes: z.number().int().positive().default(5),
    /**
     * Hysteresis: once open, the alert counts as clear only when the value is this far on the good side of the limit
     * (a share of the limit for durations and for "above" shares; a share of the distance to 100 % for "below" shares),
     * so a value hovering at the limit does not open and resolve it over and over. 0 turns it off.
     */
    clear_margin: z.number().min(0).max(0.9).default(0.1),
    /** Targets (names in `targets`) that get this threshold's alerts; every matching target when absent. */
    notify: z.array(z.string()).optional(),
  })
  .superRefine((t, ctx) => {
    const given = [t.above, t.below].filter((v) => v !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of above or below', path: ['above'] });
    const limit = t.above ?? t.below;
    if (limit === undefined) return;
    const key = t.above !== undefined ? 'above' : 'below';
    if (t.metric === 'median' || t.metric === 'p90') {
      try {
        parseDuration(limit);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err), path: [key] });
      }
    } else if (typeof limit !== 'number' || limit < 0 || limit > 1) {
      ctx.addIssue({ code: 'custom', message: `${t.metric} is a share: use a number from 0 to 1 (e.g. 0.8)`, path: [key] });
    }
    if (t.business_hours && t.metric !== 'median' && t.metric !== 'p90') {
      ctx.addIssue({ code: 'custom', message: 'business_hours applies to median and p90 only', path: ['business_hours'] });
    }
  });
export type ThresholdInput = z.infer<typeof thresholdSchema>;

const silenceSchema = z
  .strictObject({
    vendor: slug,
    channel: slug.optional(),
    rule: z.string().optional(),
    reason: z.string().default('maintenance'),
    /** A one-off window. */
    from: instant.optional(),
    until: instant.optional(),
    /** A weekly maintenance window in the vendor's time zone (or `timezone`). */
    weekly: z
      .strictObject({
        days: z.array(z.enum(weekdays)).min(1),
        start: hhmm,
        end: hhmm,
        timezone: z.string().optional(),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const oneOff = s.from !== undefined || s.until !== undefined;
    if (oneOff === (s.weekly !== undefined)) ctx.addIssue({ code: 'custom', message: 'give either from/until or weekly', path: ['from'] });
    if (oneOff && (s.from === undefined || s.until === undefined))
      ctx.addIssue({ code: 'custom', message: 'a one-off silence needs both from and until', path: [s.from === undefined ? 'from' : 'until'] });
    if (s.from !== undefined && s.until !== undefined && s.until <= s.from)
      ctx.addIssue({ code: 'custom', message: 'until must be after from', path: ['until'] });
  });
export type SilenceInput = z.infer<typeof silenceSchema>;

/** The alerts section with targets of the given union (the registry's kinds; a test adds its own). */
export const alertsConfigSchemaOf = <T extends z.ZodType>(targetSchema: T) =>
  z.strictObject({
    enabled: z.boolean().default(true),
    /** How often the rules run besides every probe change (SLA deadlines also get their own timer). */
    evaluate_every: duration.default(60_000),
    /** Probes in a row that must be fine again before one recovery notice closes an alert. */
    recovery_probes: z.number().int().positive().default(2),
    /** Repeat an open alert's notice this often; 0 turns reminders off. */
    reminder_every: duration.default(24 * 3_600_000),
    sla_breach: z
      .strictObject({
        enabled: z.boolean().default(true),
        tiers: z
          .array(z.enum(tiers))
          .min(1)
          .default([...tiers]),
      })
      .prefault({}),
    regression: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** The recent window… */
        recent: duration.default(28 * 24 * 3_600_000),
        /** …stretched back to hold at least this many probes. */
        recent_min_probes: z.number().int().positive().default(10),
        /** The baseline: this long before the recent window. */
        baseline: duration.default(90 * 24 * 3_600_000),
        /** Recent probes that say something (answered, or waiting longer than the baseline median). */
        min_recent: z.number().int().positive().default(8),
        min_baseline: z.number().int().positive().default(20),
        /** Minimum effect: the recent KM median at least this many times the baseline's. */
        min_ratio: z.number().min(1).default(1.5),
        /** One-sided log-rank p-value below which the recent window counts as slower. */
        max_p: z.number().gt(0).lt(0.5).default(0.005),
        /** An open alert counts as recovered once the effect is under clear_ratio or the test loses p < clear_p. */
        clear_ratio: z.number().min(1).default(1.25),
        clear_p: z.number().gt(0).lt(0.5).default(0.05),
      })
      .prefault({}),
    channel_broken: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Failed sends in a row (SMTP 5xx, page changed, CAPTCHA…) before the operator is told. */
        consecutive_failures: z.number().int().positive().default(1),
      })
      .prefault({}),
    /** The operator's digest of probes awaiting a person's review: sent when something is new, at most once per `every`. */
    review_needed: z
      .strictObject({
        enabled: z.boolean().default(true),
        every: duration.default(3_600_000),
      })
      .prefault({}),
    thresholds: z.array(thresholdSchema).default([]),
    silences: z.array(silenceSchema).default([]),
    targets: z.record(slug, targetSchema).default({}),
    delivery: z
      .strictObject({
        max_attempts: z.number().int().positive().default(8),
        backoff: duration.default(30_000),
        max_backoff: duration.default(3_600_000),
        timeout: duration.default(15_000),
      })
      .prefault({}),
  });
export const alertsConfigSchema = alertsConfigSchemaOf(alertTargetSchema);
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

interface AlertsProblem {
  /** Path inside settings.yaml, starting with "alerts". */
  path: (string | number)[];
  message: string;
}

/** What the alerts section may name: the catalog's vendors and channels, and the SMTP transports of settings.yaml. */
interface AlertsReferences {
  vendors: readonly { slug: string; channels: readonly { id: string }[] }[];
  settings: { smtp: Readonly<Record<string, unknown>> };
}

/** Validates settings.alerts and checks its references (vendors, channels, targets, SMTP transports). */
export function checkAlertsConfig(input: unknown, catalog: AlertsReferences): { config?: AlertsConfig; problems: AlertsProblem[] } {
  const result = alertsConfigSchema.safeParse(input ?? {}, { error: unknownKeysErrorMap() });
  if (!result.success) {
    return { problems: result.error.issues.map((issue) => ({ path: ['alerts', ...issue.path.map(pathKey)], message: issue.message })) };
  }
  const config = result.data;
  const problems: AlertsProblem[] = [];
  const vendorNames = catalog.vendors.map((v) => v.slug).join(', ') || 'none';
  const checkVendorChannel = (path: (string | number)[], vendorSlug: string, channel: string | undefined): void => {
    const vendor = catalog.vendors.find((v) => v.slug === vendorSlug);
    if (!vendor) {
      problems.push({ path: [...path, 'vendor'], message: `no vendor "${vendorSlug}" (known: ${vendorNames})` });
    } else if (channel !== undefined && !vendor.channels.some((c) => c.id === channel)) {
      problems.push({
        path: [...path, 'channel'],
        message: `no channel "${channel}" in ${vendorSlug} (known: ${vendor.channels.map((c) => c.id).join(', ')})`,
      });
    }
  };
  const seen = new Set<string>();
  config.thresholds.forEach((t, i) => {
    if (seen.has(t.id)) problems.push({ path: ['alerts', 'thresholds', i, 'id'], message: `threshold id "${t.id}" is used twice` });
    seen.add(t.id);
    checkVendorChannel(['alerts', 'thresholds', i], t.vendor, t.channel);
    t.notify?.forEach((name, j) => {
      if (!Object.hasOwn(config.targets, name))
        problems.push({
          path: ['alerts', 'thresholds', i, 'notify', j],
          message: `no target "${name}" in alerts.targets (known: ${Object.keys(config.targets).join(', ') || 'none'})`,
        });
    });
  });
  config.silences.forEach((s, i) => {
    checkVendorChannel(['alerts', 'silences', i], s.vendor, s.channel);
  });
  for (const [name, target] of Object.entries(config.targets)) {
    if (target.kind === 'email' && !Object.hasOwn(catalog.settings.smtp, target.smtp)) {
      problems.push({
        path: ['alerts', 'targets', name, 'smtp'],
        message: `no smtp transport "${target.smtp}" in settings.yaml (known: ${Object.keys(catalog.settings.smtp).join(', ') || 'none'})`,
      });
    }
    target.vendors?.forEach((v, j) => {
      if (!catalog.vendors.some((x) => x.slug === v))
        problems.push({ path: ['alerts', 'targets', name, 'vendors', j], message: `no vendor "${v}" (known: ${vendorNames})` });
    });
  }
  return problems.length > 0 ? { problems } : { config, problems };
}

function pathKey(key: PropertyKey): string | number {
  return typeof key === 'number' ? key : String(key);
}
