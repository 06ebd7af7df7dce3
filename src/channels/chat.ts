// Chat channel: driven in a real browser (Playwright + Debian chromium).
import type { ChannelModule } from './channel.ts';
import { ProbeError } from '../core/errors.ts';

export const chatChannel: ChannelModule<'chat'> = {
  kind: 'chat',
  async send() {
    throw new ProbeError('BROWSER_FAILED', 'the chat channel is not implemented yet');
  },
  async reconcile() {
    return { outcome: 'unknown', note: 'the chat channel is not implemented yet' };
  },
};
