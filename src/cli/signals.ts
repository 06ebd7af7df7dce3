// Waits for Ctrl-C, a service manager's stop or a closed terminal; a second signal exits at once, and the children's
// 'exit' listeners (Dovecot's process group, temp dirs, Playwright's Chromium) still clean up on that path.
const exitCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      for (const s of signals) process.off(s, onSignal);
      for (const s of signals) process.once(s, () => process.exit(exitCodes[s] ?? 1));
      resolve(signal);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
