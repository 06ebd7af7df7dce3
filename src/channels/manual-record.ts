// A manual channel's observation (a phone call, an IM chat) stored as a probe with its replies, checked against the catalog.
// Apart from manual.ts because the catalog schema loads the channel registry, and this reads the catalog's stored SLA.
import { z } from 'zod';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FirstReplyError, ProbeError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import { newToken } from '../core/token.ts';
import { tiers, type Tier } from '../config/primitives.ts';
import { drillAllowed } from '../config/drills.ts';
import type { Store } from '../store/db.ts';
import type { ProbeView } from '../store/probes.ts';
import { recordMessage } from '../replies/record.ts';
import { newMessage } from '../replies/message.ts';
import { deadlineFor } from '../metrics/sla.ts';
import { storedVendorSchema } from '../metrics/report.ts';

const defaultTier: Tier = 'P2';

/** A validated observation; times are UTC ms. */
export interface ManualObservation {
  vendor: string;
  channel: string;
  sentAt: number;
  humanAt: number | null;
  ackAt: number | null;
  tier: Tier | null;
  template: string | null;
  note: string | null;
}

// The parts of the stored (mirrored) definitions an observation needs.
const recordVendorSchema = storedVendorSchema.extend({
  drills_allowed: z.boolean().default(false),
  templates: z.array(z.object({ id: z.string(), tier: z.enum(tiers), language: z.string().default('en') })).default([]),
});
const recordChannelSchema = z.object({
  kind: z.string(),
  expiry: z.number().positive(),
  templates: z.array(z.string()).optional(),
  medium: z.string().default('phone'),
});

const bad = (message: string, details: Record<string, unknown> = {}) => new FirstReplyError('BAD_INPUT', message, details);

function parseDefinition<T extends z.ZodType>(schema: T, json: string, what: string): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new FirstReplyError('CONFIG_INVALID', `${what}: stored definition is not JSON`, {}, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new FirstReplyError('CONFIG_INVALID', `${what}: stored definition is not usable: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

interface RecordDeps {
  store: Store;
  clock: Clock;
  /** record.json goes to <evidenceDir>/<token>/. */
  evidenceDir: string;
}

export interface RecordResult {
  probe: ProbeView;
  medium: string;
  evidence: string;
  messageIds: number[];
}

/** Checks the observation against the store's vendors and channels, then writes the probe and its messages. */
export async function recordManualProbe(deps: RecordDeps, input: ManualObservation): Promise<RecordResult> {
  const { store, clock } = deps;
  const vendorRow = store.vendors.get(input.vendor);
  if (!vendorRow)
    throw new FirstReplyError(
      'NOT_FOUND',
      `no vendor "${input.vendor}" (known: ${
        store.vendors
          .all()
          .map((v) => v.slug)
          .join(', ') || 'none'
      })`,
    );
  const channelRow = store.vendors.channel(input.vendor, input.channel);
  if (!channelRow) {
    const known = store.vendors
      .channels()
      .filter((c) => c.vendor === input.vendor)
      .map((c) => `${c.channel} (${c.kind})`);
    throw new FirstReplyError('NOT_FOUND', `vendor "${input.vendor}" has no channel "${input.channel}" (it has: ${known.join(', ') || 'none'})`);
  }
  if (channelRow.kind !== 'manual') {
    throw bad(`${input.vendor}/${input.channel} is a ${channelRow.kind} channel; only channels of kind manual are recorded by hand`);
  }
  const vendor = { ...parseDefinition(recordVendorSchema, vendorRow.definition, `vendor ${input.vendor}`), timezone: vendorRow.timezone };
  const channel = parseDefinition(recordChannelSchema, channelRow.definition, `channel ${input.vendor}/${input.channel}`);

  let template: { id: string; tier: Tier; language: string } | undefined;
  if (input.template !== null) {
    template = vendor.templates.find((t) => t.id === input.template);
    if (!template) throw new FirstReplyError('NOT_FOUND', `--template: vendor "${input.vendor}" has no template "${input.template}"`, { option: '--template' });
    if (channel.templates !== undefined && !channel.templates.includes(template.id)) {
      throw bad(`--template: "${template.id}" is not one of ${input.vendor}/${input.channel}'s templates (${channel.templates.join(', ')})`, {
        option: '--template',
      });
    }
    if (input.tier !== null && input.tier !== template.tier) {
      throw bad(`--tier ${input.tier} contradicts template "${template.id}" (${template.tier})`, { option: '--tier' });
    }
  }
  const tier = template?.tier ?? input.tier ?? defaultTier;
  if (!drillAllowed(vendor, tier)) {
    throw new ProbeError('DRILL_FORBIDDEN', `--tier ${tier}: ${input.vendor} does not allow drills (drills_allowed is false)`, { option: '--tier' });
  }
  const twin = store.stats.timings(channelRow.id, input.sentAt, input.sentAt)[0];
  if (twin) throw bad(`${input.vendor}/${input.channel} already has probe #${twin.id} sent at ${new Date(input.sentAt).toISOString()}; not recording it twice`);

  const now = clock.now();
  const token = newToken();
  const dir = join(deps.evidenceDir, token.toLowerCase());
  const evidence = join(dir, 'record.json');
  await mkdir(dir, { recursive: true });
  await writeFile(
    evidence,
    `${JSON.stringify(
      {
        kind: 'manual',
        medium: channel.medium,
        vendor: input.vendor,
        channel: input.channel,
        tier,
        template: template?.id ?? null,
        sent: new Date(input.sentAt).toISOString(),
        ack: input.ackAt === null ? null : new Date(input.ackAt).toISOString(),
        human: input.humanAt === null ? null : new Date(input.humanAt).toISOString(),
        note: input.note,
        recorded: new Date(now).toISOString(),
      },
      null,
      2,
    )}\n`,
  );

  const message = (label: 'human' | 'auto_ack', at: number, probeId: number) =>
    newMessage({
      probe_id: probeId,
      source: 'manual',
      subject: `${channel.medium}: ${label === 'human' ? 'first reply from a person' : 'automatic acknowledgement'} (recorded by hand)`,
      received_at: at,
      detected_at: now,
      raw_path: evidence,
      body_text: input.note,
      label,
      confidence: 1,
      reasons: ['recorded by hand (firstreply record)'],
      match_method: 'manual',
    });
  try {
    return store.transaction(() => {
      const created = store.probes.create({
        token,
        channelId: channelRow.id,
        template: template?.id ?? 'manual',
        tier,
        language: template?.language ?? 'en',
        scheduledAt: input.sentAt,
      });
      store.probes.markSent(created.id, {
        sentAt: input.sentAt,
        deadlineAt: deadlineFor(vendor, tier, input.sentAt),
        expiresAt: input.sentAt + channel.expiry,
      });
      store.probes.addEvidence(created.id, evidence);
      const messageIds: number[] = [];
      const replies: { label: 'human' | 'auto_ack'; at: number | null }[] = [
        { label: 'auto_ack', at: input.ackAt },
        { label: 'human', at: input.humanAt },
      ];
      for (const { label, at } of replies) {
        if (at === null) continue;
        const id = recordMessage(store, message(label, at, created.id));
        if (id !== undefined) messageIds.push(id);
      }
      const probe = store.probes.get(created.id);
      if (!probe) throw new Error(`probe ${created.id} vanished after insert`);
      return { probe, medium: channel.medium, evidence, messageIds };
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
