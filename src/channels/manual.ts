// Manual channel: phone or IM observations entered by a person (`firstreply record`); nothing is sent.
import type { ChannelModule } from './channel.ts';
import { ProbeError } from '../core/errors.ts';

export const manualChannel: ChannelModule<'manual'> = {
  kind: 'manual',
  async send() {
    throw new ProbeError('BAD_INPUT', 'manual channels are recorded with `firstreply record`, not sent');
  },
  async reconcile() {
    return { outcome: 'unknown', note: 'manual probes are never in flight' };
  },
};
