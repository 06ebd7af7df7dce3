// Which vendors and channels a request may see, answered from memory by point queries: the whole catalogue is never
// read again on a request after a write (at 1,536 vendors that took milliseconds on the event loop).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoVisibility } from '../../src/server/app.ts';
import { publicQueries } from '../../src/store/public-probes.ts';
import { defaultFixtureVendors, openFixtureStore, type FixtureStore } from '../helpers/fixture-store.ts';

let fixture: FixtureStore;

beforeAll(() => {
  fixture = openFixtureStore({ days: 7 });
});

afterAll(() => fixture.close());

const shown = defaultFixtureVendors.find((v) => v.visibility !== 'private');
const hidden = defaultFixtureVendors.find((v) => v.visibility === 'private');

describe('visibility answered from memory', () => {
  it('asks the store one point query per answer and version, never the whole list', () => {
    const queries = publicQueries(fixture.store);
    let listReads = 0;
    let pointQueries = 0;
    const counted = {
      ...queries,
      visibility: () => {
        listReads++;
        return queries.visibility();
      },
      vendorVisible: (slug: string, includePrivate: boolean) => {
        pointQueries++;
        return queries.vendorVisible(slug, includePrivate);
      },
      channelVisible: (vendor: string, channel: string, includePrivate: boolean) => {
        pointQueries++;
        return queries.channelVisible(vendor, channel, includePrivate);
      },
    };
    let version = 'v1';
    let now = 0;
    const memo = memoVisibility(
      counted,
      () => version,
      () => now,
    );
    const pub = shown?.slug ?? '';
    const priv = hidden?.slug ?? '';
    const channel = shown?.channels[0]?.id ?? '';
    const privChannel = hidden?.channels[0]?.id ?? '';
    for (let write = 0; write < 3; write++) {
      version = `v${write + 2}`;
      const before = pointQueries;
      for (let request = 0; request < 5; request++) {
        expect(memo.vendorVisible(pub, false)).toBe(true);
        expect(memo.vendorVisible(priv, false)).toBe(false);
        expect(memo.vendorVisible(priv, true)).toBe(true);
        expect(memo.vendorVisible('no-such-vendor', true)).toBe(false);
        expect(memo.channelVisible(pub, channel, false)).toBe(true);
        expect(memo.channelVisible(priv, privChannel, false)).toBe(false);
        expect(memo.channelVisible(priv, privChannel, true)).toBe(true);
        expect(memo.channelVisible(pub, 'fax', true)).toBe(false);
      }
      expect(pointQueries - before).toBe(8);
    }
    expect(listReads).toBe(0);

    // A catalogue change does not move the version: it is seen within a second.
    fixture.store.db.prepare(`UPDATE vendors SET visibility = 'private' WHERE slug = ?`).run(pub);
    try {
      expect(memo.vendorVisible(pub, false)).toBe(true);
      now += 1001;
      expect(memo.vendorVisible(pub, false)).toBe(false);
      expect(memo.channelVisible(pub, channel, false)).toBe(false);
    } finally {
      fixture.store.db.prepare(`UPDATE vendors SET visibility = 'public' WHERE slug = ?`).run(pub);
    }
  });
});
