// The child of the kill -9 soak: a probe runner on the soak's store that reconciles, then sends until `total` probes exist.
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openStore } from '../../src/store/db.ts';
import { channels } from '../../src/channels/registry.ts';
import { createEmailChannel } from '../../src/channels/email.ts';
import { createProbeRunner } from '../../src/runner/probe-runner.ts';
import { worldCatalog, worldSettings } from '../integration/email-fixtures.ts';

interface ChildArgs {
  dir: string;
  smtp: { host: string; port: number };
  imap: { host: string; port: number };
  total: number;
}

const args: ChildArgs = JSON.parse(process.argv[2] ?? '{}');
const settings = worldSettings({ smtp: args.smtp, imap: args.imap }, args.dir, args.smtp.port, 0);
const catalog = worldCatalog(settings);
const store = openStore(join(args.dir, 'soak.db'), systemClock);
store.vendors.sync(catalog);
const registry = { ...channels, email: createEmailChannel({ retryDelaysMs: [50], timeoutMs: 5_000 }) };
const runner = createProbeRunner({
  store,
  catalog,
  clock: systemClock,
  logger: silentLogger,
  channels: registry,
  services: { store, settings, clock: systemClock, evidenceDir: settings.evidence_dir },
});

const say = (event: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

const reconciled = await runner.reconcile();
say({ event: 'reconciled', probes: reconciled.map((p) => [p.id, p.state]) });
// Planned but never marked sending: nothing left us, so sending them now is safe.
for (const probe of store.probes.inStates(['scheduled'])) await runner.send(probe.id);
while (store.probes.recent(args.total + 1).length < args.total) {
  const probe = runner.plan('acme', 'email', { ignoreCaps: true });
  say({ event: 'planned', probe: probe.id });
  await runner.send(probe.id);
}
await runner.close();
store.close();
say({ event: 'done' });
