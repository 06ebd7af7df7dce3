// Every CLI command, registered in one place.
import type { Command } from './command.ts';
import { validateCommand } from './validate.ts';
import { schemaCommand } from './schema.ts';
import { probeCommand } from './probe.ts';
import { statsCommand } from './stats.ts';
import { serveCommand } from './serve.ts';
import { classifyCommand } from './classify.ts';
import { evalClassifierCommand } from './eval-classifier.ts';
import { reviewCommand } from './review.ts';

export const commands: Record<string, Command> = {
  validate: validateCommand,
  schema: schemaCommand,
  probe: probeCommand,
  stats: statsCommand,
  serve: serveCommand,
  classify: classifyCommand,
  'eval-classifier': evalClassifierCommand,
  review: reviewCommand,
};
