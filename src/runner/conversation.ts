// Conversation rounds: when a human reply asks what the template's follow_ups can answer, the probe answers in the
// same thread, inside the rate caps and before expiry. The round is stored before the channel acts (unique per
// question), the acceptance right after; a restart looks rounds left `sending` up, never sends them again.
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { FirstReplyError, errorMessage } from '../core/errors.ts';
import type { Catalog, ChannelKind } from '../config/schema.ts';
import { defaultMaxRounds } from '../config/template-quality.ts';
import type { Store } from '../store/db.ts';
import type { ProbeView } from '../store/probes.ts';
import type { RoundRow } from '../store/rounds.ts';
import type { AnswerContext, ChannelModule, ChannelRegistry, ChannelServices, ComposedAnswer, SentCopy } from '../channels/channel.ts';
import { planRound, roundCounts, type ConversationScript } from '../replies/conversation.ts';
import { senderTrust } from '../watch/sender-trust.ts';
import { checkRateCaps } from './rate-caps.ts';
import type { FaultHook } from './probe-runner.ts';

interface ConversationDeps {
  store: Store;
  catalog: Catalog;
  clock: Clock;
  logger: Logger;
  channels: ChannelRegistry;
  services: ChannelServices;
  /** How often rounds held by min_interval are looked at again. */
  recheckMs?: number;
  sendTimeoutMs?: number;
  /** Called at `after-follow-up-stored` (stored, not sent) and `after-follow-up-250` (accepted, not stored); tests throw there to stand for a crash. */
  faults?: FaultHook;
}

const moduleFor = (channels: ChannelRegistry, kind: ChannelKind) => channels[kind] as ChannelModule<ChannelKind>;

/** The vendor, channel and template a probe was made from, while the catalogue still defines them. */
function definitionOf(catalog: Catalog, probe: ProbeView) {
  const vendor = catalog.vendors.find((v) => v.slug === probe.vendor);
  const channel = vendor?.channels.find((c) => c.id === probe.channel);
  const template = vendor?.templates.find((t) => t.id === probe.template);
  return vendor && channel && template ? { vendor, channel, template } : undefined;
}

function scriptOf(catalog: Catalog, probe: ProbeView): ConversationScript {
  const template = definitionOf(catalog, probe)?.template;
  return { followUps: template?.follow_ups ?? [], maxRounds: template?.max_rounds ?? defaultMaxRounds };
}

/** Our follow-up's Message-ID: the probe's token and the round, at the probe mailbox's domain. */
function ourMessageId(catalog: Catalog, probe: ProbeView, round: number): string {
  const channel = definitionOf(catalog, probe)?.channel;
  const mailbox = channel && 'mailbox' in channel ? catalog.settings.mailboxes[channel.mailbox] : undefined;
  const domain = mailbox?.address.split('@')[1] ?? 'firstreply.invalid';
  return `<${probe.token.toLowerCase()}.${probe.id}.r${round}@${domain}>`;
}

/** The vendor's next human reply after a follow-up closes that round. */
function linkReply(store: Store, probeId: number, messageId: number): void {
  const message = store.messages.get(messageId);
  if (message?.effective_label !== 'human') return;
  const open = store.rounds
    .forProbe(probeId)
    .filter((r) => roundCounts(r) && r.reply_message_id === null && (r.sent_at ?? r.sending_at ?? r.decided_at) < message.received_at + 1000);
  const latest = open.at(-1);
  if (latest) store.rounds.setReply(latest.id, message.id, message.received_at);
}

/** Why a round may not be sent now: refused for good (expired, resolved, a day or week cap) or held (min_interval). */
function gateOf(
  store: Store,
  probe: ProbeView,
  resolved: NonNullable<ReturnType<typeof definitionOf>>,
  now: number,
): { refuse: string; hold?: undefined } | { hold: string; refuse?: undefined } | undefined {
  if (probe.expires_at !== null && now >= probe.expires_at) return { refuse: `the probe expired at ${new Date(probe.expires_at).toISOString()}` };
  if (store.quality.forProbe(probe.id)?.resolved_at != null) return { refuse: 'the probe is resolved' };
  const channelRow = store.vendors.channel(probe.vendor, probe.channel);
  const caps = channelRow
    ? checkRateCaps(store, resolved.vendor, resolved.channel, channelRow.id, now)
    : { allowed: false, reason: 'the channel is no longer defined' };
  if (caps.allowed) return undefined;
  return caps.cap === 'min_interval' ? { hold: caps.reason ?? 'min_interval' } : { refuse: `rate cap: ${caps.reason ?? 'refused'}` };
}

/** Keeps the copies a sent follow-up left (a Sent-folder copy, a transcript) as the probe's evidence. */
async function keepCopies(store: Store, probeId: number, copies: readonly SentCopy[], log: Logger): Promise<void> {
  for (const copy of copies) {
    try {
      const evidence = await copy.keep();
      if (evidence) store.probes.addEvidence(probeId, evidence);
    } catch (err) {
      log.warn({ copy: copy.name, err }, 'could not keep a copy of the follow-up');
    }
  }
}

export function createConversations(deps: ConversationDeps) {
  const { store, catalog, clock, logger } = deps;
  const recheckMs = deps.recheckMs ?? 30_000;
  const trust = senderTrust(store, catalog.settings);
  const shutdown = new AbortController();
  let queue: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let started = false;

  /** One thing at a time: two replies of one thread must not both pass the checks before either is stored. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const resolve = (probe: ProbeView) => definitionOf(catalog, probe);

  const contextFor = (probe: ProbeView, round: RoundRow, text: string): AnswerContext<ChannelKind> | undefined => {
    const resolved = resolve(probe);
    const question = store.messages.get(round.question_message_id);
    if (!resolved || !question || round.message_id === null) return undefined;
    return {
      probe,
      vendor: resolved.vendor,
      channel: resolved.channel,
      template: resolved.template,
      question: {
        messageId: question.message_id,
        subject: question.subject,
        from: question.from_addr,
        headers: question.headers,
        text: question.body_text,
        receivedAt: question.received_at,
      },
      text,
      round: round.round,
      messageId: round.message_id,
      replyDomains: trust.replyDomains(probe.vendor),
      services: deps.services,
      logger: logger.child({ probe: probe.id, vendor: probe.vendor, channel: probe.channel, round: round.round }),
      signal: AbortSignal.any([shutdown.signal, AbortSignal.timeout(deps.sendTimeoutMs ?? 120_000)]),
    };
  };

  /** Checks the caps and the plan again, then stores and sends a round that is due; the send happens at most once. */
  async function dispatch(round: RoundRow): Promise<RoundRow | undefined> {
    const probe = store.probes.get(round.probe_id);
    const resolved = probe ? resolve(probe) : undefined;
    if (!probe || !resolved || round.body === null) {
      store.rounds.refuse(round.id, 'the probe or its template is no longer defined');
      return store.rounds.get(round.id);
    }
    const now = clock.now();
    const gate = gateOf(store, probe, resolved, now);
    if (gate?.hold) {
      store.rounds.postpone(round.id, now + recheckMs, gate.hold);
      schedule();
      return store.rounds.get(round.id);
    }
    if (gate?.refuse !== undefined) {
      store.rounds.refuse(round.id, gate.refuse);
      return store.rounds.get(round.id);
    }
    const module = moduleFor(deps.channels, resolved.channel.kind);
    const ctx = contextFor(probe, round, round.body);
    if (!module.answer || !ctx) {
      store.rounds.refuse(round.id, `a ${resolved.channel.kind} channel cannot answer in its thread`);
      return store.rounds.get(round.id);
    }
    const log = ctx.logger;
    let composed: ComposedAnswer;
    try {
      composed = await module.answer(ctx);
    } catch (err) {
      store.rounds.refuse(round.id, `could not compose: ${errorMessage(err)}`);
      log.warn({ err }, 'follow-up not composed');
      return store.rounds.get(round.id);
    }
    // Stored before the channel acts: a restart finds it `sending` and looks it up instead of sending again.
    if (!store.rounds.start(round.id, clock.now(), composed.to, composed.subject)) return store.rounds.get(round.id);
    deps.faults?.at('after-follow-up-stored');
    let result: { sentAt: number; copies: SentCopy[] };
    try {
      result = await composed.send(ctx.signal);
    } catch (err) {
      const code = err instanceof FirstReplyError ? err.code : 'SEND_UNKNOWN';
      const unknown = code === 'SEND_UNKNOWN' || code === 'ABORTED';
      store.rounds.finish(round.id, unknown ? 'send_unknown' : 'send_failed', null, `${code}: ${errorMessage(err)}`);
      log.warn({ code, err }, 'follow-up not sent');
      return store.rounds.get(round.id);
    }
    deps.faults?.at('after-follow-up-250');
    store.rounds.finish(round.id, 'sent', result.sentAt);
    log.info({ sentAt: result.sentAt, intents: round.intents }, 'follow-up sent');
    await keepCopies(store, probe.id, result.copies, log);
    return store.rounds.get(round.id);
  }

  /** Decides on one reply; stores the round (waiting, or refused with its reason) and dispatches it. */
  async function decide(messageId: number): Promise<RoundRow | undefined> {
    const message = store.messages.get(messageId);
    if (!message || message.probe_id === null) return undefined;
    const probe = store.probes.get(message.probe_id);
    if (!probe) return undefined;
    linkReply(store, probe.id, messageId);
    const plan = planRound(store, probe.id, messageId, scriptOf(catalog, probe), clock.now());
    if (plan.kind === 'skip') {
      logger.debug({ probe: probe.id, message: messageId, reason: plan.reason }, 'no follow-up');
      return undefined;
    }
    const now = clock.now();
    if (plan.kind === 'refuse') {
      logger.info({ probe: probe.id, message: messageId, reason: plan.reason }, 'follow-up refused');
      return store.rounds.insert({
        probeId: probe.id,
        round: plan.round,
        questionMessageId: messageId,
        intents: plan.intents,
        state: 'refused',
        reason: plan.reason,
        askedAt: plan.askedAt,
        decidedAt: now,
      });
    }
    const inserted = store.rounds.insert({
      probeId: probe.id,
      round: plan.round,
      questionMessageId: messageId,
      intents: plan.intents,
      state: 'waiting',
      reason: plan.reasons.join('; '),
      messageId: ourMessageId(catalog, probe, plan.round),
      body: plan.text,
      askedAt: plan.askedAt,
      decidedAt: now,
      dueAt: now,
    });
    return inserted ? dispatch(inserted) : undefined;
  }

  function schedule(): void {
    if (!started || timer !== undefined || shutdown.signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      void conversations.sendDue().catch((err: unknown) => logger.error({ err }, 'follow-ups due could not be sent'));
    }, recheckMs);
    timer.unref();
  }

  const onMessage = (messageId: number): void => {
    // The event fires inside the transaction that stores the reply, before its probe's quality is recomputed.
    setImmediate(() => {
      void conversations.consider(messageId).catch((err: unknown) => logger.error({ err, message: messageId }, 'follow-up failed'));
    });
  };

  const conversations = {
    /** Decides whether the stored reply `messageId` gets a follow-up, and sends it; resolves with its round, if any. */
    consider: (messageId: number) => serial(() => decide(messageId)),

    /** Rounds held by min_interval whose time has come. */
    sendDue: () =>
      serial(async () => {
        const out: RoundRow[] = [];
        for (const round of store.rounds.inState('waiting')) {
          if (round.due_at !== null && round.due_at > clock.now()) continue;
          const done = await dispatch(round);
          if (done) out.push(done);
        }
        if (store.rounds.inState('waiting').length > 0) schedule();
        return out;
      }),

    /** After a restart: rounds left `sending` are looked up (the Sent folder by Message-ID), never sent again. */
    reconcile: () =>
      serial(async () => {
        const out: RoundRow[] = [];
        for (const round of store.rounds.inState('sending')) {
          const probe = store.probes.get(round.probe_id);
          const resolved = probe ? resolve(probe) : undefined;
          const ctx = probe ? contextFor(probe, round, round.body ?? '') : undefined;
          const module = resolved ? moduleFor(deps.channels, resolved.channel.kind) : undefined;
          let note = 'its channel cannot look a follow-up up';
          try {
            if (ctx && module?.reconcileAnswer) {
              const found = await module.reconcileAnswer(ctx);
              if (found.outcome === 'sent') {
                store.rounds.finish(round.id, 'sent', found.sentAt, `reconciled: ${found.note}`);
                out.push(store.rounds.get(round.id) ?? round);
                continue;
              }
              note = found.note;
            }
          } catch (err) {
            note = errorMessage(err);
          }
          store.rounds.finish(round.id, 'send_unknown', null, `interrupted while sending; not resent (${note})`);
          logger.warn({ probe: round.probe_id, round: round.round, note }, 'follow-up reconciled as send_unknown');
          out.push(store.rounds.get(round.id) ?? round);
        }
        return out;
      }),

    /** Follows every stored reply from now on, and sends rounds a restart found due. */
    start(): void {
      if (started) return;
      started = true;
      store.events.on('message', onMessage);
      void conversations.sendDue().catch((err: unknown) => logger.error({ err }, 'follow-ups due could not be sent'));
    },

    async stop(): Promise<void> {
      store.events.off('message', onMessage);
      started = false;
      shutdown.abort();
      clearTimeout(timer);
      timer = undefined;
      await queue;
    },
  };
  return conversations;
}

export type Conversations = ReturnType<typeof createConversations>;
