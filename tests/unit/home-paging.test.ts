// The home page's pages and search: whole vendors per page within the row bound, matching, clamping.
import { describe, expect, it } from 'vitest';
import { homeSlice, matchVendors, pageStarts } from '../../src/server/home-paging.ts';
import type { VendorSummary } from '../../src/server/views.ts';

function vendor(slug: string, name: string, channels: number): VendorSummary {
  return {
    slug,
    name,
    timezone: 'UTC',
    channels: Array.from({ length: channels }, () => ({
      channel: 'email',
      kind: 'email',
      status: 'insufficient_data',
      medianMs: null,
      ci95Ms: [null, null],
      n: 0,
      awaitingReview: 0,
      noReplyShare: null,
      sla: { met: 0, known: 0 },
      lastProbeAt: null,
      days: { first: null, last: null, withinSla: [], missedSla: [], noReply: [], open: [] },
      open: [],
      incident: null,
    })),
  };
}

describe('pageStarts', () => {
  it.each([
    { sizes: [], rows: 10, starts: [] },
    { sizes: [4, 4, 4], rows: 10, starts: [0, 2] },
    { sizes: [4, 4, 2, 1], rows: 10, starts: [0, 3] },
    // A vendor with more rows than a page holds gets a page of its own.
    { sizes: [3, 25, 3], rows: 10, starts: [0, 1, 2] },
    { sizes: [0, 0, 10, 0, 1], rows: 10, starts: [0, 4] },
  ])('$sizes in pages of $rows rows start at $starts', ({ sizes, rows, starts }) => {
    expect(
      pageStarts(
        sizes.map((n, i) => vendor(`v${i}`, `V ${i}`, n)),
        rows,
      ),
    ).toEqual(starts);
  });
});

describe('matchVendors', () => {
  const list = [
    vendor('acme-cloud', 'Acme Cloud', 1),
    vendor('blue-harbor', 'Blue Harbor 蓝港云', 1),
    vendor('cloudy', 'Cloudy', 1),
    vendor('z-acme', 'Zed', 1),
  ];
  it.each([
    { query: '', slugs: ['acme-cloud', 'blue-harbor', 'cloudy', 'z-acme'] },
    { query: 'cloud', slugs: ['cloudy', 'acme-cloud'] },
    { query: '  ACME   cloud ', slugs: ['acme-cloud'] },
    { query: 'ａｃｍｅ', slugs: ['acme-cloud', 'z-acme'] },
    { query: '蓝港', slugs: ['blue-harbor'] },
    { query: 'nothing', slugs: [] },
  ])('"$query" finds $slugs (those starting with it first)', ({ query, slugs }) => {
    expect(matchVendors(list, query).map((v) => v.slug)).toEqual(slugs);
  });
});

describe('homeSlice', () => {
  const list = Array.from({ length: 7 }, (_, i) => vendor(`v${i}`, `Vendor ${i}`, 2));
  it('slices a page and says where it lies, clamping a page past the end', () => {
    expect(homeSlice(list, { query: undefined, page: 2, all: false }, 6).paging).toMatchObject({
      page: 2,
      pages: 3,
      first: 4,
      last: 6,
      matched: 7,
      matchedRows: 14,
      totalRows: 14,
    });
    const last = homeSlice(list, { query: '', page: 9, all: false }, 6);
    expect(last.vendors.map((v) => v.slug)).toEqual(['v6']);
    expect(last.paging).toMatchObject({ page: 3, first: 7, last: 7 });
  });

  it('puts every match on one page for the full list, and says when nothing matches', () => {
    expect(homeSlice(list, { query: 'vendor', page: 3, all: true }, 6)).toMatchObject({ paging: { page: 1, pages: 1, first: 1, last: 7 } });
    expect(homeSlice(list, { query: 'none', page: 1, all: false }, 6)).toMatchObject({
      vendors: [],
      paging: { page: 1, pages: 1, first: 0, last: 0, matched: 0 },
    });
  });
});
