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
  "bias": -2229,
  "weights": {
    "en.ack:-": -1615,
    "en.ack.subject:-": -1059,
    "en.automated:-": -1049,
    "en.bot:-": -1414,
    "en.bounce:-": -1014,
    "en.bounce.subject:-": -1013,
    "en.marketing:-": -620,
    "en.ooo:-": -1249,
    "en.ooo.subject:-": -1034,
    "en.person-wording:+": 997,
    "en.survey:-": -1054,
    "en.survey.subject:-": -1008,
    "header.auto-submitted:-": -2088,
    "header.autoreply-subject:-": -1183,
    "header.bot-sender:-": -1113,
    "header.campaign:-": -1004,
    "header.dmarc-report:-": -1048,
    "header.feedback-id:-": -1230,
    "header.from-daemon:-": -1011,
    "header.list:-": -1203,
    "header.multipart-report:-": -1193,
    "header.noreply-sender:-": -787,
    "header.null-return-path:-": -1839,
    "header.precedence:-": -999,
    "header.receipt-subject:-": -1024,
    "header.system-account:-": -380,
    "header.x-auto-response-suppress:-": -587,
    "header.x-autoreply:-": -1094,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.agent-comment:+": 1010,
    "helpdesk.freescout:-": -1011,
    "helpdesk.freescout:+": 1000,
    "ja.ack:-": -1072,
    "ja.ack.subject:-": -1033,
    "ja.automated:-": -1005,
    "ja.ooo.subject:-": -1001,
    "layout.broadcast:-": 84,
    "layout.commit-notice:-": -1050,
    "layout.links:-": -1850,
    "layout.pixel:-": 97,
    "layout.report:-": -1779,
    "layout.separators:-": -661,
    "person.brief:+": 1746,
    "person.device:+": 1001,
    "person.first-person:+": 1382,
    "person.format-flowed:+": 1079,
    "person.gmail-composer:+": 749,
    "person.greets-by-name:+": 637,
    "person.in-thread:+": 2448,
    "person.mail-client:+": 2988,
    "person.personal-mailbox:+": 1249,
    "person.quoting-reply:+": 2967,
    "person.short-question:+": 1210,
    "sender.person-name:+": 2729,
    "signature.person:+": 1158,
    "signature.team:-": -999,
    "zh.ack:-": -1263,
    "zh.ack.subject:-": -1046,
    "zh.automated:-": -1013,
    "zh.bot:-": -1119,
    "zh.bounce:-": -1000,
    "zh.bounce.subject:-": -1000,
    "zh.marketing:-": -1004,
    "zh.ooo:-": -1024,
    "zh.ooo.subject:-": -1011,
    "zh.person-wording:+": 1003,
    "zh.survey:-": -867,
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
