// Pure: a probe's timeline (first ack, bot, human) from its messages' effective labels and arrival intervals.
import type { MessageLabel } from '../core/labels.ts';
import type { Timeline } from '../store/probes.ts';
import { arrivalEstimate, replyArrival, type ReplySource } from '../core/instant.ts';

const ackLabels: ReadonlySet<MessageLabel> = new Set(['auto_ack', 'out_of_office']);

interface TimelineMessage {
  source: ReplySource;
  received_at: number;
  detected_at: number;
  effective_label: MessageLabel;
}

/** Each first_*_at is the reply's estimated arrival (`arrivalEstimate`): never before `sentAt` once that is known. */
export function timelineOf(messages: readonly TimelineMessage[], sentAt: number | null): Timeline {
  const first = (pick: (label: MessageLabel) => boolean) => {
    let at: number | null = null;
    for (const m of messages) {
      if (!pick(m.effective_label)) continue;
      const arrived = arrivalEstimate(sentAt, replyArrival(m));
      if (at === null || arrived < at) at = arrived;
    }
    return at;
  };
  return {
    first_ack_at: first((l) => ackLabels.has(l)),
    first_bot_at: first((l) => l === 'bot'),
    first_human_at: first((l) => l === 'human'),
  };
}
