// Generic JSON webhook: POSTs the notice as one JSON document.
import type { Notifier } from './notifier.ts';
import { webhookBody } from './render.ts';
import { postJson } from './http.ts';

export const webhookNotifier: Notifier<'webhook'> = {
  kind: 'webhook',
  async send(target, notice, ctx) {
    await postJson(target.url, webhookBody(notice), target.headers, ctx.signal);
  },
};
