// The reply watch of one chat probe: what the widget's transcript shows (the observer's binding), each incoming message
// classified with the chat's context and recorded on its probe, and at the end the transcript kept and a probe without
// a human reply censored. The channel owns the page; this owns what is seen on it.
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Store } from '../store/db.ts';
import type { ProbeView } from '../store/probes.ts';
import { classifyChatMessage, normaliseChatText } from '../classify/chat.ts';
import { recordMessage } from '../replies/record.ts';
import { newMessage } from '../replies/message.ts';
import type { ObservedChatMessage } from './chat-observer.ts';

interface TranscriptEntry {
  at: number;
  direction: 'before' | 'out' | 'in';
  author: string | null;
  text: string;
  label?: string;
  confidence?: number;
  reasons?: string[];
  /** Shown again after the page reconnected, so `at` is only an upper bound of when it arrived. */
  replayed?: boolean;
}

interface ChatSessionOptions {
  probe: ProbeView;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The exact text we type into the widget (it carries the token). */
  ownText: string;
  /** A reply faster than this after our last message cannot be a person typing. */
  humanMinLatencyMs: number;
}

/** Where the end of a session is kept (the probe's evidence folder). */
interface ChatSessionEvidence {
  writeJson(name: string, value: unknown): Promise<string>;
}

interface ChatSession {
  /** The observer's binding: every message the transcript shows; one seen before (same key) is ignored. */
  observe(message: ObservedChatMessage): void;
  /** Resolves with sent_at when our own message shows in the transcript. */
  readonly sent: Promise<number>;
  /** Resolves when the first reply classified human is recorded. */
  readonly human: Promise<void>;
  /** Human replies recorded so far. */
  readonly humanReplies: number;
  /** Resolves when more than `count` human replies are recorded. */
  humanAfter(count: number): Promise<void>;
  /** We are about to type `text` (a follow-up): resolves with the moment it shows in the transcript as ours. */
  expectOutgoing(text: string): Promise<number>;
  /** The page reconnected: messages it shows again from now on are replays. Returns the reconnects so far. */
  reconnected(): number;
  readonly firstHumanAt: number | undefined;
  /** Keeps the transcript (and `finalShot`) as evidence and censors the probe at `endedAt` when no person answered. */
  end(outcome: string, endedAt: number, evidence: ChatSessionEvidence, finalShot?: string): Promise<void>;
}

export function createChatSession(options: ChatSessionOptions): ChatSession {
  const { probe, store, clock, logger } = options;
  const ownText = normaliseChatText(options.ownText);
  const transcript: TranscriptEntry[] = [];
  const seenKeys = new Set<string>();
  const joinedAgents: string[] = [];
  let handoverAt: number | null = null;
  let sentAt: number | undefined;
  let lastOutgoingAt = 0;
  let firstHumanAt: number | undefined;
  let reconnects = 0;
  let sequence = 0;
  let resolveSent: (at: number) => void = () => undefined;
  let resolveHuman: () => void = () => undefined;
  let humanReplies = 0;
  const humanWaiters = new Set<() => void>();
  const expected: Array<{ text: string; shown: (at: number) => void }> = [];
  const sent = new Promise<number>((resolve) => {
    resolveSent = resolve;
  });
  const human = new Promise<void>((resolve) => {
    resolveHuman = resolve;
  });

  /** Ours: the exact text we typed (a reply quoting our token is not ours), never a message the widget marks incoming. */
  function noteOutgoing(message: ObservedChatMessage, at: number, body: string): boolean {
    const followUp = message.incoming === true ? -1 : expected.findIndex((e) => body.includes(e.text));
    if (followUp >= 0) {
      transcript.push({ at, direction: 'out', author: message.author, text: body });
      lastOutgoingAt = at;
      expected.splice(followUp, 1)[0]?.shown(at);
      return true;
    }
    if (message.incoming !== true && body.includes(ownText)) {
      transcript.push({ at, direction: 'out', author: message.author, text: body });
      lastOutgoingAt = at;
      if (sentAt === undefined) {
        sentAt = at;
        resolveSent(at);
      }
      return true;
    }
    if (message.incoming === false) {
      transcript.push({ at, direction: 'out', author: message.author, text: body });
      return true;
    }
    return false;
  }

  function recordIncoming(message: ObservedChatMessage, at: number, detectedAt: number, body: string): void {
    const replayed = reconnects > 0 && message.initial;
    const verdict = classifyChatMessage(
      { text: body, author: message.author, marker: message.marker, quickReplies: message.quickReplies.length, appearedAt: at },
      {
        lastOutgoingAt,
        humanMinLatencyMs: options.humanMinLatencyMs,
        seenBefore: store.chat.seenBefore(probe.vendor, body, probe.id),
        joinedAgents,
        handoverAt,
      },
    );
    if (verdict.joinedAgent) joinedAgents.push(verdict.joinedAgent);
    if (verdict.handover) handoverAt = at;
    const reasons = replayed ? [...verdict.reasons, 'seen only after the page reconnected: its time is an upper bound'] : verdict.reasons;
    transcript.push({
      at,
      direction: 'in',
      author: message.author,
      text: body,
      label: verdict.label,
      confidence: verdict.confidence,
      reasons,
      ...(replayed ? { replayed } : {}),
    });
    recordMessage(
      store,
      newMessage({
        probe_id: probe.id,
        source: 'chat',
        message_id: `chat:${probe.token.toLowerCase()}:${++sequence}`,
        from_addr: message.author,
        received_at: at,
        detected_at: detectedAt,
        size: message.text.length,
        headers: JSON.stringify({ marker: message.marker, quick_replies: message.quickReplies, frame: message.frameUrl, replayed }),
        body_text: body,
        label: verdict.label,
        confidence: verdict.confidence,
        reasons,
        match_method: 'chat_session',
      }),
    );
    logger.info({ label: verdict.label, at, latencyMs: at - lastOutgoingAt }, 'chat message');
    if (verdict.label === 'human') {
      humanReplies++;
      for (const wake of [...humanWaiters]) wake();
    }
    if (verdict.label === 'human' && firstHumanAt === undefined) {
      firstHumanAt = at;
      resolveHuman();
    }
  }

  return {
    sent,
    human,
    get firstHumanAt() {
      return firstHumanAt;
    },
    reconnected() {
      return ++reconnects;
    },
    get humanReplies() {
      return humanReplies;
    },
    humanAfter(count) {
      return new Promise<void>((resolve) => {
        const wake = () => {
          if (humanReplies <= count) return;
          humanWaiters.delete(wake);
          resolve();
        };
        humanWaiters.add(wake);
        wake();
      });
    },
    expectOutgoing(text) {
      return new Promise<number>((resolve) => {
        expected.push({ text: normaliseChatText(text), shown: resolve });
      });
    },
    observe(message) {
      if (seenKeys.has(message.key)) return;
      seenKeys.add(message.key);
      const detectedAt = clock.now();
      const at = detectedAt - Math.max(0, message.receivedAt - message.appearedAt);
      const body = normaliseChatText(message.text);
      if (noteOutgoing(message, at, body)) return;
      if (sentAt === undefined) {
        transcript.push({ at, direction: 'before', author: message.author, text: body });
        return;
      }
      try {
        recordIncoming(message, at, detectedAt, body);
      } catch (err) {
        logger.error({ err }, 'could not record a chat message');
      }
    },
    async end(outcome, endedAt, evidence, finalShot) {
      const transcriptPath = await evidence.writeJson('transcript', {
        probe: probe.id,
        token: probe.token,
        sentAt: sentAt ?? null,
        endedAt,
        outcome,
        reconnects,
        firstHumanAt: firstHumanAt ?? null,
        messages: transcript,
      });
      for (const path of [finalShot, transcriptPath]) if (path) store.probes.addEvidence(probe.id, path);
      if (firstHumanAt === undefined && store.chat.censor(probe.id, endedAt))
        logger.info({ outcome, endedAt }, 'chat closed without a human reply: probe censored');
      logger.info({ outcome, firstHumanAt, reconnects }, 'chat watch ended');
    },
  };
}
