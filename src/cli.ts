// The firstreply command line: one registry of commands, each in src/cli/<name>.ts.
import { commands } from './cli/registry.ts';
import { UsageError } from './cli/command.ts';
import { ConfigError, FirstReplyError, errorMessage } from './core/errors.ts';

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    'usage: firstreply <command> [options]   (firstreply <command> --help for details)',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`firstreply: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // The usage lines (up to the first blank line) rather than a stack trace.
    const lines = command.usage.split('\n');
    const end = lines.indexOf('');
    process.stderr.write(
      `firstreply ${name}: ${err.message}\n${lines.slice(0, end < 0 ? undefined : end).join('\n')}\n(firstreply ${name} --help for details)\n`,
    );
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n${err.problems.length} problem(s)\n`);
      process.exitCode = 2;
    } else if (err instanceof FirstReplyError) {
      process.stderr.write(`firstreply: ${err.code}: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`firstreply: ${err instanceof Error && err.stack ? err.stack : errorMessage(err)}\n`);
      process.exitCode = 1;
    }
  },
);
