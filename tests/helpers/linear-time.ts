// Asserts that work grows linearly with input: 4× the input may cost at most 8× (quadratic would be 16×). Machine load
// only ever slows a run, so each size takes the best of five runs, and a pattern must fail three attempts in a row.
import { expect } from 'vitest';

const MAX_RATIO = 8;
/** Below this the clock's noise decides. */
const FLOOR_MS = 10;

function best(run: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    run();
    min = Math.min(min, performance.now() - started);
  }
  return min;
}

export function expectLinearTime(what: string, run: (input: string) => unknown, make: (size: number) => string, small = 25 * 1024): void {
  const a = make(small);
  const b = make(small * 4);
  run(make(1000));
  let seen = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const smallMs = best(() => run(a));
    const largeMs = best(() => run(b));
    if (largeMs / Math.max(smallMs, FLOOR_MS) < MAX_RATIO) return;
    seen = `${smallMs.toFixed(1)} ms, then ${largeMs.toFixed(1)} ms at 4× the input`;
  }
  expect.fail(`${what} grows faster than linearly: ${seen}`);
}
