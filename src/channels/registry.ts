// The one place channel kinds are registered: a missing kind is a compile error.
import type { ChannelRegistry } from './channel.ts';
import { emailChannel } from './email.ts';
import { webformChannel } from './webform.ts';
import { chatChannel } from './chat.ts';
import { manualChannel } from './manual.ts';

export const channels: ChannelRegistry = {
  email: emailChannel,
  webform: webformChannel,
  chat: chatChannel,
  manual: manualChannel,
};
