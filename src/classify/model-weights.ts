// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1, bias: 600, weights: {}, contextScale: 1000, unseenScale: 1000, requireEvidence: false, humanAt: 500, automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  "version": 1,
  "bias": -741,
  "weights": {
    "en.ack:-": -1709,
    "en.ack.subject:-": -1909,
    "en.automated:-": -1002,
    "en.bot:-": -1812,
    "en.bounce:-": -1012,
    "en.bounce.subject:-": -1017,
    "en.marketing:-": -1155,
    "en.ooo:-": -1729,
    "en.ooo.subject:-": -1203,
    "en.person-wording:+": 913,
    "en.survey:-": -1216,
    "en.survey.subject:-": -1008,
    "header.auto-submitted:-": -2403,
    "header.campaign:-": -1001,
    "header.feedback-id:-": -968,
    "header.from-daemon:-": -1674,
    "header.list:-": -1672,
    "header.multipart-report:-": -1094,
    "header.noreply-sender:-": -1795,
    "header.null-return-path:-": -1014,
    "header.precedence:-": -1401,
    "header.x-auto-response-suppress:-": -984,
    "header.x-autoreply:-": -1030,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.freescout:-": -1012,
    "helpdesk.freescout:+": 1000,
    "layout.broadcast:-": -418,
    "layout.links:-": -1341,
    "layout.pixel:-": -1072,
    "layout.report:-": -1462,
    "layout.separators:-": -1725,
    "person.brief:+": 1074,
    "person.device:+": 1023,
    "person.first-person:+": 2630,
    "person.format-flowed:+": 1186,
    "person.gmail-composer:+": 678,
    "person.in-thread:+": 1046,
    "person.mail-client:+": 2332,
    "person.personal-mailbox:+": 1010,
    "person.quoting-reply:+": 2492,
    "person.short-question:+": 1214,
    "sender.person-name:+": 776,
    "signature.person:+": 1427,
    "signature.team:-": -1000,
    "zh.ack:-": -1513,
    "zh.ack.subject:-": -1082,
    "zh.automated:-": -1020,
    "zh.bot:-": -1430,
    "zh.bounce:-": -1515,
    "zh.bounce.subject:-": -1361,
    "zh.marketing:-": -1069,
    "zh.ooo:-": -1318,
    "zh.ooo.subject:-": -1148,
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
