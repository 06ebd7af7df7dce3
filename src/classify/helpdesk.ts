// Helpdesk knowledge: which product sent the mail, and which of its headers mean "agent reply" vs "automation".
import type { Signal } from './types.ts';
import { signal, type MailView, type Rule } from './view.ts';

type HelpdeskId = 'zendesk' | 'freshdesk' | 'helpscout' | 'zoho' | 'jira' | 'intercom' | 'rt' | 'zammad' | 'freescout' | 'otrs' | 'osticket' | 'github';

interface HelpdeskProfile {
  id: HelpdeskId;
  name: string;
  detect(view: MailView): boolean;
  /** Generic header rules this product also sets on replies written by an agent: they prove nothing here. */
  agentHeaders: readonly string[];
  /** Product-specific evidence either way. */
  evidence?(view: MailView): Signal[];
}

const domainIn = (view: MailView, re: RegExp): boolean =>
  re.test(view.mail.messageId ?? '') ||
  re.test(view.mail.from?.address ?? '') ||
  view.headers('received').some((r) => re.test(r)) ||
  re.test(view.header('return-path') ?? '');

/**
 * The line a helpdesk writes above a comment to say who wrote it: Zendesk's "Erika Kuntar, Dec 15, 2020, 11:05 PST"
 * (optionally "(Company)" after the name), Jira's "Erika Kuntar commented:". Bounded, line by line: linear.
 */
const personName = String.raw`\p{Lu}[\p{L}'’.-]{0,30}(?: \p{Lu}[\p{L}'’.-]{0,30}){0,3}`;
const zendeskCommentHeader = new RegExp(
  String.raw`^(${personName})(?: \([^()\n]{1,40}\))?, (?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.? [A-Z][a-z]{2,8}\.? \d{4}), \d{1,2}[:.]\d{2}(?: ?[AP]M)?(?: [A-Z+0-9:-]{2,9})?$`,
  'u',
);
const jiraCommentHeader = new RegExp(String.raw`^(${personName}) (?:commented|replied|added a comment)(?: on [A-Z][A-Z0-9]{1,9}-\d{1,7})?:?$`, 'u');
const automatonName = /\b(bot|robot|automation|system|support|team|admin|helpdesk|service|no-?reply)\b/i;

/** An agent's comment named by the helpdesk above the newest comment (first such line in the first 60 lines). */
function commentBy(view: MailView, header: RegExp, desk: string): Signal[] {
  const lines = view.mail.text.slice(0, 8000).split('\n', 60);
  for (const raw of lines) {
    const line = raw.trim();
    if (line.length > 120) continue;
    const m = header.exec(line);
    if (m?.[1] && !automatonName.test(m[1]))
      return [signal('helpdesk.agent-comment', 'human', 1.5, `${desk} names the comment's author: "${line.slice(0, 60)}"`)];
  }
  return [];
}

const profiles: HelpdeskProfile[] = [
  {
    id: 'zendesk',
    name: 'Zendesk',
    detect: (v) =>
      /zendesk/i.test(v.header('x-mailer') ?? '') ||
      v.header('x-zendesk-from-account-id') !== undefined ||
      domainIn(v, /zendesk\.com|_sprut@/i) ||
      /^##- (?:Please type your reply above this line|Bitte geben Sie Ihre Antwort über dieser Zeile ein|Veuillez saisir votre réponse au-dessus de cette ligne|请在此行上方键入回复|請在此行上方輸入回覆) -##/m.test(
        v.mail.text.slice(0, 2000),
      ),
    // Zendesk keeps Auto-Submitted: auto-generated and X-Auto-Response-Suppress on agent replies, and its notification
    // carries the whole conversation (links, separators) below the newest comment.
    agentHeaders: ['header.auto-submitted', 'header.x-auto-response-suppress', 'header.null-return-path', 'layout.links', 'layout.separators'],
    evidence: (v) => commentBy(v, zendeskCommentHeader, 'Zendesk'),
  },
  {
    id: 'freshdesk',
    name: 'Freshdesk',
    detect: (v) => domainIn(v, /freshdesk\.com|freshworks/i) || /freshdesk/i.test(v.header('x-mailer') ?? ''),
    agentHeaders: ['header.x-auto-response-suppress'],
  },
  {
    id: 'helpscout',
    name: 'Help Scout',
    detect: (v) => domainIn(v, /helpscout\.(net|com)/i) || v.header('x-helpscout-conversation-id') !== undefined,
    agentHeaders: [],
  },
  {
    id: 'zoho',
    name: 'Zoho Desk',
    detect: (v) => domainIn(v, /zohodesk|zoho\.(com|eu|in)|zohomail/i),
    agentHeaders: ['header.x-auto-response-suppress'],
  },
  {
    id: 'jira',
    name: 'Jira Service Management',
    detect: (v) => v.header('x-jira-fingerprint') !== undefined || domainIn(v, /atlassian\.net|jira/i),
    // Jira adds Precedence: bulk and Auto-Submitted to every notification, agent comments included.
    agentHeaders: ['header.precedence', 'header.auto-submitted', 'header.x-auto-response-suppress'],
    evidence: (v) => commentBy(v, jiraCommentHeader, 'Jira'),
  },
  {
    id: 'intercom',
    name: 'Intercom',
    detect: (v) => domainIn(v, /intercom(-mail)?\.(io|com)|intercom-mail/i) || v.header('x-intercom-conversation-id') !== undefined,
    agentHeaders: ['header.x-auto-response-suppress', 'header.auto-submitted'],
  },
  {
    id: 'rt',
    name: 'Request Tracker',
    detect: (v) => v.header('rt-ticket') !== undefined || v.header('x-rt-loop-prevention') !== undefined,
    // RT marks every correspondence Precedence: bulk.
    agentHeaders: ['header.precedence', 'header.x-auto-response-suppress'],
  },
  {
    id: 'zammad',
    name: 'Zammad',
    detect: (v) => v.headers('x-zammad-ticket-id').length > 0 || /zammad/i.test(`${v.header('x-mailer') ?? ''} ${v.mail.messageId ?? ''}`),
    agentHeaders: ['header.precedence', 'header.x-auto-response-suppress'],
  },
  {
    id: 'freescout',
    name: 'FreeScout',
    detect: (v) => /<?FS_(auto)?reply-/i.test(v.mail.messageId ?? ''),
    agentHeaders: ['header.precedence', 'header.auto-submitted', 'header.x-auto-response-suppress'],
    evidence(v) {
      const id = v.mail.messageId ?? '';
      if (/FS_autoreply-/i.test(id)) return [signal('helpdesk.freescout', 'auto_ack', 3, 'FreeScout Message-ID prefix FS_autoreply- (its auto-reply)')];
      if (/FS_reply-/i.test(id)) return [signal('helpdesk.freescout', 'human', 1.5, 'FreeScout Message-ID prefix FS_reply- (a conversation reply)')];
      return [];
    },
  },
  {
    // osTicket's mailer (include/class.mailer.php, class.email.php): every mail says "X-Mailer: osTicket Mailer"; its
    // auto-replies add Precedence: auto_reply, X-Autoreply and Auto-Submitted: auto-replied, its alerts and notices
    // Auto-Submitted: auto-generated; an agent's response (Ticket::postReply → Email::send) adds none of them.
    id: 'osticket',
    name: 'osTicket',
    detect: (v) => /\bosticket\b/i.test(v.header('x-mailer') ?? ''),
    agentHeaders: [],
    evidence(v) {
      const automated = v.header('auto-submitted') ?? v.header('x-autoreply') ?? v.header('precedence');
      if (automated !== undefined) return [];
      return [signal('helpdesk.osticket', 'human', 1.5, 'osTicket sent it without the headers its auto-replies, alerts and notices carry (an agent response)')];
    },
  },
  {
    id: 'otrs',
    name: 'OTRS/Znuny',
    detect: (v) => v.headers('x-otrs-loop').length > 0 || /otrs|znuny/i.test(v.header('x-mailer') ?? ''),
    agentHeaders: ['header.precedence'],
  },
  {
    // GitHub relays an issue's comments as list mail from notifications@, in the commenter's name, with the
    // commenter's login in X-GitHub-Sender; the same headers carry its own events ("Closed #12.", "pushed 2 commits").
    id: 'github',
    name: 'GitHub',
    detect: (v) => v.header('x-github-sender') !== undefined,
    agentHeaders: [
      'header.noreply-sender',
      'header.x-auto-response-suppress',
      'header.precedence',
      'header.list',
      'header.feedback-id',
      'en.marketing',
      'layout.pixel',
    ],
    evidence(v) {
      const login = v.header('x-github-sender') ?? '';
      const first =
        v.fresh
          .split('\n')
          .find((l) => l.trim() !== '')
          ?.trim() ?? '';
      if (/\[bot\]$|-bot$|^dependabot|^github-actions/i.test(login) || githubEvent.test(first)) return [];
      return [signal('helpdesk.agent-comment', 'human', 1.5, `GitHub relays a comment by ${login.slice(0, 40)}`)];
    },
  },
];

/** GitHub's own events, sent with the actor in X-GitHub-Sender: no comment of theirs. */
const githubEvent =
  /^(?:@\S+ )?(?:closed|merged|reopened|locked|unlocked|assigned|unassigned|labeled)\b|\bpushed \d+ commits?\b|\brequested (?:your |a )?review\b|\bapproved (?:this pull request|these changes)\b|^(?:closed|merged|reopened) #\d+/i;

function detectHelpdesk(view: MailView): HelpdeskProfile | undefined {
  return profiles.find((p) => p.detect(view));
}

export const helpdeskRules: Rule = (view) => {
  const profile = detectHelpdesk(view);
  if (!profile) return [];
  return profile.evidence?.(view) ?? [];
};

/** Rules whose weight a detected helpdesk's habits make worthless, with the reason to show. */
export function helpdeskDiscounts(view: MailView): { rules: ReadonlySet<string>; reason: string } | undefined {
  const profile = detectHelpdesk(view);
  if (!profile || profile.agentHeaders.length === 0) return undefined;
  return { rules: new Set(profile.agentHeaders), reason: `${profile.name} sets this on agent replies too` };
}
