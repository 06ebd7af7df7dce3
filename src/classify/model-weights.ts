// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1, bias: 600, weights: {}, contextScale: 1000, unseenScale: 1000, requireEvidence: false, humanAt: 500, automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  "version": 1,
  "bias": -1658,
  "weights": {
    "en.ack:-": -1487,
    "en.ack.subject:-": -1051,
    "en.automated:-": -1048,
    "en.bot:-": -1558,
    "en.bounce:-": -1011,
    "en.bounce.subject:-": -1007,
    "en.marketing:-": -1664,
    "en.ooo:-": -1149,
    "en.ooo.subject:-": -1021,
    "en.person-wording:+": 1039,
    "en.survey:-": -1080,
    "en.survey.subject:-": -1003,
    "header.auto-submitted:-": -2192,
    "header.autoreply-subject:-": -1220,
    "header.bot-sender:-": -1882,
    "header.campaign:-": -1000,
    "header.feedback-id:-": -959,
    "header.from-daemon:-": -1088,
    "header.list:-": -1541,
    "header.multipart-report:-": -1196,
    "header.noreply-sender:-": -1811,
    "header.null-return-path:-": -1723,
    "header.precedence:-": -1325,
    "header.x-auto-response-suppress:-": -979,
    "header.x-autoreply:-": -1175,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.agent-comment:+": 1089,
    "helpdesk.freescout:-": -1008,
    "helpdesk.freescout:+": 1000,
    "ja.ack:-": -1310,
    "ja.ack.subject:-": -1008,
    "ja.automated:-": -1069,
    "ja.ooo.subject:-": -1004,
    "layout.broadcast:-": -549,
    "layout.links:-": -1637,
    "layout.pixel:-": -1129,
    "layout.report:-": -1834,
    "layout.separators:-": -1374,
    "person.brief:+": 1520,
    "person.device:+": 1051,
    "person.first-person:+": 2919,
    "person.format-flowed:+": 1147,
    "person.gmail-composer:+": 857,
    "person.in-thread:+": 1256,
    "person.mail-client:+": 2441,
    "person.personal-mailbox:+": 43,
    "person.quoting-reply:+": 2202,
    "person.short-question:+": 1546,
    "sender.person-name:+": 2247,
    "signature.person:+": 939,
    "signature.team:-": -982,
    "zh.ack:-": -828,
    "zh.ack.subject:-": -1061,
    "zh.automated:-": -1020,
    "zh.bot:-": -1197,
    "zh.bounce:-": -1060,
    "zh.bounce.subject:-": -1042,
    "zh.marketing:-": -1009,
    "zh.ooo:-": -1017,
    "zh.ooo.subject:-": -1008,
    "zh.person-wording:+": 1002,
    "zh.survey:-": -1030,
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
