// Three private candidate vendors for operator and trial tests: Alpha answers e-mail in minutes (and chat faster),
// Beta in hours with a fifth never answered, Gamma close behind Alpha (how close is the caller's to set).
import { HOUR, MINUTE } from '../../src/core/clock.ts';
import type { FixtureVendor } from './fixture-store.ts';

export function trialCandidates(gammaEmailMedianMs: number): FixtureVendor[] {
  return [
    {
      slug: 'cand-alpha',
      name: 'Candidate Alpha',
      visibility: 'private',
      channels: [
        { id: 'email', kind: 'email', medianMs: 20 * MINUTE, noReplyShare: 0 },
        { id: 'chat', kind: 'chat', medianMs: 3 * MINUTE, noReplyShare: 0 },
      ],
    },
    {
      slug: 'cand-beta',
      name: 'Candidate Beta',
      visibility: 'private',
      channels: [{ id: 'email', kind: 'email', medianMs: 6 * HOUR, noReplyShare: 0.2 }],
    },
    {
      slug: 'cand-gamma',
      name: 'Candidate Gamma',
      visibility: 'private',
      channels: [{ id: 'email', kind: 'email', medianMs: gammaEmailMedianMs, noReplyShare: 0.05 }],
    },
  ];
}
