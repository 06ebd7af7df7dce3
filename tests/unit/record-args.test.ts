import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock.ts';
import { FirstReplyError } from '../../src/core/errors.ts';
import { maxNoteLength, parseIsoTime, parseRecordArgs } from '../../src/cli/record.ts';

const now = Date.UTC(2025, 2, 10, 12, 0, 0);
const base = ['acme', 'phone', '--sent', '2025-03-10T09:15Z'];

/** The BAD_INPUT error a call throws (fails the test when it throws nothing or something else). */
function badInput(fn: () => unknown): FirstReplyError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FirstReplyError);
    if (err instanceof FirstReplyError) {
      expect(err.code).toBe('BAD_INPUT');
      return err;
    }
  }
  throw new Error('expected a BAD_INPUT error');
}

describe('parseIsoTime', () => {
  it('reads UTC and offset times into UTC ms', () => {
    expect(parseIsoTime('2025-03-10T09:15Z', '--sent')).toBe(Date.UTC(2025, 2, 10, 9, 15));
    expect(parseIsoTime('2025-03-10T09:15:30.25Z', '--sent')).toBe(Date.UTC(2025, 2, 10, 9, 15, 30, 250));
    expect(parseIsoTime('2025-03-10T17:15+08:00', '--sent')).toBe(Date.UTC(2025, 2, 10, 9, 15));
    expect(parseIsoTime('2025-03-10 04:45:00-0430', '--sent')).toBe(Date.UTC(2025, 2, 10, 9, 15));
    expect(parseIsoTime('2024-02-29T00:00Z', '--sent')).toBe(Date.UTC(2024, 1, 29));
  });

  it('names the option and what is wrong', () => {
    expect(badInput(() => parseIsoTime('2025-03-10T09:15', '--human')).message).toMatch(/^--human: .*no time zone; add Z/);
    expect(badInput(() => parseIsoTime('yesterday', '--ack')).message).toMatch(/^--ack: "yesterday" is not an ISO time/);
    expect(badInput(() => parseIsoTime('1741598100000', '--sent')).message).toMatch(/^--sent: .*not an ISO time/);
    expect(badInput(() => parseIsoTime('2025-02-29T10:00Z', '--sent')).message).toMatch(/2025-02 has no day 29/);
    expect(badInput(() => parseIsoTime('2025-13-01T10:00Z', '--sent')).message).toMatch(/month 13 does not exist/);
    expect(badInput(() => parseIsoTime('2025-03-10T24:00Z', '--sent')).message).toMatch(/24:00 is not a time of day/);
    expect(badInput(() => parseIsoTime('2025-03-10T10:00+15:00', '--sent')).message).toMatch(/\+15:00 is not a UTC offset/);
  });
});

describe('parseRecordArgs', () => {
  it('returns the observation in UTC ms, tier and template left to the vendor check', () => {
    const parsed = parseRecordArgs(
      [...base, '--human', '2025-03-10T10:27+01:00', '--ack', '2025-03-10T09:16Z', '--note', '  IVR, then Mia from support  '],
      now,
    );
    expect(parsed).toMatchObject({
      vendor: 'acme',
      channel: 'phone',
      sentAt: Date.UTC(2025, 2, 10, 9, 15),
      ackAt: Date.UTC(2025, 2, 10, 9, 16),
      tier: null,
      template: null,
      note: 'IVR, then Mia from support',
      dir: 'probes',
    });
    expect(parsed.humanAt).toBe(parsed.sentAt + 12 * MINUTE);
    expect(parseRecordArgs([...base, '--tier', 'P3', '--template', 'outage'], now)).toMatchObject({
      tier: 'P3',
      template: 'outage',
      humanAt: null,
      ackAt: null,
      note: null,
    });
    expect(parseRecordArgs([...base, '--human', '2025-03-10T09:15Z'], now).humanAt).toBe(Date.UTC(2025, 2, 10, 9, 15));
    // The spelling: --first-human / --first-ack (--human / --ack are short forms of the same options).
    expect(parseRecordArgs([...base, '--first-human', '2025-03-10T10:27+01:00', '--first-ack', '2025-03-10T09:16Z'], now)).toMatchObject({
      humanAt: Date.UTC(2025, 2, 10, 9, 27),
      ackAt: Date.UTC(2025, 2, 10, 9, 16),
    });
  });

  it('rejects each wrong argument with a message naming it', () => {
    expect(badInput(() => parseRecordArgs(['acme', '--sent', '2025-03-10T09:15Z'], now)).message).toBe('expected <vendor> <channel>, got "acme"');
    expect(badInput(() => parseRecordArgs(['acme', 'phone', 'extra', '--sent', '2025-03-10T09:15Z'], now)).message).toMatch(
      /expected <vendor> <channel>, got "acme" "phone" "extra"/,
    );
    expect(badInput(() => parseRecordArgs(['acme', 'phone'], now)).message).toMatch(/^--sent is required/);
    expect(badInput(() => parseRecordArgs([...base, '--human', '2025-03-10T09:14Z'], now)).message).toBe(
      '--human: 2025-03-10T09:14:00.000Z is before --sent 2025-03-10T09:15:00.000Z',
    );
    expect(badInput(() => parseRecordArgs([...base, '--ack', '2025-03-10T08:00Z'], now)).details).toEqual({ option: '--ack' });
    expect(badInput(() => parseRecordArgs(['acme', 'phone', '--sent', '2025-03-10T12:01Z'], now)).message).toMatch(
      /^--sent: .* is in the future \(now 2025-03-10T12:00:00.000Z\)/,
    );
    expect(badInput(() => parseRecordArgs([...base, '--human', '2025-03-10T14:00+01:00'], now)).message).toMatch(
      /^--human: 2025-03-10T13:00:00.000Z is in the future/,
    );
    expect(badInput(() => parseRecordArgs([...base, '--tier', 'p2'], now)).message).toBe('--tier: "p2" is not a tier (use one of P0, P1, P2, P3)');
    expect(badInput(() => parseRecordArgs([...base, '--note', '   '], now)).message).toMatch(/^--note: empty/);
    expect(badInput(() => parseRecordArgs([...base, '--note', 'x'.repeat(maxNoteLength + 1)], now)).message).toBe(
      `--note: ${maxNoteLength + 1} characters, at most ${maxNoteLength}`,
    );
    expect(badInput(() => parseRecordArgs([...base, '--first-human', '2025-03-10T09:00Z'], now)).message).toBe(
      '--first-human: 2025-03-10T09:00:00.000Z is before --sent 2025-03-10T09:15:00.000Z',
    );
    expect(badInput(() => parseRecordArgs([...base, '--first-human', '2025-03-10T10:00Z', '--human', '2025-03-10T10:00Z'], now)).message).toBe(
      '--first-human and --human are the same option; give it once',
    );
    expect(badInput(() => parseRecordArgs([...base, '--first-ack'], now)).message).toMatch(/--first-ack/);
    expect(badInput(() => parseRecordArgs([...base, '--bogus', 'x'], now)).message).toMatch(/--bogus/);
    expect(badInput(() => parseRecordArgs([...base, '--human'], now)).message).toMatch(/--human/);
  });
});
