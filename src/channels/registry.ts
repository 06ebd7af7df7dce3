// The one place channel modules are registered: what main starts, what the CLI and the scheduler send follow from it;
// a kind of channels/settings.ts without a module here is a compile error.
import type { ChannelModules, ChannelRegistry } from './channel.ts';
import { emailChannel } from './email.ts';
import { webformChannel } from './webform.ts';
import { chatChannel } from './chat.ts';
import { manualChannel } from './manual.ts';

/** Checks each entry is registered under its own kind (a test registers a kind of its own the same way). */
export const registerChannels = <const R extends ChannelModules<R>>(modules: R): R => modules;

export const channels: ChannelRegistry = registerChannels({
  email: emailChannel,
  webform: webformChannel,
  chat: chatChannel,
  manual: manualChannel,
});
