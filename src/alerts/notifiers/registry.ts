// The one place notifier kinds are registered: a missing kind is a compile error.
import type { NotifierRegistry } from './notifier.ts';
import { emailNotifier } from './email.ts';
import { webhookNotifier } from './webhook.ts';
import { slackNotifier } from './slack.ts';

export const notifiers: NotifierRegistry = {
  email: emailNotifier,
  webhook: webhookNotifier,
  slack: slackNotifier,
};
