// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1, bias: 600, weights: {}, contextScale: 1000, unseenScale: 1000, requireEvidence: false, humanAt: 500, automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  "version": 1,
  "bias": -1598,
  "weights": {
    "en.ack:-": -1505,
    "en.ack.subject:-": -1031,
    "en.automated:-": -1036,
    "en.bot:-": -1576,
    "en.bounce:-": -1012,
    "en.bounce.subject:-": -1008,
    "en.marketing:-": -1734,
    "en.ooo:-": -1110,
    "en.ooo.subject:-": -1011,
    "en.person-wording:+": 968,
    "en.survey:-": -1089,
    "en.survey.subject:-": -1004,
    "header.auto-submitted:-": -2061,
    "header.autoreply-subject:-": -1146,
    "header.bot-sender:-": -1684,
    "header.campaign:-": -1000,
    "header.feedback-id:-": -951,
    "header.from-daemon:-": -1123,
    "header.list:-": -1549,
    "header.multipart-report:-": -1208,
    "header.noreply-sender:-": -1837,
    "header.null-return-path:-": -1738,
    "header.precedence:-": -1380,
    "header.x-auto-response-suppress:-": -983,
    "header.x-autoreply:-": -1239,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.freescout:-": -1009,
    "helpdesk.freescout:+": 1000,
    "layout.broadcast:-": -551,
    "layout.links:-": -1681,
    "layout.pixel:-": -1134,
    "layout.report:-": -1873,
    "layout.separators:-": -1323,
    "person.brief:+": 1454,
    "person.device:+": 1046,
    "person.first-person:+": 2980,
    "person.format-flowed:+": 1150,
    "person.gmail-composer:+": 815,
    "person.in-thread:+": 1275,
    "person.mail-client:+": 2444,
    "person.personal-mailbox:+": 14,
    "person.quoting-reply:+": 2321,
    "person.short-question:+": 1519,
    "sender.person-name:+": 2332,
    "signature.person:+": 908,
    "signature.team:-": -987,
    "zh.ack:-": -845,
    "zh.ack.subject:-": -1063,
    "zh.automated:-": -1023,
    "zh.bot:-": -1206,
    "zh.bounce:-": -1087,
    "zh.bounce.subject:-": -1061,
    "zh.marketing:-": -1010,
    "zh.ooo:-": -1009,
    "zh.ooo.subject:-": -1004,
    "zh.person-wording:+": 1002,
    "zh.survey:-": -1031,
    "zh.survey.subject:-": -1022
  },
  "contextScale": 1000,
  "unseenScale": 1000,
  "requireEvidence": true,
  "humanAt": 500,
  "automaticAt": -400,
  "trainedOn": {
    "corpora": [
      "../shared/corpus",
      "tests/fixtures/mail"
    ],
    "mails": 606,
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
        "human": 53,
        "automatic": 56
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
        "human": 0,
        "automatic": 25
      },
      "spamscope-mail-parser": {
        "human": 0,
        "automatic": 4
      },
      "trec06c": {
        "human": 13,
        "automatic": 0
      },
      "zammad": {
        "human": 18,
        "automatic": 21
      },
      "mail": {
        "human": 53,
        "automatic": 99
      }
    }
  }
};
