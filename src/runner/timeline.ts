// Pure: a probe's timeline (first ack, bot, human) from its messages' effective labels.
import type { MessageLabel } from '../store/messages.ts';
import type { Timeline } from '../store/probes.ts';

const ackLabels: ReadonlySet<MessageLabel> = new Set(['auto_ack', 'out_of_office']);

export function timelineOf(messages: readonly { received_at: number; effective_label: MessageLabel }[]): Timeline {
  const first = (pick: (label: MessageLabel) => boolean) => {
    let at: number | null = null;
    for (const m of messages) if (pick(m.effective_label) && (at === null || m.received_at < at)) at = m.received_at;
    return at;
  };
  return {
    first_ack_at: first((l) => ackLabels.has(l)),
    first_bot_at: first((l) => l === 'bot'),
    first_human_at: first((l) => l === 'human'),
  };
}
