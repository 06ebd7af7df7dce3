// The part of @xmpp/client (which ships no types) that the scripted desk agent uses.
declare module '@xmpp/client' {
  export interface XmlElement {
    name: string;
    attrs: Record<string, string | undefined>;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): XmlElement | undefined;
    getChildText(name: string, xmlns?: string): string | null;
  }
  export interface XmppClient {
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(...elements: XmlElement[]): Promise<void>;
    on(event: 'stanza', listener: (stanza: XmlElement) => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    on(event: 'online', listener: (address: { toString(): string }) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
  export function client(options: { service: string; domain: string; resource?: string; username?: string; password?: string }): XmppClient;
  export function xml(name: string, attrs?: Record<string, string>, ...children: Array<XmlElement | string>): XmlElement;
}
