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
  bias: -2225,
  weights: {
    'en.ack:-': -1527,
    'en.ack.subject:-': -1064,
    'en.automated:-': -1063,
    'en.bot:-': -1428,
    'en.bounce:-': -944,
    'en.bounce.subject:-': -1031,
    'en.marketing:-': -648,
    'en.ooo:-': -1048,
    'en.ooo.subject:-': -1029,
    'en.person-wording:+': 972,
    'en.survey:-': -1075,
    'en.survey.subject:-': -1005,
    'header.auto-submitted:-': -2102,
    'header.autoreply-subject:-': -1205,
    'header.bot-sender:-': -1977,
    'header.campaign:-': -1004,
    'header.feedback-id:-': -1091,
    'header.from-daemon:-': -1163,
    'header.list:-': -1234,
    'header.multipart-report:-': -1193,
    'header.noreply-sender:-': -837,
    'header.null-return-path:-': -1333,
    'header.precedence:-': -1041,
    'header.x-auto-response-suppress:-': -608,
    'header.x-autoreply:-': -1099,
    'header.x-failed-recipients:-': -1000,
    'header.x-ms-exchange:-': -1000,
    'helpdesk.agent-comment:+': 1011,
    'helpdesk.freescout:-': -1012,
    'helpdesk.freescout:+': 1000,
    'ja.ack:-': -1074,
    'ja.ack.subject:-': -1012,
    'ja.automated:-': -1019,
    'ja.ooo.subject:-': -1000,
    'layout.broadcast:-': 582,
    'layout.links:-': -1958,
    'layout.pixel:-': 117,
    'layout.report:-': -1801,
    'layout.separators:-': -865,
    'person.brief:+': 1704,
    'person.device:+': 1001,
    'person.first-person:+': 1376,
    'person.format-flowed:+': 1079,
    'person.gmail-composer:+': 781,
    'person.greets-by-name:+': 1086,
    'person.in-thread:+': 2323,
    'person.mail-client:+': 3029,
    'person.personal-mailbox:+': 1217,
    'person.quoting-reply:+': 2996,
    'person.short-question:+': 1240,
    'sender.person-name:+': 2930,
    'signature.person:+': 1074,
    'signature.team:-': -1020,
    'zh.ack:-': -853,
    'zh.ack.subject:-': -1071,
    'zh.automated:-': -1036,
    'zh.bot:-': -1108,
    'zh.bounce:-': -1101,
    'zh.bounce.subject:-': -1070,
    'zh.marketing:-': -1004,
    'zh.ooo:-': -1023,
    'zh.ooo.subject:-': -1010,
    'zh.person-wording:+': 1004,
    'zh.survey:-': -802,
    'zh.survey.subject:-': -1019,
  },
  contextScale: 1000,
  unseenScale: 1000,
  requireEvidence: true,
  minEvidence: 1000,
  humanAt: 500,
  automaticAt: -400,
  trainedOn: {
    corpora: ['../shared/corpus', 'tests/corpus/external.tsv (npm run corpus:fetch)', 'tests/fixtures/mail'],
    mails: 638,
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
        automatic: 56,
      },
      talon: {
        human: 12,
        automatic: 0,
      },
      zammad: {
        human: 19,
        automatic: 22,
      },
      bouncehandler: {
        human: 0,
        automatic: 15,
      },
      bounceparser: {
        human: 0,
        automatic: 17,
      },
      chatwoot: {
        human: 4,
        automatic: 3,
      },
      'django-mailbox': {
        human: 1,
        automatic: 0,
      },
      'email-reply-parser': {
        human: 20,
        automatic: 0,
      },
      emailengine: {
        human: 0,
        automatic: 9,
      },
      enmime: {
        human: 0,
        automatic: 2,
      },
      mailgun: {
        human: 3,
        automatic: 6,
      },
      'go-gmime': {
        human: 1,
        automatic: 6,
      },
      helpy: {
        human: 0,
        automatic: 2,
      },
      'imap-tools': {
        human: 0,
        automatic: 2,
      },
      'mail-parser-stalwart': {
        human: 2,
        automatic: 0,
      },
      mailauth: {
        human: 0,
        automatic: 1,
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
      mimekit: {
        human: 3,
        automatic: 3,
      },
      'linux-mailinglist-archives': {
        human: 72,
        automatic: 56,
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
        automatic: 3,
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
        human: 9,
        automatic: 6,
      },
      'spamscope-mail-parser': {
        human: 1,
        automatic: 3,
      },
      trec06c: {
        human: 26,
        automatic: 0,
      },
      mail: {
        human: 53,
        automatic: 99,
      },
    },
  },
};
