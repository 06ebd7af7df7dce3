// `firstreply classify <file.eml>…`: prints the label, confidence and every reason for raw e-mails.
import { readFileSync } from 'node:fs';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { FirstReplyError } from '../core/errors.ts';
import { parseDuration, systemClock } from '../core/clock.ts';
import { parseMail } from '../classify/parse.ts';
import { classifyEmail } from '../classify/classify-email.ts';
import type { ReplyContext } from '../classify/types.ts';

const usage = `usage: firstreply classify <file.eml>… [--json] [--delay DURATION] [--fast-reply-ms N]

Parses each raw e-mail and prints its label (human, auto_ack, out_of_office, bounce, bot, marketing, system or
unknown), the confidence and every reason with its weight.

  --delay    how long after our probe the reply arrived (e.g. 40s, 3h): enables the timing rules
  --json     one JSON object per file: {file, label, confidence, reasons, signals, fingerprint, parseError}`;

export const classifyCommand: Command = {
  summary: 'classify raw e-mails and explain why',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean', default: false },
      delay: { type: 'string' },
      'fast-reply-ms': { type: 'string' },
    });
    if (positionals.length === 0) throw new FirstReplyError('BAD_INPUT', 'name at least one .eml file');
    for (const file of positionals) {
      const mail = await parseMail(readFileSync(file));
      const receivedAt = mail.headerDate ?? systemClock.now();
      const ctx: ReplyContext = { receivedAt, fastReplyMs: Number(values['fast-reply-ms'] ?? 60_000) };
      if (values.delay) ctx.sentAt = receivedAt - parseDuration(values.delay);
      const result = classifyEmail(mail, ctx);
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ file, ...result, parseError: mail.parseError ?? null })}\n`);
        continue;
      }
      process.stdout.write(`${file}: ${result.label} (confidence ${result.confidence.toFixed(2)})\n`);
      if (mail.parseError) process.stdout.write(`  parse: ${mail.parseError}\n`);
      for (const reason of result.reasons) process.stdout.write(`  ${reason}\n`);
    }
    return 0;
  },
};
