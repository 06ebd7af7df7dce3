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
  bias: -2359,
  weights: {
    'en.ack:-': -1732,
    'en.ack.subject:-': -1045,
    'en.automated:-': -1137,
    'en.bot:-': -1352,
    'en.bounce:-': -1004,
    'en.bounce.subject:-': -1008,
    'en.marketing:-': -652,
    'en.ooo:-': -631,
    'en.ooo.subject:-': -66,
    'en.person-wording:+': 1083,
    'en.survey:-': -1027,
    'en.survey.subject:-': -1003,
    'eu.ack:-': -985,
    'eu.ooo:-': -1000,
    'eu.ooo.subject:-': -1005,
    'header.auto-submitted:-': -1989,
    'header.autoreply-subject:-': -1345,
    'header.bot-sender:-': -1098,
    'header.campaign:-': -1002,
    'header.dmarc-report:-': -1031,
    'header.feedback-id:-': -1103,
    'header.from-daemon:-': -1012,
    'header.list:-': -1286,
    'header.multipart-report:-': -1095,
    'header.noreply-sender:-': -818,
    'header.null-return-path:-': -1574,
    'header.precedence:-': -1208,
    'header.receipt-subject:-': -1016,
    'header.system-account:-': -717,
    'header.x-auto-response-suppress:-': -623,
    'header.x-autoreply:-': -1130,
    'header.x-failed-recipients:-': -1000,
    'header.x-ms-exchange:-': -1000,
    'helpdesk.agent-comment:+': 1005,
    'helpdesk.freescout:-': -1008,
    'helpdesk.freescout:+': 1000,
    'ja.ack:-': -1043,
    'ja.ack.subject:-': -1015,
    'ja.automated:-': -1003,
    'ja.ooo.subject:-': -1001,
    'layout.broadcast:-': -159,
    'layout.commit-notice:-': -1037,
    'layout.fields:-': -1275,
    'layout.links:-': -1714,
    'layout.pixel:-': -206,
    'layout.report:-': -1661,
    'layout.separators:-': -712,
    'person.brief:+': 1811,
    'person.device:+': 1065,
    'person.first-person:+': 1661,
    'person.format-flowed:+': 1035,
    'person.gmail-composer:+': 870,
    'person.greets-by-name:+': 0,
    'person.in-thread:+': 2603,
    'person.mail-client:+': 3006,
    'person.personal-mailbox:+': 1310,
    'person.quoting-reply:+': 2879,
    'person.short-question:+': 1244,
    'sender.person-name:+': 2943,
    'signature.person:+': 832,
    'signature.team:-': -962,
    'zh.ack:-': -1215,
    'zh.ack.subject:-': -1035,
    'zh.automated:-': -1009,
    'zh.bot:-': -1104,
    'zh.bounce:-': -1000,
    'zh.bounce.subject:-': -1000,
    'zh.marketing:-': -1003,
    'zh.ooo:-': -1016,
    'zh.ooo.subject:-': -1007,
    'zh.person-wording:+': 1002,
    'zh.survey:-': -864,
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
