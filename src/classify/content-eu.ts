// German, French, Spanish, Portuguese, Italian and Dutch phrasing: receipt acknowledgements and out-of-office replies.
import type { Signal } from './types.ts';
import type { Rule } from './view.ts';
import { caseless, familySignals, flatten, type PhraseFamily } from './phrases.ts';

/** What a request is called: "your ___ was received". */
const requestDe = '(anfrage|nachricht|e-?mail|mail|bestellung|ticket|supportanfrage|mitteilung|kontaktanfrage)';
const requestFr = '(demande|message|e-?mail|courriel|requête|requete|ticket|commande)';
const requestEs = '(mensaje|solicitud|consulta|correo|petición|peticion|ticket|pedido)';
const requestPt = '(mensagem|solicitação|solicitacao|pedido|e-?mail|contato|contacto|ticket)';
const requestIt = '(richiesta|messaggio|e-?mail|mail|segnalazione|ticket)';
const requestNl = '(aanvraag|bericht|e-?mail|mail|vraag|verzoek|aanmelding|ticket|bestelling)';

const families: PhraseFamily[] = [
  {
    rule: 'eu.ack',
    label: 'auto_ack',
    weight: 1.6,
    more: 0.6,
    max: 3.2,
    what: 'acknowledgement phrasing',
    patterns: [
      new RegExp(`\\bwir haben (ihre|deine|eure) ${requestDe}( \\p{L}+){0,4} erhalten`, 'iu'),
      new RegExp(`\\b(ihre|deine) ${requestDe} (ist|wurde) (bei uns )?(erfolgreich |gut )?(eingegangen|erhalten|registriert|angelegt|erstellt)`, 'iu'),
      /\b(wir werden uns|wir melden uns)\b.{0,50}\b(so schnell wie möglich|schnellstmöglich|in kürze|umgehend|innerhalb von \d+|zeitnah|baldmöglichst)/iu,
      new RegExp(`\\bnous avons (bien )?reçu (votre|ta) ${requestFr}`, 'iu'),
      new RegExp(`\\b(votre|ta) ${requestFr} a (bien )?été (reçue?|enregistrée?|prise? en compte|transmise?)`, 'iu'),
      /\bnous (vous )?(répondrons|reviendrons vers vous|recontacterons|contacterons)\b.{0,50}\b(dans les (plus )?brefs délais|rapidement|sous \d+|dès que possible)/iu,
      new RegExp(`\\bhemos recibido (su|tu) ${requestEs}`, 'iu'),
      new RegExp(`\\b(su|tu) ${requestEs} (ha sido|fue) (recibid[oa]|registrad[oa])`, 'iu'),
      /\b(nos pondremos en contacto|le responderemos|te responderemos|le contactaremos)\b.{0,50}\b(lo antes posible|a la mayor brevedad|en breve|en un plazo|dentro de)/iu,
      new RegExp(`\\brecebemos (a |o )?(sua|seu|tua|teu) ${requestPt}`, 'iu'),
      /\b(entraremos em contato|responderemos)\b.{0,50}\b(o mais breve possível|em breve|assim que possível|dentro de|no prazo)/iu,
      new RegExp(`\\babbiamo ricevuto (la sua|la tua|il suo|il tuo|la vostra|il vostro) ${requestIt}`, 'iu'),
      /\b(la contatteremo|ti contatteremo|le risponderemo|ti risponderemo|vi risponderemo)\b.{0,50}\b(al più presto|quanto prima|a breve|entro)/iu,
      new RegExp(`\\b(wij|we) hebben (uw|je|jouw) ${requestNl}( \\p{L}+){0,5} ontvangen`, 'iu'),
      new RegExp(`\\b(uw|je|jouw) ${requestNl} is (in goede orde |goed )?ontvangen`, 'iu'),
      /\b(nemen|neemt|nemen wij|nemen we)\b.{0,40}\bcontact met (u|je) op\b.{0,40}\b(binnen|zo snel mogelijk|spoedig|zo spoedig)/iu,
      [/\b(vielen dank|danke) für (ihre|deine) (anfrage|nachricht|e-?mail|mail|kontaktaufnahme)\b/iu, 0.7],
      [/\bmerci (de|pour) (votre|ta) (message|demande|e-?mail|courriel|prise de contact)\b/iu, 0.7],
      [/\bgracias por (contactar|ponerse en contacto|su mensaje|tu mensaje|escribirnos|su consulta)\b/iu, 0.7],
      [/\bobrigad[oa] (pelo (seu )?contato|pela (sua )?mensagem)\b/iu, 0.7],
      [/\bgrazie per (averci contattato|il suo messaggio|la sua richiesta|il tuo messaggio)\b/iu, 0.7],
      [/\bbedankt voor (uw|je|jouw) (bericht|aanvraag|e-?mail|mail|vraag)\b/iu, 0.7],
    ],
    subject: [
      /\b(eingangsbestätigung|ihre anfrage( ist)? eingegangen|accusé de réception|nous avons reçu votre|hemos recibido su|acuse de recibo|recebemos sua|conferma di ricezione|ontvangstbevestiging)\b/iu,
    ],
  },
  {
    rule: 'eu.ooo',
    label: 'out_of_office',
    weight: 2.2,
    more: 0.6,
    max: 3.5,
    what: 'out-of-office phrasing',
    patterns: [
      /\bich bin\b.{0,50}\b(nicht im büro|abwesend|im urlaub|außer haus|nicht erreichbar|in elternzeit|auf dienstreise)\b/iu,
      /\b(wieder im büro|wieder erreichbar|wieder für sie da|wieder zurück im büro)\b/iu,
      /\bje suis (actuellement |absente? |en )?(absente?|en congés?|en vacances|en déplacement|hors du bureau|en congé)\b/iu,
      /\bje serai de retour\b/iu,
      /\b(estoy|estaré) (fuera de la oficina|de vacaciones|ausente|fuera)\b/iu,
      /\b(estarei|estou) (fora do escritório|de férias|ausente)\b/iu,
      /\b(sono|sarò) (fuori ufficio|in ferie|assente)\b/iu,
      /\bik ben\b.{0,40}\b(afwezig|met vakantie|op vakantie|niet op kantoor|niet aanwezig)\b/iu,
      /\b(weer aanwezig|weer op kantoor|weer bereikbaar)\b/iu,
    ],
    subject: [
      /\b(abwesenheitsnotiz|abwesend|absence|absente?|ausente|fuera de la oficina|fuori ufficio|afwezig|automatische antwort|réponse automatique|respuesta automática|resposta automática|risposta automatica|automatisch antwoord)\b/iu,
    ],
  },
];

const lowerCased = families.map(caseless);

/** Run over lower-cased text (see `caseless`): the quoted phrases in the reasons are lower-cased too. */
export const europeanContentRules: Rule = (view) => {
  const out: Signal[] = [];
  const text = flatten(view.fresh).toLowerCase();
  const subject = view.subject.toLowerCase();
  for (const family of lowerCased) out.push(...familySignals(text, subject, family));
  return out;
};
