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
  bias: -2409,
  weights: {
    'en.ack:-': -1395,
    'en.ack.subject:-': -1117,
    'en.automated:-': -1395,
    'en.bot:-': -1292,
    'en.bounce:-': -1003,
    'en.bounce.subject:-': -1006,
    'en.marketing:-': -1311,
    'en.ooo:-': -289,
    'en.ooo.subject:-': -117,
    'en.person-wording:+': 1101,
    'en.survey:-': -1073,
    'en.survey.subject:-': -1047,
    'eu.ack:-': -942,
    'eu.ooo:-': -1000,
    'eu.ooo.subject:-': -1000,
    'header.auto-submitted:-': -1838,
    'header.autoreply-subject:-': -1330,
    'header.bot-sender:-': -1143,
    'header.calendar:-': -1110,
    'header.campaign:-': -1030,
    'header.dmarc-report:-': -1108,
    'header.feedback-id:-': -1068,
    'header.from-daemon:-': -1012,
    'header.list:-': -1171,
    'header.multipart-report:-': -1059,
    'header.noreply-sender:-': -1830,
    'header.null-return-path:-': -1239,
    'header.php-script:-': -1150,
    'header.precedence:-': -1376,
    'header.program-mailer:-': -1355,
    'header.receipt-subject:-': -1010,
    'header.system-account:-': -693,
    'header.tool-notice:-': -1041,
    'header.x-auto-response-suppress:-': -984,
    'header.x-autoreply:-': -1112,
    'header.x-failed-recipients:-': -1000,
    'header.x-ms-exchange:-': -1000,
    'helpdesk.agent-comment:+': 1248,
    'helpdesk.freescout:-': -1008,
    'helpdesk.freescout:+': 1000,
    'ja.ack:-': -1007,
    'ja.ack.subject:-': -1003,
    'ja.automated:-': -1000,
    'ja.ooo.subject:-': -1000,
    'layout.broadcast:-': -515,
    'layout.commit-notice:-': -1017,
    'layout.fields:-': -1548,
    'layout.links:-': -1301,
    'layout.pixel:-': -1103,
    'layout.report:-': -1621,
    'layout.separators:-': -587,
    'person.attribution:+': 1230,
    'person.brief:+': 1674,
    'person.device:+': 1057,
    'person.first-person:+': 1766,
    'person.format-flowed:+': 1080,
    'person.gmail-composer:+': 996,
    'person.greets-by-name:+': 244,
    'person.in-thread:+': 2203,
    'person.mail-client:+': 2965,
    'person.personal-mailbox:+': 1046,
    'person.quoting-reply:+': 2602,
    'person.short-question:+': 1292,
    'sender.person-name:+': 3011,
    'signature.person:+': 751,
    'signature.team:-': -955,
    'zh.ack:-': -1143,
    'zh.ack.subject:-': -1024,
    'zh.automated:-': -1005,
    'zh.bot:-': -1071,
    'zh.bounce:-': -1000,
    'zh.bounce.subject:-': -1000,
    'zh.marketing:-': -1002,
    'zh.ooo:-': -1010,
    'zh.ooo.subject:-': -1005,
    'zh.person-wording:+': 1002,
    'zh.survey:-': -917,
    'zh.survey.subject:-': -1008,
  },
  contextScale: 1000,
  unseenScale: 1000,
  requireEvidence: true,
  minEvidence: 1000,
  humanAt: 500,
  automaticAt: -400,
  trainedOn: {
    corpora: ['../shared/corpus', 'tests/corpus/external.tsv (npm run corpus:fetch)', 'tests/fixtures/mail'],
    mails: 1353,
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
      activecollab: {
        human: 4,
        automatic: 0,
      },
      apache: {
        human: 19,
        automatic: 25,
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
      'comm-central': {
        human: 1,
        automatic: 5,
      },
      'dada-mail': {
        human: 0,
        automatic: 10,
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
      eventum: {
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
      mailcore: {
        human: 5,
        automatic: 7,
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
        human: 412,
        automatic: 222,
      },
      modoboa: {
        human: 0,
        automatic: 5,
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
      'simple-java-mail': {
        human: 0,
        automatic: 2,
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
