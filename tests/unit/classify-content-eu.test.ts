// Acknowledgements and out-of-office replies in German, French, Spanish, Portuguese, Italian and Dutch are read as
// such; a person's answer in those languages that thanks for the mail or mentions a holiday is not.
import { describe, expect, it } from 'vitest';
import { buildView } from '../../src/classify/view.ts';
import { europeanContentRules } from '../../src/classify/content-eu.ts';
import { headerRules } from '../../src/classify/headers.ts';
import type { ParsedMail } from '../../src/classify/types.ts';
import type { Rule } from '../../src/classify/view.ts';

function mailOf(text: string, more: Partial<ParsedMail> = {}): ParsedMail {
  return { references: [], subject: 'Re: question', to: ['probes@firstreply.test'], text, contentType: 'text/plain', size: text.length, headers: {}, ...more };
}
const rulesOf = (rule: Rule, mail: ParsedMail): string[] => rule(buildView(mail, { receivedAt: Date.UTC(2026, 0, 5), fastReplyMs: 60_000 })).map((s) => s.rule);

describe('European-language wording', () => {
  it('reads receipt acknowledgements in six languages', () => {
    for (const text of [
      'Vielen Dank für Ihre Nachricht. Wir haben Ihre Anfrage erhalten und melden uns so schnell wie möglich bei Ihnen.',
      'Bonjour, nous avons bien reçu votre demande. Nous vous répondrons dans les plus brefs délais.',
      'Hola, hemos recibido su solicitud. Nos pondremos en contacto con usted lo antes posible.',
      'Olá, recebemos a sua mensagem e entraremos em contato o mais breve possível.',
      'Gentile cliente, abbiamo ricevuto la sua richiesta e le risponderemo al più presto.',
      'Beste klant, wij hebben uw aanvraag in goede orde ontvangen en nemen binnen 2 werkdagen contact met u op.',
    ]) {
      expect(rulesOf(europeanContentRules, mailOf(text)), text).toContain('eu.ack');
    }
  });

  it('reads out-of-office replies in six languages, and their subjects', () => {
    for (const text of [
      'Ich bin bis zum 12. Januar nicht im Büro. Ab dem 13. bin ich wieder erreichbar.',
      "Je suis actuellement absente et serai de retour le 4 mars. En cas d'urgence, contactez Paul.",
      'Estoy fuera de la oficina hasta el lunes.',
      'Estou de férias até dia 10.',
      'Sono fuori ufficio fino al 3 giugno.',
      'Ik ben tot en met vrijdag afwezig.',
    ]) {
      expect(rulesOf(europeanContentRules, mailOf(text)), text).toContain('eu.ooo');
    }
    expect(rulesOf(europeanContentRules, mailOf('', { subject: 'Abwesenheitsnotiz: Ihre Frage' }))).toContain('eu.ooo.subject');
  });

  it("leaves a person's answer that only thanks, or speaks of someone else's holiday, without an acknowledgement", () => {
    const answers = [
      'Danke für die Logs. Das Problem liegt am Zertifikat; bitte erneuern Sie es, dann geht es wieder.',
      'Merci, le correctif est déployé : pouvez-vous réessayer ?',
      'Mi colega está de vacaciones, así que le respondo yo: el error viene del proxy.',
      'Ik heb het nagekeken: de storing kwam door een verlopen certificaat.',
    ];
    for (const text of answers) expect(rulesOf(europeanContentRules, mailOf(text)), text).toEqual([]);
  });

  it('takes a CMS mailer account for a program', () => {
    expect(rulesOf(headerRules, mailOf('x', { from: { address: 'wordpress@shop.example', name: 'Shop' } }))).toContain('header.system-account');
  });
});

describe('caseless phrase families', () => {
  it('refuses a pattern with a capital letter (it would never match the lower-cased text it runs on)', async () => {
    const { caseless } = await import('../../src/classify/phrases.ts');
    const family = { rule: 'x.test', label: 'auto_ack' as const, weight: 1, more: 0, max: 1, what: 'test' };
    expect(() => caseless({ ...family, patterns: [/\bWir haben\b/iu] })).toThrow(/capital letter/);
    expect(caseless({ ...family, patterns: [/\bwir haben\S\p{L}\b/iu] }).patterns[0]).toEqual(/\bwir haben\S\p{L}\b/u);
  });

  it('reads mixed-case German and French as before', () => {
    expect(rulesOf(europeanContentRules, mailOf('WIR HABEN IHRE ANFRAGE ERHALTEN und melden uns.'))).toContain('eu.ack');
    expect(rulesOf(europeanContentRules, mailOf('Nous Avons Bien Reçu Votre Demande.'))).toContain('eu.ack');
  });
});
