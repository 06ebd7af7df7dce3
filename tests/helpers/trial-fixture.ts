// A trial of 3 vendors × 4 channels × about 100 probes each in a fixture store (one vendor named in Chinese), for the
// PDF export test and the report bench.
import { join } from 'node:path';
import { DAY, HOUR, MINUTE } from '../../src/core/clock.ts';
import { trialSchema } from '../../src/config/trial.ts';
import type { Trial } from '../../src/trials/load.ts';
import { openFixtureStore, type FixtureChannel, type FixtureStore } from './fixture-store.ts';

export interface TrialFixture {
  fixture: FixtureStore;
  trial: Trial;
  evidenceDir: string;
  now: number;
  close(): void;
}

const channels = (scale: number): FixtureChannel[] => [
  { id: 'email', kind: 'email', medianMs: 3 * HOUR * scale, noReplyShare: 0.1, ackShare: 0.8, perDay: 2 },
  { id: 'email-p1', kind: 'email', medianMs: 40 * MINUTE * scale, noReplyShare: 0.05, perDay: 2 },
  { id: 'form', kind: 'webform', medianMs: 6 * HOUR * scale, noReplyShare: 0.2, ackShare: 1, perDay: 2 },
  { id: 'chat', kind: 'chat', medianMs: 4 * MINUTE * scale, noReplyShare: 0.1, perDay: 2 },
];

export const chineseVendorName = '云帆视频 技术支持';
export const chineseTrialNote = '采购评估：三家候选厂商的首次人工回复时间对比';

export function openTrialFixture(): TrialFixture {
  const fixture = openFixtureStore({
    days: 51,
    vendors: [
      { slug: 'acme', name: 'Acme Streaming', visibility: 'private', channels: channels(1) },
      { slug: 'yunfan', name: chineseVendorName, visibility: 'private', timezone: 'Asia/Shanghai', channels: channels(1.6) },
      { slug: 'northwind', name: 'Northwind Video', visibility: 'private', channels: channels(0.7) },
    ],
  });
  const now = fixture.clock.now();
  const input = trialSchema.parse({
    name: 'Streaming support trial',
    start: '2026-01-01',
    end: '2026-03-31',
    vendors: ['acme', 'yunfan', 'northwind'],
    notes: chineseTrialNote,
  });
  const { start: _start, end: _end, ...rest } = input;
  const all = ['email', 'email-p1', 'form', 'chat'];
  const trial: Trial = {
    ...rest,
    id: 'streaming',
    file: 'trials/streaming.yaml',
    from: now - 60 * DAY,
    to: now,
    channelsOf: { acme: all, yunfan: all, northwind: all },
  };
  return { fixture, trial, evidenceDir: join(fixture.dir, 'evidence'), now, close: () => fixture.close() };
}
