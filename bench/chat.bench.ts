// Bench `chat`: how many chat probes one Chromium holds open with every human reply still detected within 250 ms, memory per open chat, observer latency.
import type { Figure } from './run.ts';
import { startRig, chatVendor, type BrowserRig } from '../tests/e2e/browser-setup.ts';
import { memoryOf } from '../src/browser/pool.ts';

const levels = (process.env.CHAT_BENCH_LEVELS ?? '10,20,30,45').split(',').map(Number).filter((n) => n > 0);
const detectBudgetMs = 250;
const openInParallel = 4;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

const log = (text: string) => process.stderr.write(`chat bench: ${text}\n`);

/** Opens `n` chats and keeps them waiting for a person; returns their probe ids and tokens. */
async function openChats(rig: BrowserRig, n: number): Promise<Array<{ id: number; token: string }>> {
  const opened: Array<{ id: number; token: string }> = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const planned = rig.runner.plan('benchchat', 'chat', { ignoreCaps: true });
      const sent = await rig.runner.send(planned.id);
      if (sent.state !== 'sent') throw new Error(`chat probe ${sent.id} did not open: ${sent.error_text ?? sent.state}`);
      opened.push({ id: sent.id, token: sent.token });
    }
  };
  await Promise.all(Array.from({ length: openInParallel }, worker));
  return opened;
}

/** Resolves when every probe has a human reply recorded (store events, no polling), or after `limitMs`. */
function allAnswered(rig: BrowserRig, ids: number[], limitMs: number): Promise<void> {
  const waiting = new Set(ids.filter((id) => rig.store.probes.get(id)?.first_human_at == null));
  return new Promise((resolve) => {
    if (waiting.size === 0) return resolve();
    setTimeout(resolve, limitMs).unref();
    const onProbe = (id: number) => {
      if (!waiting.has(id) || rig.store.probes.get(id)?.first_human_at == null) return;
      waiting.delete(id);
      if (waiting.size === 0) {
        rig.store.events.off('probe', onProbe);
        resolve();
      }
    };
    rig.store.events.on('probe', onProbe);
  });
}

export async function run(): Promise<Figure[]> {
  const rig = await startRig([chatVendor('benchchat', {
    script: [{ after: 150, kind: 'bot', text: 'Assistant here. An agent will join you.', quick_replies: ['Billing', 'Technical'] }],
  }, { max_wait: '30m', timeout: 60_000 })], { maxChats: Math.max(...levels) });
  const figures: Figure[] = [];
  const observerLatency: number[] = [];
  let concurrent = 0;
  let mbPerChat = NaN;
  let detectP99 = NaN;
  try {
    // Start the browser, then measure its idle footprint.
    await (await rig.pool.newContext()).close();
    const idle = memoryOf(rig.pool.processIds());
    log(`idle chromium ${(idle / 2 ** 20).toFixed(0)} MB`);
    for (const n of levels) {
      const started = rig.followUps.length;
      const chats = await openChats(rig, n);
      const held = memoryOf(rig.pool.processIds());
      const perChat = (held - idle) / n / 2 ** 20;
      // A reply sooner than human_min_latency_ms after ours is rightly taken for a bot: let that time pass first.
      const lastSent = Math.max(...chats.map((c) => rig.store.probes.get(c.id)?.sent_at ?? 0));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastSent + 2_100 - Date.now())));
      const truth = new Map<number, number>();
      for (const chat of chats) {
        const said = rig.site.agentReply(chat.token);
        if (said) truth.set(chat.id, said.at);
      }
      await allAnswered(rig, chats.map((c) => c.id), 30_000);
      const detect: number[] = [];
      for (const chat of chats) {
        const human = rig.store.messages.forProbe(chat.id).find((m) => m.label === 'human');
        if (!human) continue;
        detect.push(human.detected_at - (truth.get(chat.id) ?? human.detected_at));
        observerLatency.push(human.detected_at - human.received_at);
      }
      await Promise.all(rig.followUps.slice(started));
      detect.sort((a, b) => a - b);
      const worst = detect.at(-1) ?? Infinity;
      log(`${n} chats open: ${perChat.toFixed(1)} MB each, human reply detected p50 ${quantile(detect, 0.5)} ms, max ${worst} ms; contexts left ${rig.pool.openContexts()}`);
      if (detect.length !== n || worst > detectBudgetMs) break;
      concurrent = n;
      mbPerChat = perChat;
      detectP99 = quantile(detect, 0.99);
    }
  } finally {
    await rig.stop();
  }
  observerLatency.sort((a, b) => a - b);
  figures.push(
    { bench: 'chat', figure: 'concurrent', value: concurrent, unit: 'chats', note: `largest level of ${levels.join('/')} with every human reply detected within ${detectBudgetMs} ms` },
    { bench: 'chat', figure: 'mb_per_chat', value: Math.round(mbPerChat * 10) / 10, unit: 'MB', note: `added PSS of Chromium's processes per open chat at ${concurrent} chats` },
    { bench: 'chat', figure: 'human_detect_p99', value: detectP99, unit: 'ms', note: `agent message sent by the site → recorded by firstreply, at ${concurrent} chats` },
    { bench: 'chat', figure: 'observer_latency_p50', value: quantile(observerLatency, 0.5), unit: 'ms', note: 'human reply appended in the widget → binding received, all chats of every level' },
    { bench: 'chat', figure: 'observer_latency_p99', value: quantile(observerLatency, 0.99), unit: 'ms', note: 'human reply appended in the widget → binding received, all chats of every level' },
  );
  return figures;
}
