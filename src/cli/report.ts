// `firstreply report <trial> --format html|pdf|csv|json --out FILE`: the trial report export, by its short name.
import type { Command } from './command.ts';
import { trialCommand } from './trial.ts';

export const reportCommand: Command = {
  summary: "export a trial's report (html, pdf, csv, json): the same as `firstreply trial report`",
  usage:
    'usage: firstreply report <trial> --format html|pdf|csv|json [--lang en|zh-CN] [--out FILE] [--dir probes] [--db PATH]\n\nSee firstreply trial --help.',
  run: (args) => trialCommand.run(['report', ...args]),
};
