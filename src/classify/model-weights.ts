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
  "version": 1,
  "bias": -2213,
  "weights": {
    "en.ack:-": -1599,
    "en.ack.subject:-": -1057,
    "en.automated:-": -1051,
    "en.bot:-": -1403,
    "en.bounce:-": -1037,
    "en.bounce.subject:-": -1022,
    "en.marketing:-": -604,
    "en.ooo:-": -1228,
    "en.ooo.subject:-": -1034,
    "en.person-wording:+": 1003,
    "en.survey:-": -1055,
    "en.survey.subject:-": -1009,
    "header.auto-submitted:-": -2071,
    "header.autoreply-subject:-": -1172,
    "header.bot-sender:-": -1784,
    "header.campaign:-": -1004,
    "header.dmarc-report:-": -1049,
    "header.feedback-id:-": -1236,
    "header.from-daemon:-": -1117,
    "header.list:-": -1207,
    "header.multipart-report:-": -1190,
    "header.noreply-sender:-": -775,
    "header.null-return-path:-": -1915,
    "header.precedence:-": -985,
    "header.receipt-subject:-": -1406,
    "header.system-account:-": -382,
    "header.x-auto-response-suppress:-": -577,
    "header.x-autoreply:-": -1091,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.agent-comment:+": 1010,
    "helpdesk.freescout:-": -1010,
    "helpdesk.freescout:+": 1000,
    "ja.ack:-": -1072,
    "ja.ack.subject:-": -1033,
    "ja.automated:-": -1005,
    "ja.ooo.subject:-": -1001,
    "layout.broadcast:-": 90,
    "layout.commit-notice:-": -1049,
    "layout.links:-": -1848,
    "layout.pixel:-": 112,
    "layout.report:-": -1766,
    "layout.separators:-": -656,
    "person.brief:+": 1739,
    "person.device:+": 1001,
    "person.first-person:+": 1368,
    "person.format-flowed:+": 1082,
    "person.gmail-composer:+": 759,
    "person.greets-by-name:+": 670,
    "person.in-thread:+": 2349,
    "person.mail-client:+": 2946,
    "person.personal-mailbox:+": 1249,
    "person.quoting-reply:+": 2895,
    "person.short-question:+": 1219,
    "sender.person-name:+": 2705,
    "signature.person:+": 1180,
    "signature.team:-": -995,
    "zh.ack:-": -1248,
    "zh.ack.subject:-": -1043,
    "zh.automated:-": -1012,
    "zh.bot:-": -1112,
    "zh.bounce:-": -1070,
    "zh.bounce.subject:-": -1049,
    "zh.marketing:-": -1004,
    "zh.ooo:-": -1022,
    "zh.ooo.subject:-": -1010,
    "zh.person-wording:+": 1004,
    "zh.survey:-": -866,
    "zh.survey.subject:-": -1017
  },
  "contextScale": 1000,
  "unseenScale": 1000,
  "requireEvidence": true,
  "minEvidence": 1000,
  "humanAt": 500,
  "automaticAt": -400,
  "trainedOn": {
    "corpora": [
      "../shared/corpus",
      "tests/corpus/external.tsv (npm run corpus:fetch)",
      "tests/fixtures/mail"
    ],
    "mails": 717,
    "options": {
      "l2": 0.002,
      "iterations": 3000,
      "learningRate": 0.5,
      "automaticCost": 2,
      "priorScale": 1
    },
    "sources": {
      "discourse": {
        "human": 12,
        "automatic": 9
      },
      "rt": {
        "human": 9,
        "automatic": 1
      },
      "sisimai": {
        "human": 2,
        "automatic": 60
      },
      "talon": {
        "human": 12,
        "automatic": 0
      },
      "zammad": {
        "human": 19,
        "automatic": 22
      },
      "bouncehandler": {
        "human": 0,
        "automatic": 20
      },
      "bounceparser": {
        "human": 0,
        "automatic": 17
      },
      "chatwoot": {
        "human": 4,
        "automatic": 3
      },
      "django-mailbox": {
        "human": 1,
        "automatic": 0
      },
      "email-reply-parser": {
        "human": 20,
        "automatic": 0
      },
      "postalsys": {
        "human": 0,
        "automatic": 10
      },
      "enmime": {
        "human": 0,
        "automatic": 2
      },
      "mailgun": {
        "human": 3,
        "automatic": 6
      },
      "go-gmime": {
        "human": 1,
        "automatic": 6
      },
      "helpy": {
        "human": 0,
        "automatic": 2
      },
      "imap-tools": {
        "human": 0,
        "automatic": 2
      },
      "mail-parser-stalwart": {
        "human": 2,
        "automatic": 0
      },
      "mailpile": {
        "human": 1,
        "automatic": 5
      },
      "mailspring": {
        "human": 6,
        "automatic": 0
      },
      "mikel-mail": {
        "human": 2,
        "automatic": 10
      },
      "mimekit": {
        "human": 3,
        "automatic": 3
      },
      "linux-mailinglist-archives": {
        "human": 87,
        "automatic": 86
      },
      "mu": {
        "human": 6,
        "automatic": 1
      },
      "nodemailer-mailparser": {
        "human": 0,
        "automatic": 1
      },
      "nylas": {
        "human": 1,
        "automatic": 1
      },
      "otrs": {
        "human": 5,
        "automatic": 4
      },
      "parsedmarc": {
        "human": 0,
        "automatic": 8
      },
      "patchwork": {
        "human": 4,
        "automatic": 0
      },
      "php-imap": {
        "human": 2,
        "automatic": 2
      },
      "php-mime-mail-parser": {
        "human": 2,
        "automatic": 4
      },
      "redmine": {
        "human": 6,
        "automatic": 0
      },
      "rspamd": {
        "human": 1,
        "automatic": 0
      },
      "spamassassin": {
        "human": 9,
        "automatic": 15
      },
      "spamscope-mail-parser": {
        "human": 1,
        "automatic": 3
      },
      "trec06c": {
        "human": 41,
        "automatic": 0
      },
      "mail": {
        "human": 53,
        "automatic": 99
      }
    }
  }
};
