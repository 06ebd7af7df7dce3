// Structured logs (pino): one root logger made in main, child loggers per probe.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino({ level, base: undefined }, pino.destination(options.destination ?? 2));
}

export const silentLogger: Logger = pino({ level: 'silent' });

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** What a request's logger needs of its parent (Fastify's logger is a pino logger). */
type ParentLogger<P> = { level: string; child(bindings: Record<string, unknown>, options?: object): P } & Record<Level, (...args: never[]) => unknown>;

/**
 * A child logger made on its first use: a request that logs nothing (nearly all of them, request logging being off)
 * costs one small object instead of pino's child (its bindings serialised per request).
 */
export class LazyChildLogger<P extends ParentLogger<P>> {
  #made: P | undefined;
  readonly #parent: P;
  readonly #bindings: Record<string, unknown>;
  readonly #options: object;
  constructor(parent: P, bindings: Record<string, unknown>, options: object) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }
  #log(level: Level, args: unknown[]): void {
    this.#made ??= this.#parent.child(this.#bindings, this.#options);
    Reflect.apply(this.#made[level], this.#made, args);
  }
  get level(): string {
    return this.#made?.level ?? this.#parent.level;
  }
  set level(level: string) {
    this.#made ??= this.#parent.child(this.#bindings, this.#options);
    this.#made.level = level;
  }
  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  silent(...args: unknown[]): void {
    this.#log('silent', args);
  }
  child(bindings: Record<string, unknown>, options?: object): P {
    this.#made ??= this.#parent.child(this.#bindings, this.#options);
    return this.#made.child(bindings, options);
  }
}
