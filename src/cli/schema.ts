// `firstreply schema`: the JSON Schema of a vendor file, for editor autocompletion.
import { z } from 'zod';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { vendorSchema } from '../config/schema.ts';

export function vendorJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(vendorSchema, { io: 'input', unrepresentable: 'any' }), title: 'firstreply vendor definition' };
}

export const schemaCommand: Command = {
  summary: 'print the JSON Schema of vendor files (firstreply schema > probes/schema.json)',
  usage: 'usage: firstreply schema\n\nPrints the JSON Schema of a vendor file on stdout.',
  async run(args) {
    parseCommandArgs(args, {}, false);
    process.stdout.write(`${JSON.stringify(vendorJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
