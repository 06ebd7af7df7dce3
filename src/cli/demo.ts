// `firstreply demo`: the whole system live against simulated vendors on loopback, with no configuration.
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { createLogger } from '../core/logger.ts';
import { untilSignal } from './signals.ts';

export const demoCommand: Command = {
  summary: 'run the demo sandbox: simulated vendors on loopback, live probes, the status page',
  usage: `usage: firstreply demo [--port N] [--host H] [--data DIR]

Starts a real mail stack (SMTP in, Dovecot IMAP out), a simulated vendor web site and the simulated vendors of
probes/demo/ on free loopback ports, then runs firstreply against them: probes every few seconds (demo time,
labelled on the page), reply watchers, alerts, and the status page on PORT (default 8080; --port overrides,
0 picks a free port). Data goes to DIR (default data/demo), never to the production database. The admin token is
FIRSTREPLY_ADMIN_TOKEN, else one made for the run and printed with the sign-in address (the demo's private vendor
and its trial, probes/demo/trials/demo-trial.yaml, are shown to a signed-in operator). Ctrl-C stops it.`,
  async run(args) {
    const { values } = parseCommandArgs(args, { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' } }, false);
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error' }); // alerts print through the demo's webhook sink
    // The sandbox (a mail stack, simulated vendors) is loaded by this command only.
    const { startDemo } = await import('../sandbox/demo.ts');
    const demo = await startDemo({
      port: Number(values.port ?? process.env.PORT ?? 8080),
      host: values.host ?? process.env.HOST ?? '127.0.0.1',
      dataDir: values.data ?? 'data/demo',
      logger,
      adminToken: process.env.FIRSTREPLY_ADMIN_TOKEN,
      onAlert: (line) => process.stdout.write(`firstreply demo: alert → ${line}\n`),
    });
    process.stdout.write(`firstreply demo: status page at ${demo.url}/  (demo time: seconds stand for hours; Ctrl-C stops)\n`);
    process.stdout.write(
      `firstreply demo: private vendors and the demo trial: sign in at ${demo.url}/admin/sign-in with the token ${demo.adminToken}, then open ${demo.url}/trial/demo-trial\n`,
    );
    await untilSignal();
    process.stdout.write('firstreply demo: stopping…\n');
    await demo.stop();
    process.stdout.write('firstreply demo: stopped\n');
    return 0;
  },
};
