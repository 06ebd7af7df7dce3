// The chat transcript observer: a MutationObserver injected into the widget's frame reports each message through an exposed binding, with the moment it appeared.
import type { BrowserContext } from 'playwright-core';
import { z } from 'zod';

const chatBindingName = '__firstreplyChatMessage';

/** What the observer needs to find and describe messages (a preset's selectors merged with the vendor's). */
interface ChatObserverConfig {
  /** Only watch inside iframes (the widget lives in one). */
  inFrame: boolean;
  transcript: string;
  message: string;
  incoming?: string | undefined;
  author?: string | undefined;
  text?: string | undefined;
  agent_marker?: string | undefined;
  bot_marker?: string | undefined;
  system_marker?: string | undefined;
  quick_reply?: string | undefined;
}

const observedSchema = z.object({
  key: z.string().max(2000),
  text: z.string().max(20_000),
  author: z.string().max(500).nullable(),
  marker: z.enum(['agent', 'bot', 'system']).nullable(),
  incoming: z.boolean().nullable(),
  quickReplies: z.array(z.string().max(500)).max(50),
  appearedAt: z.number(),
  initial: z.boolean(),
});

/** One message as the page saw it; `appearedAt` is the page's clock when the node showed up in the DOM. */
export interface ObservedChatMessage extends z.infer<typeof observedSchema> {
  /** Our clock when the binding call reached us. */
  receivedAt: number;
  frameUrl: string;
}

/**
 * Installs the observer in every current and future document of the context (so it survives reloads) and calls
 * `onMessage` once per message element per document. Messages already present when the observer attaches come
 * with `initial: true` (a replayed history after a reload).
 */
export async function installChatObserver(
  context: BrowserContext,
  config: ChatObserverConfig,
  onMessage: (message: ObservedChatMessage) => void,
): Promise<void> {
  await context.exposeBinding(chatBindingName, (source, payload: unknown) => {
    const receivedAt = Date.now();
    const parsed = observedSchema.safeParse(payload);
    if (parsed.success) onMessage({ ...parsed.data, receivedAt, frameUrl: source.frame.url() });
  });
  await context.addInitScript({ content: observerSource(config) });
}

/** The script run in each frame before the page's own scripts. Plain ES2020, no imports. */
function observerSource(config: ChatObserverConfig): string {
  // `__name`: tsx/esbuild may wrap named functions with it when keeping names; the page has no such helper.
  return `(function () { var __name = function (target) { return target; }; (${pageObserver.toString()})(${JSON.stringify(config)}, ${JSON.stringify(chatBindingName)}); })();`;
}

// Runs inside the page: serialised with toString(), so it must not close over anything.
function pageObserver(config: ChatObserverConfig, bindingName: string): void {
  if (config.inFrame && window.top === window.self) return;
  if (Reflect.get(window, '__firstreplyObserver')) return;
  Reflect.set(window, '__firstreplyObserver', true);

  const roots: Array<Document | ShadowRoot> = [document];
  const originalAttach = Element.prototype.attachShadow;
  // Widgets that render into shadow DOM: remember every shadow root, open or closed, to search it too.
  Element.prototype.attachShadow = function attachShadow(this: Element, init: ShadowRootInit): ShadowRoot {
    const root = originalAttach.call(this, init);
    roots.push(root);
    if (waiting) waiting.observe(root, { childList: true, subtree: true });
    return root;
  };
  const find = (selector: string): Element | null => {
    for (const root of roots) {
      const found = root.querySelector(selector);
      if (found) return found;
    }
    return null;
  };
  const has = (el: Element, selector: string | undefined): boolean => !!selector && (el.matches(selector) || el.querySelector(selector) !== null);
  const textOf = (el: Element | null): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

  const reported = new WeakSet<Element>();
  const occurrences = new Map<string, number>();
  let transcript: Element | null = null;
  let watching: MutationObserver | null = null;

  const report = (el: Element, initial: boolean): void => {
    if (reported.has(el)) return;
    const text = config.text ? textOf(el.querySelector(config.text)) : textOf(el);
    if (text === '') return; // filled in later (typing indicator, streaming): reported on the mutation that adds text
    reported.add(el);
    const author = config.author ? textOf(el.querySelector(config.author)) || null : null;
    const marker = has(el, config.system_marker) ? 'system' : has(el, config.bot_marker) ? 'bot' : has(el, config.agent_marker) ? 'agent' : null;
    const quickReplies = config.quick_reply ? Array.from(el.querySelectorAll(config.quick_reply)).map((b) => textOf(b)) : [];
    const base = `${author ?? ''}|${text}`;
    const n = (occurrences.get(base) ?? 0) + 1;
    occurrences.set(base, n);
    const send: unknown = Reflect.get(window, bindingName);
    if (typeof send === 'function') {
      send({
        key: `${base}#${n}`,
        text,
        author,
        marker,
        incoming: config.incoming ? has(el, config.incoming) : null,
        quickReplies,
        appearedAt: Date.now(),
        initial,
      });
    }
  };
  const messageOf = (node: Node): Element | null => {
    const el = node instanceof Element ? node : node.parentElement;
    return el ? el.closest(config.message) : null;
  };
  const scan = (node: Node, initial: boolean): void => {
    if (!(node instanceof Element)) {
      const owner = messageOf(node);
      if (owner) report(owner, initial);
      return;
    }
    const owner = messageOf(node);
    if (owner) report(owner, initial);
    node.querySelectorAll(config.message).forEach((el) => {
      report(el, initial);
    });
  };

  const attach = (found: Element): void => {
    transcript = found;
    watching?.disconnect();
    watching = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'characterData') scan(record.target, false);
        else {
          record.addedNodes.forEach((node) => {
            scan(node, false);
          });
          scan(record.target, false);
        }
      }
    });
    watching.observe(found, { childList: true, subtree: true, characterData: true });
    found.querySelectorAll(config.message).forEach((el) => {
      report(el, true);
    });
  };

  // Waits for the transcript, and re-attaches if the widget replaces it.
  const waiting: MutationObserver = new MutationObserver(() => {
    if (transcript?.isConnected) return;
    const found = find(config.transcript);
    if (found) attach(found);
  });
  const start = (): void => {
    waiting.observe(document, { childList: true, subtree: true });
    for (const root of roots) if (root !== document) waiting.observe(root, { childList: true, subtree: true });
    const found = find(config.transcript);
    if (found) attach(found);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
  // Observe from the start too, so a transcript rendered before DOMContentLoaded is not missed.
  waiting.observe(document, { childList: true, subtree: true });
}
