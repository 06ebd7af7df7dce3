// The token search in a raw message, a window at a time, finds what one search of the whole latin1 text finds.
import { describe, expect, it } from 'vitest';
import { findToken } from '../../src/core/token.ts';
import { findTokenInBytes } from '../../src/watch/match.ts';

const whole = (raw: Buffer) => findToken(raw.toString('latin1'));

/** A deterministic byte source: letters, digits, separators and bytes above 0x7f, so `\b` has both kinds of neighbour. */
function bytes(seed: number, length: number): Buffer {
  let state = seed;
  const alphabet = Buffer.from('abcFRr-_ 0123456789XYZ\r\n\u00e9\u00ff', 'latin1');
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out[i] = alphabet[state % alphabet.length] ?? 32;
  }
  return out;
}

function place(raw: Buffer, at: number, text: string): Buffer {
  const copy = Buffer.from(raw);
  copy.write(text, at, 'latin1');
  return copy;
}

describe('findTokenInBytes', () => {
  const token = 'FR-7K2M9QX4PD';
  const window = 64;

  it('finds a token in any position around window edges, with word or non-word neighbours', () => {
    const background = Buffer.alloc(5 * window, '.');
    const wordy = Buffer.alloc(5 * window, 'x');
    for (const base of [background, wordy]) {
      for (let at = 0; at <= base.length - token.length; at++) {
        const raw = place(base, at, token);
        expect(findTokenInBytes(raw, window), `at ${at} in ${base[0] === 46 ? 'dots' : 'letters'}`).toBe(whole(raw));
      }
    }
    expect(findTokenInBytes(place(background, 2 * window - 1, token.toLowerCase()), window)).toBe(token);
    expect(findTokenInBytes(place(wordy, 2 * window - 1, token), window)).toBeUndefined();
  });

  it('returns the first of several tokens, as one search of the whole text does', () => {
    const base = Buffer.alloc(4 * window, ' ');
    const second = 'FR-ABCDEFGHJK';
    for (let first = 0; first < 2 * window; first += 7) {
      const raw = place(place(base, first + 20, second), first, token);
      expect(findTokenInBytes(raw, window)).toBe(whole(raw));
      const reversed = place(place(base, first, 'x'), first + 1, `${token}x ${second}`);
      expect(findTokenInBytes(reversed, window)).toBe(whole(reversed));
    }
  });

  it('agrees with the whole-text search on generated messages, with the default window too', () => {
    for (let seed = 1; seed <= 200; seed++) {
      let raw = bytes(seed, 300 + (seed % 7) * 61);
      if (seed % 3 === 0) raw = place(raw, (seed * 37) % (raw.length - token.length), seed % 2 === 0 ? token : ` ${token} `);
      expect(findTokenInBytes(raw, window), `seed ${seed}`).toBe(whole(raw));
    }
    const big = place(bytes(7, 300_000), 65_530, ` ${token} `);
    expect(findTokenInBytes(big)).toBe(token);
    expect(findTokenInBytes(big)).toBe(whole(big));
    expect(findTokenInBytes(Buffer.alloc(0))).toBeUndefined();
  });
});
