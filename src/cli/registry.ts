// Every CLI command, registered in one place.
import type { Command } from './command.ts';
import { validateCommand } from './validate.ts';
import { schemaCommand } from './schema.ts';
import { probeCommand } from './probe.ts';
import { statsCommand } from './stats.ts';
import { recordCommand } from './record.ts';
import { serveCommand } from './serve.ts';
import { startCommand } from './start.ts';
import { demoCommand } from './demo.ts';
import { classifyCommand } from './classify.ts';
import { evalClassifierCommand } from './eval-classifier.ts';
import { reviewCommand } from './review.ts';
import { alertsCommand } from './alerts.ts';
import { trialCommand } from './trial.ts';
import { reportCommand } from './report.ts';

export const commands: Record<string, Command> = {
  validate: validateCommand,
  schema: schemaCommand,
  probe: probeCommand,
  stats: statsCommand,
  record: recordCommand,
  serve: serveCommand,
  start: startCommand,
  demo: demoCommand,
  classify: classifyCommand,
  'eval-classifier': evalClassifierCommand,
  review: reviewCommand,
  alerts: alertsCommand,
  trial: trialCommand,
  report: reportCommand,
};
