// The probe runner: plans a probe, writes `sending` before the channel acts, records the outcome; the one place send failures are caught.
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { FirstReplyError, ProbeError, errorMessage } from '../core/errors.ts';
import type { Catalog, ChannelDef, ChannelKind, Template, Vendor } from '../config/schema.ts';
import type { Store } from '../store/db.ts';
import type { ProbeView } from '../store/probes.ts';
import type { ChannelModule, ChannelRegistry, ChannelServices, OutgoingMessage, SendContext, SendResult, SentCopy } from '../channels/channel.ts';
import { deadlineFor } from '../metrics/sla.ts';
import { newToken, plusAddress } from '../core/token.ts';
import { renderTemplate } from './render.ts';
import { checkRateCaps } from './rate-caps.ts';
import { refreshTimeline } from '../replies/record.ts';
import { drillAllowed } from '../config/drills.ts';

interface RunnerDeps {
  store: Store;
  catalog: Catalog;
  clock: Clock;
  logger: Logger;
  channels: ChannelRegistry;
  services: ChannelServices;
  /** Longest a single send may take before it is aborted. */
  sendTimeoutMs?: number;
  /** Computes the SLA deadline; the default is the calendar deadline. */
  deadline?: (vendor: Vendor, template: Template, sentAt: number) => number;
  /** Called at each step of a send (see FaultPoint); tests throw there to stand for a crash. */
  faults?: FaultHook;
}

/**
 * The moments of a send a crash can fall between, in order: `sending` stored; the 250 seen but not stored; the 250
 * stored; each copy kept (`after-evidence`, `after-append`).
 */
export type FaultPoint = 'before-send' | 'at-250' | 'after-250' | `after-${string}`;

export interface FaultHook {
  at(point: FaultPoint): void;
}

interface PlanOptions {
  template?: string;
  scheduledAt?: number;
  /** Skip rate caps (never for scheduled probes). */
  ignoreCaps?: boolean;
  virtualClock?: boolean;
}

interface Resolved {
  vendor: Vendor;
  channel: ChannelDef;
  template: Template;
}

export function allowedTemplates(vendor: Vendor, channel: ChannelDef): Template[] {
  return vendor.templates.filter((t) => (channel.templates === undefined || channel.templates.includes(t.id)) && drillAllowed(vendor, t.tier));
}

export function createProbeRunner(deps: RunnerDeps) {
  const { store, catalog, clock, logger } = deps;
  const fault = (point: FaultPoint): void => deps.faults?.at(point);
  const followUps = new Set<Promise<void>>();
  const shutdown = new AbortController();

  const resolve = (probe: ProbeView): Resolved => {
    const vendor = catalog.vendors.find((v) => v.slug === probe.vendor);
    const channel = vendor?.channels.find((c) => c.id === probe.channel);
    const template = vendor?.templates.find((t) => t.id === probe.template);
    if (!vendor || !channel || !template)
      throw new ProbeError('NOT_FOUND', `probe ${probe.id}: ${probe.vendor}/${probe.channel}/${probe.template} is no longer defined`);
    return { vendor, channel, template };
  };

  const outgoing = (probe: ProbeView, r: Resolved): OutgoingMessage => {
    const rendered = renderTemplate(r.template, { token: probe.token, vendor: r.vendor, now: probe.scheduled_at });
    const mailboxName = 'mailbox' in r.channel ? r.channel.mailbox : undefined;
    const mailbox = mailboxName ? catalog.settings.mailboxes[mailboxName] : undefined;
    const domain = mailbox?.address.split('@')[1] ?? 'firstreply.invalid';
    return {
      token: probe.token,
      ...rendered,
      messageId: probe.message_id ?? `<${probe.token.toLowerCase()}.${probe.id}@${domain}>`,
      replyTo: mailbox ? (mailbox.plus_addressing ? plusAddress(mailbox.address, probe.token) : mailbox.address) : undefined,
    };
  };

  const contextFor = (probe: ProbeView, r: Resolved, signal: AbortSignal): SendContext<ChannelKind> => ({
    probe,
    vendor: r.vendor,
    channel: r.channel,
    template: r.template,
    message: outgoing(probe, r),
    services: deps.services,
    logger: logger.child({ probe: probe.id, token: probe.token, vendor: probe.vendor, channel: probe.channel }),
    signal,
  });

  // One narrowing helper: the registry guarantees module.kind === channel.kind.
  const moduleFor = (kind: ChannelKind) => deps.channels[kind] as ChannelModule<ChannelKind>;

  const termsFor = (r: Resolved, sentAt: number) => ({
    deadlineAt: deps.deadline ? deps.deadline(r.vendor, r.template, sentAt) : deadlineFor(r.vendor, r.template.tier, sentAt),
    expiresAt: sentAt + r.channel.expiry,
  });

  /** A send we cannot confirm: it keeps the terms it has if a reply later proves delivery (sent_at = sending_at). */
  const markUnknown = (probe: ProbeView, r: Resolved | undefined, code: string, text: string): void => {
    const sendingAt = store.probes.get(probe.id)?.sending_at ?? null;
    store.probes.markFailed(probe.id, 'send_unknown', code, text, r && sendingAt !== null ? termsFor(r, sendingAt) : undefined);
  };

  /**
   * Keeps a sent probe's copies in order; a failed copy is logged and left owed for the next reconcile, and never
   * changes the probe's state. Returns whether all were kept.
   */
  async function keepCopies(probeId: number, copies: readonly SentCopy[], log: Logger): Promise<boolean> {
    let kept = true;
    for (const copy of copies) {
      try {
        const evidence = await copy.keep();
        if (evidence) store.probes.addEvidence(probeId, evidence);
      } catch (err) {
        kept = false;
        log.warn({ copy: copy.name, err }, 'could not keep a copy of the sent probe; retried at the next reconcile');
      }
      fault(`after-${copy.name}`);
    }
    if (kept) store.probes.copiesKept(probeId);
    return kept;
  }

  const runner = {
    /** The channel kinds this runner sends through (the scheduler asks them which are scheduled). */
    channels: deps.channels,
    /** Creates a `scheduled` probe after checking drills and rate caps; throws ProbeError when not allowed. */
    plan(vendorSlug: string, channelId: string, options: PlanOptions = {}): ProbeView {
      const vendor = catalog.vendors.find((v) => v.slug === vendorSlug);
      const channel = vendor?.channels.find((c) => c.id === channelId);
      const row = store.vendors.channel(vendorSlug, channelId);
      if (!vendor || !channel || !row) throw new ProbeError('NOT_FOUND', `no channel ${vendorSlug}/${channelId}`);
      const now = options.scheduledAt ?? clock.now();
      const choices = allowedTemplates(vendor, channel);
      let template: Template | undefined;
      if (options.template) {
        template = vendor.templates.find((t) => t.id === options.template);
        if (!template) throw new ProbeError('NOT_FOUND', `no template ${options.template} in ${vendorSlug}`);
        if (!choices.includes(template))
          throw new ProbeError('DRILL_FORBIDDEN', `template ${template.id} (${template.tier}) is not allowed on ${vendorSlug}/${channelId}`);
      } else {
        template = pickTemplate(store, row.id, choices);
      }
      if (!template) throw new ProbeError('NOT_FOUND', `no template allowed on ${vendorSlug}/${channelId}`);
      if (!options.ignoreCaps) {
        const caps = checkRateCaps(store, vendor, channel, row.id, now);
        if (!caps.allowed) throw new ProbeError('RATE_CAPPED', caps.reason);
      }
      return store.probes.create({
        token: newToken(),
        channelId: row.id,
        template: template.id,
        tier: template.tier,
        language: template.language,
        scheduledAt: now,
        virtualClock: options.virtualClock,
      });
    },

    /** Sends a planned probe once. Never throws for channel failures: they become probe states. */
    async send(probeId: number): Promise<ProbeView> {
      const probe = store.probes.get(probeId);
      if (!probe) throw new ProbeError('NOT_FOUND', `no probe ${probeId}`);
      if (probe.state !== 'scheduled') return probe;
      const log = logger.child({ probe: probe.id, vendor: probe.vendor, channel: probe.channel });
      let resolved: Resolved;
      try {
        resolved = resolve(probe);
      } catch (err) {
        store.probes.markFailed(probe.id, 'send_failed', 'NOT_FOUND', errorMessage(err));
        return store.probes.get(probe.id) ?? probe;
      }
      const signal = AbortSignal.any([shutdown.signal, AbortSignal.timeout(deps.sendTimeoutMs ?? 120_000)]);
      const messageId = outgoing(probe, resolved).messageId;
      store.probes.markSending(probe.id, messageId);
      // The channel sees the probe as stored: its sending_at dates the message, so a restart can compose it again.
      const ctx = contextFor(store.probes.get(probe.id) ?? probe, resolved, signal);
      fault('before-send');
      let result: SendResult;
      try {
        result = await moduleFor(resolved.channel.kind).send(ctx);
      } catch (err) {
        const code = err instanceof FirstReplyError ? err.code : 'SEND_UNKNOWN';
        if (err instanceof FirstReplyError) for (const path of asStrings(err.details.evidence)) store.probes.addEvidence(probe.id, path);
        if (code === 'SEND_UNKNOWN' || code === 'ABORTED') markUnknown(probe, resolved, code, errorMessage(err));
        else store.probes.markFailed(probe.id, 'send_failed', code, errorMessage(err));
        log.warn({ code, err }, 'probe send failed');
        return store.probes.get(probe.id) ?? probe;
      }
      // The acceptance is stored before anything else happens (DESIGN.md §6); copies follow as best effort.
      fault('at-250');
      const copies = result.copies ?? [];
      store.probes.markSent(probe.id, {
        ...termsFor(resolved, result.sentAt),
        sentAt: result.sentAt,
        ticketRef: result.ticketRef,
        basis: 'accepted',
        copiesOwed: copies.length > 0,
      });
      fault('after-250');
      // An instant reply may have been stored before the send time was: its arrival is re-estimated against it.
      refreshTimeline(store, probe.id);
      for (const path of result.evidence ?? []) store.probes.addEvidence(probe.id, path);
      log.info({ sentAt: result.sentAt, ticket: result.ticketRef }, 'probe sent');
      if (result.followUp) track(result.followUp, log);
      if (copies.length > 0) await keepCopies(probe.id, copies, log);
      return store.probes.get(probe.id) ?? probe;
    },

    /**
     * After a restart: probes left in `sending` are checked with their channel, never resent; then sent probes whose
     * copies (evidence, Sent folder) a crash or a failure left unkept get them.
     */
    async reconcile(): Promise<ProbeView[]> {
      const out: ProbeView[] = [];
      for (const probe of store.probes.inStates(['sending'])) {
        let note: string;
        let resolved: Resolved | undefined;
        try {
          resolved = resolve(probe);
          const ctx = contextFor(probe, resolved, AbortSignal.any([shutdown.signal, AbortSignal.timeout(60_000)]));
          const module = moduleFor(resolved.channel.kind);
          const found = await module.reconcile(ctx);
          if (found.outcome === 'sent') {
            // The Sent copy is there; the evidence file may not be.
            store.probes.markSent(probe.id, {
              ...termsFor(resolved, found.sentAt),
              sentAt: found.sentAt,
              basis: 'sent_folder',
              copiesOwed: module.keepCopies !== undefined,
            });
            refreshTimeline(store, probe.id);
            logger.info({ probe: probe.id, note: found.note }, 'reconciled as sent');
            out.push(store.probes.get(probe.id) ?? probe);
            continue;
          }
          note = found.note;
        } catch (err) {
          note = errorMessage(err);
        }
        markUnknown(probe, resolved, 'SEND_UNKNOWN', `interrupted while sending; not resent (${note})`);
        logger.warn({ probe: probe.id, note }, 'reconciled as send_unknown');
        out.push(store.probes.get(probe.id) ?? probe);
      }
      for (const probe of store.probes.owingCopies()) {
        const log = logger.child({ probe: probe.id, vendor: probe.vendor, channel: probe.channel });
        try {
          const resolved = resolve(probe);
          const module = moduleFor(resolved.channel.kind);
          const copies = module.keepCopies
            ? await module.keepCopies(contextFor(probe, resolved, AbortSignal.any([shutdown.signal, AbortSignal.timeout(60_000)])))
            : [];
          if (await keepCopies(probe.id, copies, log)) log.info('kept the copies a restart found owed');
        } catch (err) {
          log.warn({ err }, 'could not keep the copies of a sent probe; retried at the next reconcile');
        }
      }
      return out;
    },

    /** Censors sent probes past their expiry. */
    expire: (now = clock.now()) => store.probes.expireDue(now),

    /** Probes in flight (chat watches) — to wait for or abort at shutdown. */
    pending: () => followUps.size,

    async close(): Promise<void> {
      shutdown.abort();
      await Promise.allSettled([...followUps]);
    },
    signal: shutdown.signal,
  };

  function track(work: (shutdownSignal: AbortSignal) => Promise<void>, log: Logger): void {
    const running = work(shutdown.signal)
      .catch((err: unknown) => log.error({ err }, 'follow-up failed'))
      .finally(() => followUps.delete(running));
    followUps.add(running);
  }

  return runner;
}

export type ProbeRunner = ReturnType<typeof createProbeRunner>;

/** Rotation: the allowed template this channel used least recently (never used first). */
function pickTemplate(store: Store, channelId: number, choices: Template[]): Template | undefined {
  if (choices.length <= 1) return choices[0];
  const lastUse = store.probes.templateLastUse(channelId);
  return [...choices].sort((a, b) => (lastUse.get(a.id) ?? -1) - (lastUse.get(b.id) ?? -1))[0];
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
