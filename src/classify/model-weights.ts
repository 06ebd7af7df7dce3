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
  "bias": -2223,
  "weights": {
    "en.ack:-": -1610,
    "en.ack.subject:-": -1059,
    "en.automated:-": -1050,
    "en.bot:-": -1411,
    "en.bounce:-": -1014,
    "en.bounce.subject:-": -1013,
    "en.marketing:-": -619,
    "en.ooo:-": -1245,
    "en.ooo.subject:-": -1033,
    "en.person-wording:+": 998,
    "en.survey:-": -1054,
    "en.survey.subject:-": -1008,
    "header.auto-submitted:-": -2085,
    "header.autoreply-subject:-": -1178,
    "header.bot-sender:-": -1171,
    "header.campaign:-": -1004,
    "header.dmarc-report:-": -1048,
    "header.feedback-id:-": -1232,
    "header.from-daemon:-": -1017,
    "header.list:-": -1206,
    "header.multipart-report:-": -1194,
    "header.noreply-sender:-": -783,
    "header.null-return-path:-": -1927,
    "header.precedence:-": -991,
    "header.receipt-subject:-": -1413,
    "header.system-account:-": -382,
    "header.x-auto-response-suppress:-": -582,
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
    "layout.broadcast:-": 85,
    "layout.commit-notice:-": -1049,
    "layout.links:-": -1843,
    "layout.pixel:-": 105,
    "layout.report:-": -1780,
    "layout.separators:-": -654,
    "person.brief:+": 1753,
    "person.device:+": 1001,
    "person.first-person:+": 1375,
    "person.format-flowed:+": 1079,
    "person.gmail-composer:+": 750,
    "person.greets-by-name:+": 651,
    "person.in-thread:+": 2421,
    "person.mail-client:+": 2950,
    "person.personal-mailbox:+": 1249,
    "person.quoting-reply:+": 2968,
    "person.short-question:+": 1210,
    "sender.person-name:+": 2710,
    "signature.person:+": 1168,
    "signature.team:-": -998,
    "zh.ack:-": -1257,
    "zh.ack.subject:-": -1044,
    "zh.automated:-": -1013,
    "zh.bot:-": -1117,
    "zh.bounce:-": -1004,
    "zh.bounce.subject:-": -1003,
    "zh.marketing:-": -1004,
    "zh.ooo:-": -1023,
    "zh.ooo.subject:-": -1010,
    "zh.person-wording:+": 1003,
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
