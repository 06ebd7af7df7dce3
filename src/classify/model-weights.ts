// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1, bias: 600, weights: {}, contextScale: 1000, unseenScale: 1000, requireEvidence: false, humanAt: 500, automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  "version": 1,
  "bias": -1678,
  "weights": {
    "en.ack:-": -1399,
    "en.ack.subject:-": -1034,
    "en.automated:-": -1058,
    "en.bot:-": -1624,
    "en.bounce:-": -1011,
    "en.bounce.subject:-": -1007,
    "en.marketing:-": -1557,
    "en.ooo:-": -1118,
    "en.ooo.subject:-": -1011,
    "en.person-wording:+": 1296,
    "en.survey:-": -1081,
    "en.survey.subject:-": -1003,
    "header.auto-submitted:-": -2162,
    "header.autoreply-subject:-": -1147,
    "header.bot-sender:-": -1617,
    "header.campaign:-": -1000,
    "header.feedback-id:-": -959,
    "header.from-daemon:-": -1087,
    "header.list:-": -1568,
    "header.multipart-report:-": -1210,
    "header.noreply-sender:-": -1819,
    "header.null-return-path:-": -1719,
    "header.precedence:-": -1330,
    "header.x-auto-response-suppress:-": -966,
    "header.x-autoreply:-": -1191,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.freescout:-": -1010,
    "helpdesk.freescout:+": 1000,
    "ja.ack:-": -1315,
    "ja.ack.subject:-": -1008,
    "ja.automated:-": -1068,
    "ja.ooo.subject:-": -1004,
    "layout.broadcast:-": -593,
    "layout.links:-": -1513,
    "layout.pixel:-": -1151,
    "layout.report:-": -1828,
    "layout.separators:-": -1225,
    "person.brief:+": 1521,
    "person.device:+": 1051,
    "person.first-person:+": 3006,
    "person.format-flowed:+": 1142,
    "person.gmail-composer:+": 838,
    "person.in-thread:+": 1340,
    "person.mail-client:+": 2446,
    "person.personal-mailbox:+": 50,
    "person.quoting-reply:+": 2194,
    "person.short-question:+": 1552,
    "sender.person-name:+": 2246,
    "signature.person:+": 914,
    "signature.team:-": -995,
    "zh.ack:-": -852,
    "zh.ack.subject:-": -1061,
    "zh.automated:-": -1020,
    "zh.bot:-": -1209,
    "zh.bounce:-": -1059,
    "zh.bounce.subject:-": -1042,
    "zh.marketing:-": -1009,
    "zh.ooo:-": -1008,
    "zh.ooo.subject:-": -1004,
    "zh.person-wording:+": 1002,
    "zh.survey:-": -1029,
    "zh.survey.subject:-": -1020
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
      "tests/fixtures/mail"
    ],
    "mails": 650,
    "options": {
      "l2": 0.002,
      "iterations": 3000,
      "learningRate": 0.5,
      "automaticCost": 2,
      "priorScale": 1
    },
    "sources": {
      "bouncehandler": {
        "human": 0,
        "automatic": 7
      },
      "bounceparser": {
        "human": 0,
        "automatic": 6
      },
      "chatwoot": {
        "human": 1,
        "automatic": 0
      },
      "discourse": {
        "human": 35,
        "automatic": 9
      },
      "django-mailbox": {
        "human": 1,
        "automatic": 0
      },
      "email-reply-parser": {
        "human": 34,
        "automatic": 0
      },
      "mailgun": {
        "human": 27,
        "automatic": 2
      },
      "go-gmime": {
        "human": 0,
        "automatic": 4
      },
      "linux-mailinglist-archives": {
        "human": 62,
        "automatic": 83
      },
      "mail-parser-stalwart": {
        "human": 2,
        "automatic": 0
      },
      "mailauth": {
        "human": 0,
        "automatic": 1
      },
      "mailspring": {
        "human": 15,
        "automatic": 0
      },
      "mikel-mail": {
        "human": 0,
        "automatic": 7
      },
      "mimekit": {
        "human": 5,
        "automatic": 1
      },
      "mu": {
        "human": 12,
        "automatic": 0
      },
      "otrs": {
        "human": 0,
        "automatic": 1
      },
      "parsedmarc": {
        "human": 0,
        "automatic": 8
      },
      "patchwork": {
        "human": 2,
        "automatic": 0
      },
      "php-mime-mail-parser": {
        "human": 1,
        "automatic": 3
      },
      "quotequail": {
        "human": 2,
        "automatic": 0
      },
      "redmine": {
        "human": 10,
        "automatic": 0
      },
      "rt": {
        "human": 9,
        "automatic": 1
      },
      "sisimai": {
        "human": 2,
        "automatic": 56
      },
      "spamassassin": {
        "human": 1,
        "automatic": 25
      },
      "spamscope-mail-parser": {
        "human": 0,
        "automatic": 4
      },
      "trec06c": {
        "human": 18,
        "automatic": 0
      },
      "zammad": {
        "human": 19,
        "automatic": 22
      },
      "mail": {
        "human": 53,
        "automatic": 99
      }
    }
  }
};
