// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1, bias: 600, weights: {}, contextScale: 1000, unseenScale: 1000, requireEvidence: false, humanAt: 500, automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  "version": 1,
  "bias": -725,
  "weights": {
    "en.ack:-": -1700,
    "en.ack.subject:-": -1903,
    "en.automated:-": -1002,
    "en.bot:-": -1808,
    "en.bounce:-": -1011,
    "en.bounce.subject:-": -1016,
    "en.marketing:-": -1151,
    "en.ooo:-": -1722,
    "en.ooo.subject:-": -1199,
    "en.person-wording:+": 913,
    "en.survey:-": -1219,
    "en.survey.subject:-": -1008,
    "header.auto-submitted:-": -2404,
    "header.campaign:-": -1001,
    "header.feedback-id:-": -968,
    "header.from-daemon:-": -1662,
    "header.list:-": -1811,
    "header.multipart-report:-": -1090,
    "header.noreply-sender:-": -1809,
    "header.null-return-path:-": -1013,
    "header.precedence:-": -1474,
    "header.x-auto-response-suppress:-": -984,
    "header.x-autoreply:-": -1029,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.freescout:-": -1012,
    "helpdesk.freescout:+": 1000,
    "layout.broadcast:-": -428,
    "layout.links:-": -1338,
    "layout.pixel:-": -1074,
    "layout.report:-": -1446,
    "layout.separators:-": -1742,
    "person.brief:+": 1099,
    "person.device:+": 1024,
    "person.first-person:+": 2666,
    "person.format-flowed:+": 1181,
    "person.gmail-composer:+": 689,
    "person.in-thread:+": 983,
    "person.mail-client:+": 2321,
    "person.personal-mailbox:+": 1011,
    "person.quoting-reply:+": 2389,
    "person.short-question:+": 1231,
    "sender.person-name:+": 765,
    "signature.person:+": 1422,
    "signature.team:-": -998,
    "zh.ack:-": -1513,
    "zh.ack.subject:-": -1078,
    "zh.automated:-": -1018,
    "zh.bot:-": -1427,
    "zh.bounce:-": -1507,
    "zh.bounce.subject:-": -1355,
    "zh.marketing:-": -1069,
    "zh.ooo:-": -1312,
    "zh.ooo.subject:-": -1145,
    "zh.person-wording:+": 1003,
    "zh.survey:-": -1143,
    "zh.survey.subject:-": -1098
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
    "mails": 470,
    "options": {
      "l2": 0.002,
      "iterations": 3000,
      "learningRate": 0.5,
      "automaticCost": 2,
      "priorScale": 1
    },
    "sources": {
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
        "automatic": 0
      },
      "mail-parser-stalwart": {
        "human": 2,
        "automatic": 0
      },
      "mailspring": {
        "human": 15,
        "automatic": 0
      },
      "mimekit": {
        "human": 5,
        "automatic": 0
      },
      "linux-mailinglist-archives": {
        "human": 53,
        "automatic": 4
      },
      "mu": {
        "human": 12,
        "automatic": 0
      },
      "patchwork": {
        "human": 2,
        "automatic": 0
      },
      "php-mime-mail-parser": {
        "human": 1,
        "automatic": 0
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
        "automatic": 48
      },
      "trec06c": {
        "human": 13,
        "automatic": 0
      },
      "zammad": {
        "human": 18,
        "automatic": 14
      },
      "mail": {
        "human": 53,
        "automatic": 99
      }
    }
  }
};
