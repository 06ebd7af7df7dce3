// The one place notifier kinds are registered: what config accepts and delivery sends follow from it; a kind of
// notifiers/settings.ts without a module here is a compile error.
import type { NotifierModules, NotifierRegistry } from './notifier.ts';
import { emailNotifier } from './email.ts';
import { webhookNotifier } from './webhook.ts';
import { slackNotifier } from './slack.ts';
import { teamsNotifier } from './teams.ts';
import { discordNotifier } from './discord.ts';
import { pagerdutyNotifier } from './pagerduty.ts';
import { ntfyNotifier } from './ntfy.ts';

/** Checks each entry is registered under its own kind (a test registers a kind of its own the same way). */
export const registerNotifiers = <const R extends NotifierModules<R>>(modules: R): R => modules;

export const notifiers: NotifierRegistry = registerNotifiers({
  email: emailNotifier,
  webhook: webhookNotifier,
  slack: slackNotifier,
  teams: teamsNotifier,
  discord: discordNotifier,
  pagerduty: pagerdutyNotifier,
  ntfy: ntfyNotifier,
});
