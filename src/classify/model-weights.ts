// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1, bias: 600, weights: {}, contextScale: 1000, unseenScale: 1000, requireEvidence: false, humanAt: 500, automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  "version": 1,
  "bias": -1618,
  "weights": {
    "en.ack:-": -1394,
    "en.ack.subject:-": -1036,
    "en.automated:-": -1067,
    "en.bot:-": -1647,
    "en.bounce:-": -1013,
    "en.bounce.subject:-": -1008,
    "en.marketing:-": -1585,
    "en.ooo:-": -1132,
    "en.ooo.subject:-": -1012,
    "en.person-wording:+": 1304,
    "en.survey:-": -1089,
    "en.survey.subject:-": -1004,
    "header.auto-submitted:-": -2027,
    "header.autoreply-subject:-": -1153,
    "header.bot-sender:-": -1689,
    "header.campaign:-": -1000,
    "header.feedback-id:-": -956,
    "header.from-daemon:-": -1114,
    "header.list:-": -1575,
    "header.multipart-report:-": -1216,
    "header.noreply-sender:-": -1858,
    "header.null-return-path:-": -1743,
    "header.precedence:-": -1384,
    "header.x-auto-response-suppress:-": -966,
    "header.x-autoreply:-": -1239,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.freescout:-": -1011,
    "helpdesk.freescout:+": 1000,
    "layout.broadcast:-": -598,
    "layout.links:-": -1554,
    "layout.pixel:-": -1157,
    "layout.report:-": -1865,
    "layout.separators:-": -1156,
    "person.brief:+": 1453,
    "person.device:+": 1047,
    "person.first-person:+": 3046,
    "person.format-flowed:+": 1147,
    "person.gmail-composer:+": 797,
    "person.in-thread:+": 1333,
    "person.mail-client:+": 2436,
    "person.personal-mailbox:+": 22,
    "person.quoting-reply:+": 2303,
    "person.short-question:+": 1530,
    "sender.person-name:+": 2340,
    "signature.person:+": 911,
    "signature.team:-": -1003,
    "zh.ack:-": -862,
    "zh.ack.subject:-": -1063,
    "zh.automated:-": -1022,
    "zh.bot:-": -1215,
    "zh.bounce:-": -1079,
    "zh.bounce.subject:-": -1056,
    "zh.marketing:-": -1010,
    "zh.ooo:-": -1009,
    "zh.ooo.subject:-": -1004,
    "zh.person-wording:+": 1001,
    "zh.survey:-": -1031,
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
    "mails": 616,
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
        "human": 58,
        "automatic": 61
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
