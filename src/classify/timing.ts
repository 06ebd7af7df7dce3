// Timing: a reply that arrives seconds after our probe was sent was rarely written by a person.
import type { ReplyContext } from './types.ts';
import { signal, type Rule } from './view.ts';

/**
 * How long after our probe the reply arrived, or undefined without a send time. `receivedAt` is a floor of the
 * given resolution (INTERNALDATE has whole seconds) and a reply cannot precede its probe, so a reply stamped in the
 * send's own second counts as 0 ms, never as a negative delay.
 */
function replyDelayMs(ctx: Pick<ReplyContext, 'sentAt' | 'receivedAt' | 'receivedResolutionMs'>): number | undefined {
  if (ctx.sentAt === undefined) return undefined;
  const latest = ctx.receivedAt + (ctx.receivedResolutionMs ?? 0);
  if (latest < ctx.sentAt) return undefined; // clocks disagree: no timing evidence either way
  return Math.max(0, ctx.receivedAt - ctx.sentAt);
}

/** `fast` under the fast-reply threshold (machine pace), `paced` after it, undefined without a send time. */
export function replyPace(ctx: ReplyContext): 'fast' | 'paced' | undefined {
  const delay = replyDelayMs(ctx);
  if (delay === undefined) return undefined;
  return delay < ctx.fastReplyMs ? 'fast' : 'paced';
}

export const timingRules: Rule = (view) => {
  const delay = replyDelayMs(view.ctx);
  if (delay === undefined) return [];
  const { fastReplyMs } = view.ctx;
  const seconds = Math.round(delay / 1000);
  if (delay < Math.min(15_000, fastReplyMs)) return [signal('timing.instant', 'auto_ack', 2, `arrived ${seconds}s after our probe was sent`, true)];
  if (delay < fastReplyMs)
    return [signal('timing.fast', 'auto_ack', 1.2, `arrived ${seconds}s after our probe was sent (under ${Math.round(fastReplyMs / 1000)}s)`, true)];
  return [];
};
