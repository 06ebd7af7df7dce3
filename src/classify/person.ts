// Signs that a person wrote the mail, whatever it says: their mail program, a reply to a thread, first-person and
// conversational writing, a personal mailbox. Each is weak alone; the model weighs them against the automatic ones.
import type { Signal } from './types.ts';
import { mailboxProviderFeedbackId } from './headers.ts';
import { clientFooter, opensWithAttribution, withoutInvisible } from './quote-headers.ts';
import { signal, type MailView, type Rule } from './view.ts';

/** Mail programs people type in (X-Mailer / User-Agent); helpdesks and bulk senders name other software. */
const personalClients =
  /\b(thunderbird|icedove|seamonkey|apple mail|iphone mail|ipad mail|mutt|neomutt|alpine|evolution|kmail|claws|sylpheed|roundcube|squirrelmail|horde|imp|rainloop|snappymail|foxmail|qqmail|k-9|k9mail|fairemail|airmail|spark|mailspring|gnus|emacs|mu4e|notmuch|postbox|em client|the bat|opera mail|zimbrawebclient|zimbra desktop|lotus notes|blackberry|android mail|samsung mail|outlook-ios|outlook-android|outlook for (?:ios|android|mac)|microsoft outlook|microsoft office outlook|microsoft-macoutlook|microsoft windows mail|windows live mail|coremail|sina ?mail|tencent|yahoo ?mail|yahoomail\w*|yamail|aol webmail|gmail|mozilla|netease|alimail|mail for windows|geary|balsa|trojita|mailmate|canary mail|superhuman)\b/i;
const bulkSoftware =
  /\b(mailchimp|sendgrid|mailgun|amazon ses|postmark|sparkpost|mandrill|phpmailer|swiftmailer|symfony|nodemailer|django|rails|actionmailer|laravel|zendesk|freshdesk|helpscout|jira|otrs|znuny|zammad|request tracker|hubspot|salesforce|marketo|campaign|newsletter|mass|bulk|mailer-daemon|postfix|sendmail|exim|qmail|smtp|perl|python|java|php|ruby|\.net|microsoft cdo|cron)\b/i;

/**
 * Mail programs people type in mint Message-IDs of their own shape, kept when a relay or the program drops X-Mailer:
 * Pine/Alpine, Gnus, Evolution, Mutt, Yahoo's web mail, old Thunderbird (8 hex digits, a dot, a serial), Outlook and
 * Outlook Express ("…$…$…@"). Gmail's has a rule of its own. Apple Mail's upper-case UUID is left out: Windows
 * programs write GUIDs so too (a mail server's bounce, a fax gateway).
 */
const clientMessageIds: [RegExp, string][] = [
  [/^<?(?:pine|alpine)\.[a-z0-9]+\.\d/i, 'Pine or Alpine'],
  [/^<?[0-9a-z]{6,}\.fsf@/, 'Gnus'],
  [/^<?(?:\d{9,11}\.\d+\.\d+|[0-9a-f]{40})\.camel@/, 'Evolution'],
  [/^<?\d{14}\.G[A-Z]\d+@/, 'Mutt'],
  [/@web\d+\.mail\.[a-z0-9.]*yahoo\.com>?$/i, "Yahoo's web mail"],
  [/^<?[0-9A-F]{8}\.\d{3,7}@/, 'Thunderbird'],
  [/^<?[0-9a-f]{12}\$[0-9a-f]{8}\$[0-9a-f]{8}\$?@/, 'Outlook'],
];
function clientOfMessageId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  return clientMessageIds.find(([shape]) => shape.test(id.trim()))?.[1];
}

/** Consumer mailbox providers: people write from them, machines rarely do (their own daemons aside). */
const personalDomains =
  /@(gmail|googlemail|outlook|hotmail|live|msn|yahoo|ymail|icloud|ya|me|mac|aol|gmx|web|yandex|mail|protonmail|proton|fastmail|posteo|mailbox|disroot|riseup|runbox|mailfence|tuta|kolabnow|zoho|qq|foxmail|163|126|yeah|sina|sohu|aliyun|139|21cn|naver|daum|hanmail|nate|seznam|wp|o2|interia|libero|orange|free|laposte|t-online|freenet|bluewin|rediffmail|tutanota|hey)\.[a-z.]{2,6}$/i;
const roleMailbox =
  /^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?|notifications?|notify|alerts?|news(letter)?|info|marketing|support|help|service|admin|root|daemon|system|auto|robot|bot|feedback|billing|sales|team|hello|contact|updates?)([+._-]|$)/i;

/** A mail program's footer line ("Sent from my iPhone", 发自我的手机, "Get Outlook for Android") naming a phone or app. */
const mobileClient = /iphone|ipad|android|samsung|galaxy|blackberry|huawei|xiaomi|pixel|mobile|phone|smartphone|手机|华为|小米|\bios\b|windows|yahoo/i;

/** "Re:" and its translations, after any ticket tags a helpdesk put in front ("[#4711] Re: …", "[vendor #3] RE: …"). */
const replySubject =
  /^\s*(?:[[(【][^\])】]{0,60}[\])】]\s*){0,3}(re|aw|sv|vs|antw|antwort|odp|rif|r|res|ynt|відп|ответ|回复|回覆|答复|答覆|返信)\s*(\[\d+\])?\s*[:：]/i;

/** "I" and "my" in the languages people answer support mail in (we, the team's voice, is left out on purpose). */
const firstPersonWords =
  /(?<![\p{L}'’])(I|I'm|I've|I'll|I'd|my|me|mine|ich|mir|mich|mein|meine|je|j'|moi|mon|ma|mes|yo|mí|mi|eu|meu|minha|io|mio|mia|ik|mijn|jag|jeg|mig|min|ja|mój|moja|я|мне|меня|мой|моя|tôi|ben|benim|saya|aku|私|僕|나는|저는|제가|أنا|انا|אני)(?![\p{L}'’])/gu;

/**
 * A salutation naming someone, opening the sender's own text ("Hi Erlend,", "Lieber Willi,", "Dear Ben,"): people
 * greet the person they answer; bulk and notice mail greets a role ("Dear customer", "Hello there") or no one.
 * Acknowledgements greet by name too; their own wording weighs against this sign.
 */
const salutation =
  /^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|hall[oö]chen|moin|servus|lieber?|sehr geehrter?|hej|hei|bonjour|bonsoir|salut|cher|ch[eè]re|hola|estimad[oa]|querid[oa]|ciao|salve|gentile|caro|cara|ol[aá]|oi|prezad[oa]|beste|geachte|hoi|cze[sś][cć]|witam|szanown[ya]|drog[ia]|привет|здравствуйте|добрый день|уважаем(?:ый|ая)|merhaba|sayın|chào|xin chào|halo|dzie[nń] dobry)[ \t]+([\p{Lu}][\p{L}'’.-]{1,30}(?:[ \t]+[\p{Lu}][\p{L}'’.-]{1,30}){0,2})[ \t]*[,:!，：]?[ \t]*$/iu;
const roleWords =
  /^(customer|client|user|member|subscriber|sir|madam|sirs|sir\/madam|all|team|everyone|friend|friends|colleague|colleagues|there|valued|partner|guest|applicant|candidate|kunde|kundin|nutzer|damen|herren|mitglied|client[e]?|utilisateur|membre|usuario|cliente|utente|klant|gebruiker|klient|użytkownik|клиент|пользователь|müşteri|khách hàng|pelanggan)\b/iu;

function namedGreeting(fresh: string): string | undefined {
  const first = fresh
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (!first || first.length > 60) return undefined;
  const m = salutation.exec(first);
  const name = m?.[1];
  if (!name || roleWords.test(name) || /[{}[\]<>%$]/.test(first)) return undefined;
  return first;
}

function ownWords(view: MailView): number {
  const text = view.fresh;
  const latin = text.match(/[\p{L}\p{N}]+/gu)?.filter((w) => !/[\u3400-\u9fff]/.test(w)).length ?? 0;
  const han = text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return latin + Math.round(han / 2);
}

/** A reply within a thread: In-Reply-To, or a reply's subject ("Re:", "AW:", 回复…). */
export const inThread = (view: MailView): boolean => replySubject.test(view.subject) || view.mail.inReplyTo !== undefined;

export const personRules: Rule = (view) => {
  const out: Signal[] = [];
  const agent = `${view.header('x-mailer') ?? ''} ${view.header('user-agent') ?? ''}`.trim();
  const idClient = agent
    ? undefined
    : (clientOfMessageId(view.mail.messageId) ??
      (view.header('thread-index') && view.header('accept-language') ? 'Outlook (Thread-Index and Accept-Language)' : undefined));
  if (agent && personalClients.test(agent) && !bulkSoftware.test(agent)) {
    out.push(signal('person.mail-client', 'human', 1, `written in a mail program: "${agent.slice(0, 60)}"`));
  } else if (idClient) {
    out.push(signal('person.mail-client', 'human', 1, `headers as ${idClient} writes them`));
  }
  const from = view.mail.from?.address ?? '';
  const local = from.split('@')[0] ?? '';
  if (!roleMailbox.test(local)) {
    const feedbackId = view.header('feedback-id');
    if (personalDomains.test(from)) {
      out.push(signal('person.personal-mailbox', 'human', 1, `sent from a personal mailbox (${from.replace(/^[^@]*/, '…')})`));
    } else if (feedbackId && mailboxProviderFeedbackId.test(feedbackId)) {
      out.push(signal('person.personal-mailbox', 'human', 1, `sent through a personal mailbox provider (Feedback-ID "${feedbackId.slice(0, 60)}")`));
    }
  }
  if (/^<?CA[A-Za-z0-9+_=-]{20,}@mail\.gmail\.com>?$/.test(view.mail.messageId?.trim() ?? '')) {
    out.push(signal('person.gmail-composer', 'human', 1, 'Message-ID of a message typed in Gmail'));
  }
  const device = withoutInvisible(view.mail.text.slice(0, 20_000))
    .split('\n')
    .find((line) => clientFooter.test(line) && mobileClient.test(line));
  if (device) out.push(signal('person.device', 'human', 1, `"${device.trim().slice(0, 40)}"`));
  if (/format\s*=\s*"?flowed/i.test(view.mail.contentType) || /format\s*=\s*"?flowed/i.test(view.header('content-type') ?? '')) {
    out.push(signal('person.format-flowed', 'human', 1, 'plain text with format=flowed, as desktop mail programs write it'));
  }
  const words = ownWords(view);
  if (view.quoted.trim() !== '' && words >= 1 && words <= 250) {
    out.push(signal('person.quoting-reply', 'human', 1, `${words} word(s) of its own above or between a quoted thread`));
  }
  if (words >= 1 && opensWithAttribution(view.quoted)) {
    out.push(signal('person.attribution', 'human', 1, 'quotes the earlier mail under a mail program\'s attribution line ("On … wrote:")'));
  }
  if (inThread(view)) out.push(signal('person.in-thread', 'human', 1, 'a reply within a thread'));
  const fresh = view.fresh.slice(0, 20_000);
  const greeting = namedGreeting(fresh);
  if (greeting) out.push(signal('person.greets-by-name', 'human', 0.8, `greets someone by name: "${greeting.slice(0, 40)}"`));
  const firstPerson = (fresh.match(firstPersonWords) ?? []).length + (fresh.match(/我(?!们|們)/g) ?? []).length;
  if (firstPerson >= 1)
    out.push(signal('person.first-person', 'human', firstPerson >= 2 ? 1 : 0.5, `writes in the first person singular (${firstPerson} time(s))`));
  if (words > 0 && words <= 40 && /[?？؟]/.test(fresh)) out.push(signal('person.short-question', 'human', 1, 'a short message asking a question'));
  if (words > 0 && words <= 12 && !/https?:\/\//i.test(fresh)) out.push(signal('person.brief', 'human', 1, `only ${words} word(s) of its own`));
  return out;
};
