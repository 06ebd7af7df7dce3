// The one place channel kinds are registered: the config's channel union, what main starts and what the scheduler sends follow from it.
import type { ChannelModules } from './channel.ts';
import { emailChannel } from './email.ts';
import { webformChannel } from './webform.ts';
import { chatChannel } from './chat.ts';
import { manualChannel } from './manual.ts';

/** Checks each entry is registered under its own kind, keeping each module's precise settings type. */
export const registerChannels = <const R extends ChannelModules<R>>(modules: R): R => modules;

export const channels = registerChannels({
  email: emailChannel,
  webform: webformChannel,
  chat: chatChannel,
  manual: manualChannel,
});
