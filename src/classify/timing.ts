// Timing: a reply that arrives seconds after our probe was sent was rarely written by a person.
import { signal, type Rule } from './view.ts';

export const timingRules: Rule = (view) => {
  const { sentAt, receivedAt, fastReplyMs } = view.ctx;
  if (sentAt === undefined) return [];
  const delay = receivedAt - sentAt;
  if (delay < 0) return [];
  const seconds = Math.round(delay / 1000);
  if (delay < Math.min(15_000, fastReplyMs)) return [signal('timing.instant', 'auto_ack', 2, `arrived ${seconds}s after our probe was sent`, true)];
  if (delay < fastReplyMs) return [signal('timing.fast', 'auto_ack', 1.2, `arrived ${seconds}s after our probe was sent (under ${Math.round(fastReplyMs / 1000)}s)`, true)];
  return [];
};
