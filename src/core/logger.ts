// Structured logs (pino): one root logger made in main, child loggers per probe.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino({ level, base: undefined }, pino.destination(options.destination ?? 2));
}

export const silentLogger: Logger = pino({ level: 'silent' });
