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
  bias: -2366,
  weights: {
    'en.ack:-': -1560,
    'en.ack.subject:-': -1048,
    'en.automated:-': -1283,
    'en.bot:-': -1338,
    'en.bounce:-': -1005,
    'en.bounce.subject:-': -1008,
    'en.marketing:-': -734,
    'en.ooo:-': -471,
    'en.ooo.subject:-': -179,
    'en.person-wording:+': 1087,
    'en.survey:-': -1027,
    'en.survey.subject:-': -1004,
    'eu.ack:-': -981,
    'eu.ooo:-': -1000,
    'eu.ooo.subject:-': -1004,
    'header.auto-submitted:-': -1986,
    'header.autoreply-subject:-': -1370,
    'header.bot-sender:-': -1121,
    'header.campaign:-': -1181,
    'header.dmarc-report:-': -1029,
    'header.feedback-id:-': -1102,
    'header.from-daemon:-': -1012,
    'header.list:-': -1220,
    'header.multipart-report:-': -1088,
    'header.noreply-sender:-': -855,
    'header.null-return-path:-': -1205,
    'header.php-script:-': -1162,
    'header.precedence:-': -1462,
    'header.receipt-subject:-': -1017,
    'header.system-account:-': -686,
    'header.x-auto-response-suppress:-': -649,
    'header.x-autoreply:-': -1125,
    'header.x-failed-recipients:-': -1000,
    'header.x-ms-exchange:-': -1000,
    'helpdesk.agent-comment:+': 1006,
    'helpdesk.freescout:-': -1010,
    'helpdesk.freescout:+': 1000,
    'ja.ack:-': -1033,
    'ja.ack.subject:-': -1011,
    'ja.automated:-': -1002,
    'ja.ooo.subject:-': -1000,
    'layout.broadcast:-': -368,
    'layout.commit-notice:-': -1033,
    'layout.fields:-': -1257,
    'layout.links:-': -1691,
    'layout.pixel:-': 0,
    'layout.report:-': -1617,
    'layout.separators:-': -667,
    'person.attribution:+': 1222,
    'person.brief:+': 1746,
    'person.device:+': 1058,
    'person.first-person:+': 1504,
    'person.format-flowed:+': 1057,
    'person.gmail-composer:+': 932,
    'person.greets-by-name:+': 9,
    'person.in-thread:+': 2620,
    'person.mail-client:+': 3058,
    'person.personal-mailbox:+': 908,
    'person.quoting-reply:+': 2956,
    'person.short-question:+': 1230,
    'sender.person-name:+': 2949,
    'signature.person:+': 830,
    'signature.team:-': -965,
    'zh.ack:-': -1220,
    'zh.ack.subject:-': -1036,
    'zh.automated:-': -1010,
    'zh.bot:-': -1099,
    'zh.bounce:-': -1000,
    'zh.bounce.subject:-': -1000,
    'zh.marketing:-': -1003,
    'zh.ooo:-': -1015,
    'zh.ooo.subject:-': -1007,
    'zh.person-wording:+': 1002,
    'zh.survey:-': -862,
    'zh.survey.subject:-': -1012,
  },
  contextScale: 1000,
  unseenScale: 1000,
  requireEvidence: true,
  minEvidence: 1000,
  humanAt: 500,
  automaticAt: -400,
  trainedOn: {
    corpora: ['../shared/corpus', 'tests/corpus/external.tsv (npm run corpus:fetch)', 'tests/fixtures/mail'],
    mails: 898,
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
        automatic: 60,
      },
      talon: {
        human: 12,
        automatic: 0,
      },
      zammad: {
        human: 19,
        automatic: 22,
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
        human: 130,
        automatic: 110,
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
