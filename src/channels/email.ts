// E-mail channel: sends the probe over SMTP (nodemailer); replies are caught by the IMAP watcher.
import type { ChannelModule } from './channel.ts';
import { ProbeError } from '../core/errors.ts';

export const emailChannel: ChannelModule<'email'> = {
  kind: 'email',
  async send() {
    throw new ProbeError('SMTP_UNREACHABLE', 'the email channel is not implemented yet');
  },
  async reconcile() {
    return { outcome: 'unknown', note: 'the email channel is not implemented yet' };
  },
};
