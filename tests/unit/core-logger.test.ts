// A request's logger is made on its first use and then logs with its bindings, like pino's own child.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { LazyChildLogger } from '../../src/core/logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info', base: undefined }, stream), lines };
}

describe('LazyChildLogger', () => {
  it('makes no pino child until something is logged, then logs with the bindings', async () => {
    const { logger, lines } = capture();
    const child = vi.spyOn(logger, 'child');
    const lazy = new LazyChildLogger(logger, { reqId: 'req-7' }, {});
    expect(lazy.level).toBe('info');
    lazy.debug('below the level');
    expect(child).toHaveBeenCalledTimes(1);
    lazy.warn({ url: '/x' }, 'slow request');
    lazy.error('failed %s', 'twice');
    expect(child).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, reqId: 'req-7', url: '/x', msg: 'slow request' }),
      expect.objectContaining({ level: 50, reqId: 'req-7', msg: 'failed twice' }),
    ]);
  });

  it('costs nothing when nothing is logged, and its own children keep its bindings', async () => {
    const { logger, lines } = capture();
    const child = vi.spyOn(logger, 'child');
    new LazyChildLogger(logger, { reqId: 'req-1' }, {});
    expect(child).not.toHaveBeenCalled();
    const lazy = new LazyChildLogger(logger, { reqId: 'req-2' }, {});
    lazy.child({ part: 'db' }).info('grandchild');
    lazy.level = 'error';
    lazy.warn('now below the level');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([expect.objectContaining({ reqId: 'req-2', part: 'db', msg: 'grandchild' })]);
    expect(lazy.level).toBe('error');
  });
});
