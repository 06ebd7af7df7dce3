// Manual channel: phone or IM observations entered by a person (`firstreply record`, see manual-record.ts); nothing is sent.
import type { ChannelModule } from './channel.ts';
import { channelSettingsSchemas } from './settings.ts';
import { ProbeError } from '../core/errors.ts';

export const manualChannel: ChannelModule<'manual'> = {
  kind: 'manual',
  settings: channelSettingsSchemas.manual,
  needs: { browser: false, mailbox: false },
  scheduled: false,
  replySource: 'manual',
  async send() {
    throw new ProbeError('BAD_INPUT', 'manual channels are recorded with `firstreply record`, not sent');
  },
  async reconcile() {
    return { outcome: 'unknown', note: 'manual probes are never in flight' };
  },
};
