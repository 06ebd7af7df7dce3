// English phrasing: acknowledgements, out-of-office, bounces, marketing, surveys/closures, AI agents, and a person's words.
import type { Signal } from './types.ts';
import type { Rule } from './view.ts';
import { familySignals, flatten, personSignal, type PhraseFamily } from './phrases.ts';

const families: PhraseFamily[] = [
  {
    rule: 'en.ack',
    label: 'auto_ack',
    weight: 1.6,
    more: 0.6,
    max: 3.2,
    what: 'acknowledgement phrasing',
    patterns: [
      /\b(we|we've|we have|i have|i've)\s+(successfully\s+)?(received|got)\s+(your|the)\s+(support |service |help )?(request|message|e-?mail|enquiry|inquiry|ticket|query|submission|case|note|question)/i,
      /\byour (support |service )?(request|ticket|case|enquiry|inquiry|message) (has been|was) (successfully )?(received|submitted|logged|registered)\b/i,
      /\b(keep|quote|include|use) (this|the|your) (ticket|case|request|reference) (id|number|reference)\b/i,
      /\bthis (is an? )?(automated|automatic|auto-generated|computer-generated) (response|reply|confirmation|acknowledg(e)?ment)/i,
      /\b(your (e-?mail|message|request)) has (reached|arrived at|been (received|forwarded to|passed to))\b/i,
      /\bwe (answer|respond to|reply to|handle) (all |every )?(messages|e-?mails|requests|tickets|enquiries) in the order/i,
      /\bthe (current )?(wait|waiting time|queue) is (about|around|currently|roughly)\b/i,
      /\b(your )?(request|ticket|case|enquiry|inquiry)( number| id| reference)?\s*[:#]?\s*#?\s*[A-Z]{0,6}-?\d{3,}\b.{0,40}\b(has been|was|is)\s+(created|opened|logged|received|registered|submitted)/i,
      /\b(a|your) (support )?(ticket|case) (has been|was) (created|opened|logged|raised)/i,
      // Zendesk's default: "Your request (12345) has been received and is being reviewed by our support staff."
      /\byour (request|ticket|case) \(#?\d{2,}\) has been (received|created|submitted)/i,
      /\b(experiencing|receiving) (a |an )?(high|higher than (usual|normal)|large|unusually high|increased) (volume|number) of (requests|inquiries|enquiries|tickets|e-?mails|messages|support requests)/i,
      /\bresponse times? (may|might|could|will) be (longer|slower|delayed)\b/i,
      /\b(one of our|a member of our|a|our) (support )?(agents?|team members?|specialists?|representatives?|engineers?|support team|team)\s+(will|shall|is going to)\s+(get back|respond|reply|be in touch|contact you|review|look into|follow up|reach out)/i,
      /\b(we|we'll|we will|our team will)\s+(get back to you|respond|reply|be in touch|review your (request|message))\b.{0,40}\b(as soon as (possible|we can)|shortly|soon|within \d+|in \d+)/i,
      /\b(typical|usual|average|expected|current) (response|reply|wait|resolution) time/i,
      /\b(respond|reply|get back to you|be in touch|contact you|answer)\b.{0,40}\bwithin (the next )?(\d+|one|two|three|24|48|72)(\s?(-|–|to|or)\s?\d+)?[- ](business |working )?(hours?|days?|weeks?)\b/i,
      /\b(respond|reply|get back to you|be in touch|contact you|answer)\b.{0,40}\bwithin (a|one) (business |working )?(day|week)\b/i,
      /\b(in the meantime|meanwhile|while you wait),? (you (may|might|can)|feel free to|please|our) (find|check|visit|browse|search|look|take a look|guides?|help|docs|faq)/i,
      /\bhas been assigned to \w+\.? (he|she|they)('ll| will) (get back|reply|respond|be in touch)/i,
      /\b(i|we) read every (message|e-?mail) (myself|ourselves)\b/i,
      /\b(help cent(er|re)|knowledge ?base|faq|community forum)\b.{0,60}\b(answers?|articles?|guides?)/i,
      [/\bthank(s| you)( so much)? for (contacting|reaching out|writing|getting in touch|your (message|e-?mail|request|enquiry|inquiry))\b/i, 0.7],
      // "Thank you for your booking inquiry", "… for your recent order", "… for your application": a form's thanks.
      [/\bthank(s| you) for your ([\w-]+ ){1,2}(enquiry|inquiry|request|submission|application|registration|booking|order|message)\b/i, 0.7],
      /\b(we|this is to) (hereby )?confirm (the )?(receipt|reception) of (your|an?|the)\b/i,
      /\b(here is|here's|below is|this is) a copy of (your|the) (message|submission|enquiry|inquiry|request|form)\b/i,
      /\byou can (view|check|track|see) (the status of )?(your|this) (ticket|request|case)/i,
      /\bto add (additional|more) (comments|information|details),? (simply |just )?reply to this (e-?mail|message)/i,
      /\b(your|this) (ticket|request|case) (number|id|reference) is\b/i,
      /\bwe('ve| have) (logged|registered|assigned) (your|a) (ticket|request|case)/i,
      /\bour (support )?(hours|office hours|business hours) are\b/i,
    ],
    subject: [
      /^\s*(copy of your (form )?(submission|message|enquiry|inquiry)|thank(s| you) for your ([\w-]+ ){0,2}(enquiry|inquiry|submission|application|registration|contact|message))\b/i,
      /^\s*\[?(request|ticket|case)\b.{0,30}\b(received|created|opened|logged)\b/i,
      /\b(we('ve| have)? received|received:|auto(matic)? ?reply|auto-?response|acknowledg(e)?ment)\b/i,
      /^\s*\[?#?[A-Z]{0,6}-?\d{3,}\]?\s*(re:)?\s*(we('ve)? received|thanks for)/i,
    ],
  },
  {
    rule: 'en.ooo',
    label: 'out_of_office',
    weight: 2.2,
    more: 0.6,
    max: 3.5,
    what: 'out-of-office phrasing',
    patterns: [
      /\b(i am|i'm|i will be|i'll be|currently)\s+(currently\s+)?(out of (the )?office|away from (the |my )?(office|desk|e-?mail)|on (annual |parental |maternity |paternity |sick |medical )?(leave|vacation|holiday|holidays)|travel(l)?ing|off (work|sick))/i,
      /\bout of (the )?office\b.{0,60}\b(until|till|returning|back on|through|from)\b/i,
      /\b(limited|no|intermittent) access to (my )?(e-?mail|inbox|messages)/i,
      /\b(i will|i'll|i shall)\s+(be back|return|respond|reply|get back to you)\b.{0,40}\b(on|after|when i return|upon my return|monday|tuesday|wednesday|thursday|friday|\d{1,2}(st|nd|rd|th)?)\b/i,
      /\b(returning|back in the office|back at my desk) on\b/i,
      /\b(i'm|i am) (away|off|hiking|travelling|traveling|at [A-Z]\w+|on the road)\b.{0,40}\buntil\b/i,
      /\buntil \d{1,2}(st|nd|rd|th)? [A-Z][a-z]+\b.{0,40}\b(won't|will not|can't|cannot) (read|check|access|answer|respond)/i,
      /\b(covers?|covering|looking after|is handling)\b.{0,40}\b(while i'm away|in my absence|in the meantime|while i am away)\b/i,
      /\b(we are|we're|our (office|studio|team|shop) is) (closed|away|off) (for|until|from|between)\b/i,
      /\b(i'm|i am) (at \w+|at a conference|attending)\b.{0,40}\b(slow to respond|limited access|will reply)/i,
      /\bfor (urgent|immediate) (matters|issues|requests|assistance|questions),? (please )?(contact|reach|call|email|e-mail|write to)/i,
      /\bmy (e-?mail|messages) will (not )?be (forwarded|read)/i,
    ],
    subject: [
      /^\s*(automatic reply|automatische antwort|out of (the )?office|ooo|away|on vacation|on leave|vacation reply|abwesenheitsnotiz|r[ée]ponse automatique)\b/i,
      /\b(out of (the )?office|on vacation|on holiday|on leave)\b/i,
    ],
  },
  {
    rule: 'en.bounce',
    label: 'bounce',
    weight: 2,
    more: 0.7,
    max: 3.5,
    what: 'delivery-failure phrasing',
    patterns: [
      /\b(message|mail|e-?mail) (could not|couldn't|cannot|can't|was not|wasn't) (be )?(delivered|sent)\b/i,
      /\bdelivery (to the following recipients? )?(has )?(failed|has failed|failure|incomplete|status notification)/i,
      /\b(undeliverable|undelivered mail|returned mail|mail delivery (failed|subsystem|system)|non-?delivery report)\b/i,
      /\b(user|mailbox|recipient|address) (unknown|not found|unavailable|does not exist|is full|disabled|inactive)\b/i,
      // An enhanced status code counts beside an SMTP reply code, '#', 'Status:' or 'smtp;': alone, 5.4.267 is as likely a version.
      /(?:\b[45]\d\d[ -]|#|\bstatus:?\s{0,3}|\bsmtp;?\s{0,3})5\.[0-7]\.\d{1,3}\b|\b5\.[0-7]\.\d{1,3}\s{1,3}(?:smtp|<)/i,
      // A bare SMTP reply code counts with the words of a refusal after it: alone, "BP: 550" is a post-office box.
      /\b55[0-4][ -](?:[^\n]{0,40}?\b(?:user|mailbox|recipient|address|rejected|denied|unknown|unavailable|relay|policy|quota|blocked|no such|not (?:found|exist|permitted)|requested action))/i,
      /\brecipient address rejected\b/i,
      /\bpermanent(ly)? (fatal )?(error|failure)s?\b/i,
      /\b(the following addresses? had|couldn't be delivered to|failed to deliver to)\b/i,
      /\bthis is the mail system at host\b/i,
    ],
    subject: [
      /\b(undeliverable|undelivered|delivery (status notification|failure|failed|has failed)|returned mail|mail delivery failed|failure notice|non-?delivery|delivery notification|nondeliverable)\b/i,
    ],
  },
  {
    rule: 'en.marketing',
    label: 'marketing',
    weight: 1.2,
    more: 0.5,
    max: 3,
    what: 'newsletter/marketing phrasing',
    patterns: [
      /\bunsubscribe\b/i,
      /\bview (this (e-?mail|message|newsletter) )?(in|on) (your |a )?(browser|web)/i,
      /\b(manage|update) (your )?(e-?mail |subscription |notification |communication )?(preferences|settings|subscriptions)\b/i,
      /\byou('re| are) receiving this (e-?mail|message|newsletter)? ?because\b/i,
      /\b\d{1,2}% off\b|\bpromo(tion(al)?)? code\b|\blimited[- ]time offer\b|\bfree trial\b|\bregister (now|today)\b|\bwebinar\b|\bshop now\b/i,
      /\b(newsletter|product updates?|what's new|release highlights|monthly digest|weekly digest)\b/i,
    ],
  },
  {
    rule: 'en.survey',
    label: 'system',
    weight: 1.8,
    more: 0.6,
    max: 3.2,
    what: 'survey/closure notice phrasing',
    patterns: [
      /\bhow (would you rate|did we do|satisfied were you|likely are you to recommend)\b/i,
      /\b(rate|review) (our|the|your) (support|service|experience|conversation|interaction)\b/i,
      /\b(customer )?satisfaction (survey|rating|score)\b/i,
      /\b(take|complete|fill (in|out)) (a|our|this) (short|quick|brief|\d[- ]minute)? ?(survey|questionnaire)/i,
      /\b(your |this )?(ticket|request|case|conversation|incident)( #?[A-Z]{0,6}-?\d+)?( "[^"]{1,80}")? (has been|was|is now|is) (closed|resolved|solved|merged|marked as (resolved|solved|closed)|archived)\b/i,
      /\b(status|state) (changed to|is now|has been changed to|set to) (resolved|closed|done|solved|completed)\b/i,
      // A tracker's change record: Launchpad's "** Changed in: pkg / Status: Confirmed => Won't Fix", Redmine's "Status changed from New to Resolved".
      // Request Tracker's notice to the queue's watchers: "Request 59648 was acted upon. Transaction: Ticket created by …".
      /\brequest \d+ was acted upon\b/i,
      /(?:^|\s)\*\* changed in: |\bstatus: [\w' -]{2,30} => [\w' -]{2,30}|\bstatus changed from [\w' -]{2,30} to [\w' -]{2,30}/i,
      /\bwill be (automatically )?(closed|resolved)( automatically)?\b/i,
      /\bif (you (don't|do not) (respond|reply)|we (don't|do not) hear (back )?from you)\b.{0,60}\b(close|closed|resolve)/i,
      /\b(has been|was) (assigned|escalated|routed) to (the )?(group|queue|team)\b/i,
      /\brate (this|your|the) (request|ticket|conversation|case|support)\b/i,
      /\b(reopen|re-open) (the|this|your) (ticket|request|case)\b/i,
      /\b(good|bad),? i'?m satisfied\b|\bthumbs (up|down)\b/i,
    ],
    subject: [
      /\b(survey|feedback request|rate your|how did we do|(ticket|request|case) (closed|resolved|solved)|has been (closed|resolved|solved))\b/i,
      // Jira's change notices ("[jira] [Closed] (MAILBOX-217) …"); a "[Commented]" notice carries a person's words.
      /^\s*\[jira\] \[(?:created|closed|resolved|updated|assigned|reopened|moved|deleted|work logged)\] \([A-Z][A-Z0-9_]{0,19}-\d{1,7}\)/i,
    ],
  },
  {
    rule: 'en.bot',
    label: 'bot',
    weight: 2.4,
    more: 0.6,
    max: 3.6,
    what: 'AI-agent phrasing',
    patterns: [
      [
        /\b(i am|i'm)\s+(an? |the |your |[\w-]+'s )?(ai|a\.i\.|virtual|digital|automated|artificial intelligence)[- ]?(powered )?(assistant|agent|helper|bot|support agent)\b/i,
        3,
      ],
      [/\b(answers?|responses?|replies|this) (may|might|can) (contain mistakes|be inaccurate|be incorrect|not be accurate)/i, 3],
      /\b(our|the|acme's|an|your) (ai|virtual|digital) (support |customer service |service )?(agent|assistant)\b/i,
      /\bassistant \(ai\)|\(ai\)\s*$|\bai (support )?(agent|assistant)\s*$/im,
      [/\bbased on (our|the) (documentation|help cent(er|re)|knowledge ?base|articles)\b/i, 1],
      [
        /\b(this|the above|my) (answer|response|reply|message) (was|is|has been) (generated|written|drafted|produced|created) (by|with|using) (an? )?(ai|artificial intelligence|our (ai|virtual) (assistant|agent))/i,
        3,
      ],
      /\bai[- ](generated|powered) (answer|response|reply|support)\b/i,
      /\b(was|is) this (answer|response|article|reply) helpful\b/i,
      /\b(talk|speak|chat) (to|with) a (human|person|real person|live agent|team member)\b/i,
      /\b(reply|respond|type) ["“']?(human|agent|person)["”']? to (reach|talk|speak|be connected)/i,
      /\b(fin|freddy|answer ?bot|ada|ai agent|virtual agent)\b.{0,20}\b(ai|assistant|bot|agent)\b/i,
      [/\bpowered by (ai|gpt|openai|claude|fin|zendesk ai|freddy)/i, 3],
    ],
  },
];

const automated: PhraseFamily = {
  rule: 'en.automated',
  label: 'system',
  weight: 1.6,
  more: 0.4,
  max: 2.4,
  what: 'says it is automatic',
  generic: true,
  patterns: [
    /\bthis (is an? )?(automated|automatic|auto-generated|computer-generated|system-generated) (message|notification|e-?mail|mail|response|reply)/i,
    /\b(this|the) (e-?mail|message) is a notification only\b/i,
    // A script's notice of an action it took: "This is a note to let you know that I've just added the patch titled".
    /\bthis is a note to let you know that (i|we)(['’]ve| have) (just )?(added|applied|queued|merged|committed)\b/i,
    /\b(this|the) (message|e-?mail|notification) (was|is|has been) (sent|generated) (automatically|by an automated system)/i,
    /\b(this|the) (message|e-?mail|notification|reply|response) (was|is|has been) (automatically|automatic(ally)?[- ]) ?(generated|sent|created)/i,
    /\(automated notification\)|\bautomated notification\b/i,
    // A banner: "--- Automated Message - … ---", "[Automated e-mail]".
    /(?:^|[-=*[(]\s{0,3})automated (?:message|e-?mail|notice)\s{0,3}(?:[-=*\])]|$)/im,
    /\b(do not|don't|please don't|please do not) reply (to|directly to) this (e-?mail|message|address)/i,
    // Contact-form plugins' footer (WordPress Contact Form 7 and others): "This e-mail was sent from a contact form on …".
    /\bthis (e-?mail|message) was (sent|generated|submitted) (from|via|by|through) (a|the|your) (contact|web|website|enquiry|inquiry) ?form\b/i,
  ],
};

const humanPatterns: RegExp[] = [
  /\b(i|i've|i have|i just|i've just|we've just)\s+(just\s+)?(checked|looked( into| at)?|tested|tried|reproduced|escalated|forwarded|spoken|talked|confirmed|fixed|updated|reset|refunded|applied|reviewed|investigated|asked|passed|raised|found|noticed|pushed|deployed|re-?sent|cancelled|removed|added|enabled|disabled|increased|extended)\b/i,
  /\b(i can|i could|i can't|i couldn't) (see|find|confirm|reproduce|tell)\b/i,
  /\b(i'll|i will|let me) (look|check|dig|investigate|ask|find out|get back|follow up|loop in|escalate|chase|update you|keep you posted)\b/i,
  /\b(looking|digging) into (it|this|that|your)\b/i,
  /\b(could|can|would) you (please )?(send|share|confirm|try|tell|attach|provide|check|let me know|clarify|describe|run|forward)\b/i,
  /\b(does|did) (that|this) (help|work|fix|solve)\b/i,
  /\bsorry (for|about) (the|my) (delay|slow (reply|response)|confusion|trouble|late reply)\b/i,
  /\b(good|great) question\b|\bhappy to help\b|\bhope (this|that) helps\b/i,
  // "Our team is …" opens acknowledgements too ("our team is experiencing a high volume"): only what a team has done counts.
  /\b(on our|on my) (side|end)\b|\bour (engineers?|devs?|developers?|team) (have|has) (fixed|found|deployed|identified|released|confirmed|checked|looked|traced|reproduced|rolled)\b/i,
  /\b(the (issue|problem|bug|error|outage|failure|crash|disconnect(ion)?|drop) (is|was) (caused|due|because|related))\b/i,
  /\b(we|i) (looked|had a look|took a look) (at|into) (the|your) (logs?|account|stream|config(uration)?|settings|setup|request|traces?)\b/i,
  /\bplease try (setting|changing|switching|lowering|raising|increasing|reducing|updating|upgrading|restarting|clearing|using|disabling|enabling|re-?installing)\b/i,
  /\bglad (it|that|this) (works|worked|helped|fixed it)\b|\bglad to hear (it|that)\b/i,
  /\b(should be|is|are) (fine|stable|working( again)?|back( up)?|fixed|resolved) now\b/i,
  /\bknown (bug|issue|problem)\b.{0,40}\b(fixed|patched|resolved) in\b/i,
];

export const englishContentRules: Rule = (view) => {
  const text = flatten(view.fresh);
  const out: Signal[] = [];
  for (const family of [...families, automated]) out.push(...familySignals(text, view.subject, family));
  out.push(...personSignal('en.person-wording', text, humanPatterns, 'first-person working language'));
  return out;
};
