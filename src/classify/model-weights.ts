// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1, bias: 600, weights: {}, contextScale: 1000, unseenScale: 1000, requireEvidence: false, humanAt: 500, automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  "version": 1,
  "bias": -1555,
  "weights": {
    "en.ack:-": -1361,
    "en.ack.subject:-": -1257,
    "en.automated:-": -1028,
    "en.bot:-": -1367,
    "en.bounce:-": -1010,
    "en.bounce.subject:-": -1005,
    "en.marketing:-": -1685,
    "en.ooo:-": -1414,
    "en.ooo.subject:-": -1114,
    "en.person-wording:+": 1070,
    "en.survey:-": -1080,
    "en.survey.subject:-": -1005,
    "header.auto-submitted:-": -2019,
    "header.campaign:-": -1000,
    "header.feedback-id:-": -931,
    "header.from-daemon:-": -1079,
    "header.list:-": -1450,
    "header.multipart-report:-": -1089,
    "header.noreply-sender:-": -1837,
    "header.null-return-path:-": -1610,
    "header.precedence:-": -1194,
    "header.x-auto-response-suppress:-": -972,
    "header.x-autoreply:-": -1110,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.freescout:-": -1006,
    "helpdesk.freescout:+": 1000,
    "layout.broadcast:-": -528,
    "layout.links:-": -1873,
    "layout.pixel:-": -1081,
    "layout.report:-": -1740,
    "layout.separators:-": -1334,
    "person.brief:+": 1569,
    "person.device:+": 1088,
    "person.first-person:+": 2206,
    "person.format-flowed:+": 1201,
    "person.gmail-composer:+": 965,
    "person.in-thread:+": 519,
    "person.mail-client:+": 2413,
    "person.personal-mailbox:+": 45,
    "person.quoting-reply:+": 1677,
    "person.short-question:+": 1600,
    "sender.person-name:+": 2324,
    "signature.person:+": 665,
    "signature.team:-": -920,
    "zh.ack:-": -609,
    "zh.ack.subject:-": -1051,
    "zh.automated:-": -1014,
    "zh.bot:-": -1111,
    "zh.bounce:-": -1057,
    "zh.bounce.subject:-": -1040,
    "zh.marketing:-": -1010,
    "zh.ooo:-": -1138,
    "zh.ooo.subject:-": -1064,
    "zh.person-wording:+": 1008,
    "zh.survey:-": -1032,
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
    "mails": 614,
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
        "automatic": 64
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
