// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1,
  bias: 600,
  weights: {},
  contextScale: 1000,
  unseenScale: 1000,
  requireEvidence: false,
  humanAt: 500,
  automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  version: 1,
  bias: -2372,
  weights: {
    'en.ack:-': -1585,
    'en.ack.subject:-': -1152,
    'en.automated:-': -1297,
    'en.bot:-': -1333,
    'en.bounce:-': -1003,
    'en.bounce.subject:-': -1007,
    'en.marketing:-': -633,
    'en.ooo:-': -297,
    'en.ooo.subject:-': -29,
    'en.person-wording:+': 1110,
    'en.survey:-': -1085,
    'en.survey.subject:-': -1003,
    'eu.ack:-': -935,
    'eu.ooo:-': -1000,
    'eu.ooo.subject:-': -1000,
    'header.auto-submitted:-': -1948,
    'header.autoreply-subject:-': -1391,
    'header.bot-sender:-': -1154,
    'header.campaign:-': -1134,
    'header.dmarc-report:-': -1029,
    'header.feedback-id:-': -1104,
    'header.from-daemon:-': -1011,
    'header.list:-': -1219,
    'header.multipart-report:-': -1083,
    'header.noreply-sender:-': -844,
    'header.null-return-path:-': -1216,
    'header.php-script:-': -1151,
    'header.precedence:-': -1444,
    'header.program-mailer:-': -1388,
    'header.receipt-subject:-': -1014,
    'header.system-account:-': -663,
    'header.tool-notice:-': -1048,
    'header.x-auto-response-suppress:-': -645,
    'header.x-autoreply:-': -1128,
    'header.x-failed-recipients:-': -1000,
    'header.x-ms-exchange:-': -1000,
    'helpdesk.agent-comment:+': 1006,
    'helpdesk.freescout:-': -1009,
    'helpdesk.freescout:+': 1000,
    'ja.ack:-': -1007,
    'ja.ack.subject:-': -1004,
    'ja.automated:-': -1000,
    'ja.ooo.subject:-': -1000,
    'layout.broadcast:-': -373,
    'layout.commit-notice:-': -1022,
    'layout.fields:-': -1610,
    'layout.links:-': -1686,
    'layout.pixel:-': -11,
    'layout.report:-': -1608,
    'layout.separators:-': -604,
    'person.attribution:+': 1231,
    'person.brief:+': 1772,
    'person.device:+': 1064,
    'person.first-person:+': 1561,
    'person.format-flowed:+': 1074,
    'person.gmail-composer:+': 953,
    'person.greets-by-name:+': 148,
    'person.in-thread:+': 2496,
    'person.mail-client:+': 3040,
    'person.personal-mailbox:+': 962,
    'person.quoting-reply:+': 2560,
    'person.short-question:+': 1281,
    'sender.person-name:+': 2927,
    'signature.person:+': 670,
    'signature.team:-': -958,
    'zh.ack:-': -1198,
    'zh.ack.subject:-': -1033,
    'zh.automated:-': -1006,
    'zh.bot:-': -1093,
    'zh.bounce:-': -1000,
    'zh.bounce.subject:-': -1000,
    'zh.marketing:-': -1003,
    'zh.ooo:-': -1013,
    'zh.ooo.subject:-': -1006,
    'zh.person-wording:+': 1002,
    'zh.survey:-': -903,
    'zh.survey.subject:-': -1011,
  },
  contextScale: 1000,
  unseenScale: 1000,
  requireEvidence: true,
  minEvidence: 1000,
  humanAt: 500,
  automaticAt: -400,
  trainedOn: {
    corpora: ['../shared/corpus', 'tests/corpus/external.tsv (npm run corpus:fetch)', 'tests/fixtures/mail'],
    mails: 1291,
    options: {
      l2: 0.002,
      iterations: 3000,
      learningRate: 0.5,
      automaticCost: 2,
      priorScale: 1,
    },
    sources: {
      discourse: {
        human: 12,
        automatic: 9,
      },
      rt: {
        human: 9,
        automatic: 1,
      },
      sisimai: {
        human: 2,
        automatic: 59,
      },
      talon: {
        human: 12,
        automatic: 0,
      },
      zammad: {
        human: 18,
        automatic: 22,
      },
      abuseio: {
        human: 0,
        automatic: 8,
      },
      'bounce-email': {
        human: 0,
        automatic: 2,
      },
      bouncehandler: {
        human: 0,
        automatic: 22,
      },
      bounceparser: {
        human: 0,
        automatic: 17,
      },
      chatwoot: {
        human: 4,
        automatic: 3,
      },
      'combodo-email-synchro': {
        human: 13,
        automatic: 7,
      },
      deltachat: {
        human: 0,
        automatic: 9,
      },
      'django-helpdesk': {
        human: 3,
        automatic: 0,
      },
      'django-mailbox': {
        human: 1,
        automatic: 0,
      },
      'email-reply-parser': {
        human: 42,
        automatic: 1,
      },
      postalsys: {
        human: 0,
        automatic: 10,
      },
      'eml-parser': {
        human: 0,
        automatic: 1,
      },
      enmime: {
        human: 0,
        automatic: 2,
      },
      enron: {
        human: 4,
        automatic: 2,
      },
      espocrm: {
        human: 0,
        automatic: 2,
      },
      mailgun: {
        human: 5,
        automatic: 6,
      },
      'flufl-bounce': {
        human: 0,
        automatic: 10,
      },
      'go-gmime': {
        human: 1,
        automatic: 6,
      },
      helpy: {
        human: 0,
        automatic: 2,
      },
      'ietf-mailarchive': {
        human: 1,
        automatic: 1,
      },
      'imap-tools': {
        human: 0,
        automatic: 2,
      },
      jpmobile: {
        human: 1,
        automatic: 0,
      },
      'mail-parser-stalwart': {
        human: 2,
        automatic: 0,
      },
      mailpile: {
        human: 1,
        automatic: 5,
      },
      mailspring: {
        human: 6,
        automatic: 0,
      },
      'mikel-mail': {
        human: 2,
        automatic: 10,
      },
      'mime-tools': {
        human: 4,
        automatic: 0,
      },
      mimekit: {
        human: 3,
        automatic: 3,
      },
      'linux-mailinglist-archives': {
        human: 405,
        automatic: 222,
      },
      mu: {
        human: 6,
        automatic: 1,
      },
      'nodemailer-mailparser': {
        human: 0,
        automatic: 1,
      },
      nylas: {
        human: 1,
        automatic: 1,
      },
      otrs: {
        human: 5,
        automatic: 4,
      },
      parsedmarc: {
        human: 0,
        automatic: 8,
      },
      patchwork: {
        human: 4,
        automatic: 0,
      },
      'php-imap': {
        human: 2,
        automatic: 2,
      },
      'php-mime-mail-parser': {
        human: 2,
        automatic: 4,
      },
      redmine: {
        human: 6,
        automatic: 0,
      },
      rspamd: {
        human: 1,
        automatic: 0,
      },
      spamassassin: {
        human: 14,
        automatic: 16,
      },
      'spamscope-mail-parser': {
        human: 1,
        automatic: 3,
      },
      tine20: {
        human: 4,
        automatic: 14,
      },
      trec06c: {
        human: 44,
        automatic: 0,
      },
      mail: {
        human: 53,
        automatic: 99,
      },
    },
  },
};
