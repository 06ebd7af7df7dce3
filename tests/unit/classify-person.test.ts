// Person-side signs: a salutation naming someone opens a person's answer; one naming a role does not.
import { describe, expect, it } from 'vitest';
import { personRules } from '../../src/classify/person.ts';
import { buildView } from '../../src/classify/view.ts';
import type { ParsedMail } from '../../src/classify/types.ts';

function rulesOn(text: string): string[] {
  const mail: ParsedMail = { references: [], subject: 'Question', to: ['probes@firstreply.test'], text, contentType: 'text/plain', size: text.length, headers: {} };
  return personRules(buildView(mail, { receivedAt: Date.UTC(2026, 0, 5), fastReplyMs: 60_000 })).map((s) => s.rule);
}

describe('person.greets-by-name', () => {
  it.each([
    'Hi Erlend,\n\nI do not know what that means for you.',
    'Lieber Willi,\n\ndie Ausgaben wurden am 13.6. zugesandt.',
    'Dear Mr. Smith,\nplease find the logs attached.',
    'Sehr geehrter Herr Müller,\nanbei die Protokolle.',
    'Bonjour Valérie,\nvoici la réponse.',
    'Hola Juan:\nya está resuelto.',
    'Hej Anna\nBerättar gärna.',
    'Здравствуйте Иван,\nпроблема решена.',
  ])('sees a named salutation: %s', (text) => {
    expect(rulesOn(text)).toContain('person.greets-by-name');
  });

  it.each([
    'Dear Customer,\nyour ticket has been received.',
    'Sehr geehrte Damen und Herren,\nIhre Anfrage ist eingegangen.',
    'Hello there,\nthanks for writing in.',
    'Dear valued member,\nour newsletter is here.',
    'Hi {{first_name}},\nwe got your message.',
    'Hi all,\nthe release is out.',
    'Bonjour,\nnous avons bien reçu votre demande.',
    'Thanks for your message. Hi Bob, see below.',
    `Hi ${'A'.repeat(80)},\nlong first line.`,
  ])('sees none in a role salutation, none at all, or one not opening the text: %s', (text) => {
    expect(rulesOn(text)).not.toContain('person.greets-by-name');
  });
});
