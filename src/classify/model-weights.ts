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
  bias: -2530,
  weights: {
    'en.ack:-': -1454,
    'en.ack.subject:-': -1147,
    'en.automated:-': -1447,
    'en.bot:-': -1307,
    'en.bounce:-': -1002,
    'en.bounce.subject:-': -1005,
    'en.marketing:-': -552,
    'en.ooo:-': -337,
    'en.ooo.subject:-': -169,
    'en.person-wording:+': 1094,
    'en.survey:-': -1071,
    'en.survey.subject:-': -1178,
    'eu.ack:-': -945,
    'eu.ooo:-': -1000,
    'eu.ooo.subject:-': -1000,
    'header.auto-submitted:-': -1875,
    'header.autoreply-subject:-': -1331,
    'header.bot-sender:-': -1139,
    'header.campaign:-': -1099,
    'header.dmarc-report:-': -1096,
    'header.feedback-id:-': -922,
    'header.from-daemon:-': -1013,
    'header.list:-': -1182,
    'header.multipart-report:-': -1062,
    'header.noreply-sender:-': -1184,
    'header.null-return-path:-': -1201,
    'header.php-script:-': -1124,
    'header.precedence:-': -1413,
    'header.program-mailer:-': -1313,
    'header.receipt-subject:-': -1014,
    'header.system-account:-': -840,
    'header.tool-notice:-': -1041,
    'header.x-auto-response-suppress:-': -648,
    'header.x-autoreply:-': -1115,
    'header.x-failed-recipients:-': -1000,
    'header.x-ms-exchange:-': -1000,
    'helpdesk.agent-comment:+': 1004,
    'helpdesk.freescout:-': -1009,
    'helpdesk.freescout:+': 1000,
    'ja.ack:-': -1006,
    'ja.ack.subject:-': -1003,
    'ja.automated:-': -1000,
    'ja.ooo.subject:-': -1000,
    'layout.broadcast:-': -435,
    'layout.commit-notice:-': -1018,
    'layout.fields:-': -1482,
    'layout.links:-': -1771,
    'layout.pixel:-': 0,
    'layout.report:-': -1570,
    'layout.separators:-': -602,
    'person.attribution:+': 1287,
    'person.brief:+': 1682,
    'person.device:+': 1060,
    'person.first-person:+': 1709,
    'person.format-flowed:+': 1068,
    'person.gmail-composer:+': 1068,
    'person.greets-by-name:+': 243,
    'person.in-thread:+': 2617,
    'person.mail-client:+': 2982,
    'person.personal-mailbox:+': 994,
    'person.quoting-reply:+': 2538,
    'person.short-question:+': 1283,
    'sender.person-name:+': 3160,
    'signature.person:+': 898,
    'signature.team:-': -970,
    'zh.ack:-': -1161,
    'zh.ack.subject:-': -1027,
    'zh.automated:-': -1005,
    'zh.bot:-': -1080,
    'zh.bounce:-': -1000,
    'zh.bounce.subject:-': -1000,
    'zh.marketing:-': -1002,
    'zh.ooo:-': -1014,
    'zh.ooo.subject:-': -1006,
    'zh.person-wording:+': 1001,
    'zh.survey:-': -919,
    'zh.survey.subject:-': -1007,
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
      'apache-james': {
        human: 2,
        automatic: 7,
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
      'commons-email': {
        human: 1,
        automatic: 1,
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
      ponymail: {
        human: 2,
        automatic: 1,
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
