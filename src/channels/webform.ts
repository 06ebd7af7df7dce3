// Webform channel: driven in a real browser (Playwright + Debian chromium).
import type { ChannelModule } from './channel.ts';
import { ProbeError } from '../core/errors.ts';

export const webformChannel: ChannelModule<'webform'> = {
  kind: 'webform',
  async send() {
    throw new ProbeError('BROWSER_FAILED', 'the webform channel is not implemented yet');
  },
  async reconcile() {
    return { outcome: 'unknown', note: 'the webform channel is not implemented yet' };
  },
};
