// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1, bias: 600, weights: {}, contextScale: 1000, unseenScale: 1000, requireEvidence: false, humanAt: 500, automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  "version": 1,
  "bias": -1661,
  "weights": {
    "en.ack:-": -1489,
    "en.ack.subject:-": -1031,
    "en.automated:-": -1049,
    "en.bot:-": -1568,
    "en.bounce:-": -1011,
    "en.bounce.subject:-": -1007,
    "en.marketing:-": -1668,
    "en.ooo:-": -1106,
    "en.ooo.subject:-": -1010,
    "en.person-wording:+": 1037,
    "en.survey:-": -1080,
    "en.survey.subject:-": -1003,
    "header.auto-submitted:-": -2197,
    "header.autoreply-subject:-": -1140,
    "header.bot-sender:-": -1603,
    "header.campaign:-": -1000,
    "header.feedback-id:-": -959,
    "header.from-daemon:-": -1090,
    "header.list:-": -1546,
    "header.multipart-report:-": -1202,
    "header.noreply-sender:-": -1810,
    "header.null-return-path:-": -1721,
    "header.precedence:-": -1328,
    "header.x-auto-response-suppress:-": -979,
    "header.x-autoreply:-": -1182,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.agent-comment:+": 1086,
    "helpdesk.freescout:-": -1008,
    "helpdesk.freescout:+": 1000,
    "ja.ack:-": -1313,
    "ja.ack.subject:-": -1008,
    "ja.automated:-": -1070,
    "ja.ooo.subject:-": -1004,
    "layout.broadcast:-": -553,
    "layout.links:-": -1637,
    "layout.pixel:-": -1130,
    "layout.report:-": -1837,
    "layout.separators:-": -1374,
    "person.brief:+": 1522,
    "person.device:+": 1050,
    "person.first-person:+": 2949,
    "person.format-flowed:+": 1145,
    "person.gmail-composer:+": 852,
    "person.in-thread:+": 1292,
    "person.mail-client:+": 2448,
    "person.personal-mailbox:+": 43,
    "person.quoting-reply:+": 2218,
    "person.short-question:+": 1541,
    "sender.person-name:+": 2240,
    "signature.person:+": 932,
    "signature.team:-": -984,
    "zh.ack:-": -836,
    "zh.ack.subject:-": -1062,
    "zh.automated:-": -1021,
    "zh.bot:-": -1201,
    "zh.bounce:-": -1061,
    "zh.bounce.subject:-": -1043,
    "zh.marketing:-": -1009,
    "zh.ooo:-": -1008,
    "zh.ooo.subject:-": -1004,
    "zh.person-wording:+": 1002,
    "zh.survey:-": -1030,
    "zh.survey.subject:-": -1021
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
