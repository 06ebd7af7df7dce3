// A support desk scripted over XMPP: an automatic greeting from the account's `bot` resource, then a person's reply (typing first) from another resource.
import { client, xml, type XmlElement, type XmppClient } from '@xmpp/client';

const chatStates = 'http://jabber.org/protocol/chatstates';

interface DeskScript {
  greeting: string;
  reply: string;
  /** From the visitor's message to the person starting to type. */
  typingAfterMs: number;
  /** How long the person types (composing shown) before the reply is sent. */
  typingMs: number;
}

/** What the desk sent, with our clock's time just before each stanza left. */
export interface DeskSend {
  kind: 'greeting' | 'composing' | 'reply';
  from: string;
  to: string;
  text: string;
  sentAt: number;
}

export interface DeskAgent {
  /** Full JIDs of the two connections (the bot's ends in /bot). */
  botJid: string;
  personJid: string;
  sends(): DeskSend[];
  /** Visitors' messages as the desk received them. */
  received(): Array<{ from: string; body: string; at: number }>;
  /** Resolves with the person's reply to the first visitor message containing `text` (rejects after `timeoutMs`). */
  replied(text: string, timeoutMs: number): Promise<DeskSend>;
  stop(): Promise<void>;
}

interface DeskAgentOptions {
  /** The Prosody c2s port on 127.0.0.1 (plain TCP; loopback only). */
  c2sPort: number;
  domain: string;
  username: string;
  password: string;
  script: DeskScript;
  personResource?: string;
}

export async function startDeskAgent(options: DeskAgentOptions): Promise<DeskAgent> {
  const { script } = options;
  const service = `xmpp://127.0.0.1:${options.c2sPort}`;
  // What went wrong on either connection after start-up, for the test's failure message.
  const errors: string[] = [];
  const connect = async (resource: string, priority: string): Promise<{ xmpp: XmppClient; jid: string }> => {
    const xmpp = client({ service, domain: options.domain, resource, username: options.username, password: options.password });
    xmpp.on('error', (err) => {
      errors.push(`${resource}: ${err.message}`);
    });
    const address = await xmpp.start();
    await xmpp.send(xml('presence', {}, xml('priority', {}, priority)));
    return { xmpp, jid: String(address) };
  };
  // The bot has the higher priority, so a message to the bare JID reaches it; the person answers from the other resource.
  const bot = await connect('bot', '1');
  const person = await connect(options.personResource ?? 'desk', '0').catch(async (err: unknown) => {
    await bot.xmpp.stop();
    throw err;
  });

  const sends: DeskSend[] = [];
  const received: Array<{ from: string; body: string; at: number }> = [];
  const answered = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const waiters: Array<{ text: string; resolve: (send: DeskSend) => void }> = [];
  let stopped = false;

  const later = (ms: number, work: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped)
        work().catch((err: unknown) => {
          errors.push(err instanceof Error ? err.message : String(err));
        });
    }, ms);
    timers.add(timer);
  };
  const send = async (kind: DeskSend['kind'], from: { xmpp: XmppClient; jid: string }, to: string, text: string) => {
    const children: XmlElement[] =
      kind === 'composing' ? [xml('composing', { xmlns: chatStates })] : [xml('body', {}, text), xml('active', { xmlns: chatStates })];
    const entry: DeskSend = { kind, from: from.jid, to, text, sentAt: Date.now() };
    sends.push(entry);
    await from.xmpp.send(xml('message', { to, type: 'chat', id: `${kind}-${sends.length}` }, ...children));
    return entry;
  };

  const onStanza = (stanza: XmlElement) => {
    if (!stanza.is('message')) return;
    const body = stanza.getChildText('body');
    const from = stanza.attrs.from;
    if (!body || !from || stanza.attrs.type === 'error') return;
    received.push({ from, body, at: Date.now() });
    // Both resources may be handed the message; the desk answers each visitor once.
    if (answered.has(from)) return;
    answered.add(from);
    send('greeting', bot, from, script.greeting).catch((err: unknown) => {
      errors.push(`greeting: ${err instanceof Error ? err.message : String(err)}`);
    });
    later(script.typingAfterMs, async () => {
      await send('composing', person, from, '');
      later(script.typingMs, async () => {
        const reply = await send('reply', person, from, script.reply);
        for (const w of waiters.filter((x) => body.includes(x.text))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(reply);
        }
      });
    });
  };
  bot.xmpp.on('stanza', onStanza);
  person.xmpp.on('stanza', onStanza);

  return {
    botJid: bot.jid,
    personJid: person.jid,
    sends: () => [...sends],
    received: () => [...received],
    replied(text, timeoutMs) {
      const done = sends.find((s) => s.kind === 'reply' && received.some((r) => r.from === s.to && r.body.includes(text)));
      if (done) return Promise.resolve(done);
      return new Promise<DeskSend>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the desk sent no reply to "${text}" within ${timeoutMs} ms${errors.length > 0 ? `; errors: ${errors.join('; ')}` : ''}`)),
          timeoutMs,
        );
        waiters.push({
          text,
          resolve: (s) => {
            clearTimeout(timer);
            resolve(s);
          },
        });
      });
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([bot.xmpp.stop(), person.xmpp.stop()]);
    },
  };
}
