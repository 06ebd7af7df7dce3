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
  "bias": -2142,
  "weights": {
    "en.ack:-": -1675,
    "en.ack.subject:-": -1058,
    "en.automated:-": -1051,
    "en.bot:-": -1405,
    "en.bounce:-": -1037,
    "en.bounce.subject:-": -1022,
    "en.marketing:-": -618,
    "en.ooo:-": -1461,
    "en.ooo.subject:-": -1042,
    "en.person-wording:+": 1006,
    "en.survey:-": -1054,
    "en.survey.subject:-": -1008,
    "header.auto-submitted:-": -2072,
    "header.autoreply-subject:-": -1154,
    "header.bot-sender:-": -1809,
    "header.campaign:-": -1004,
    "header.dmarc-report:-": -1047,
    "header.feedback-id:-": -1231,
    "header.from-daemon:-": -1106,
    "header.list:-": -1201,
    "header.multipart-report:-": -1186,
    "header.noreply-sender:-": -814,
    "header.null-return-path:-": -1965,
    "header.precedence:-": -980,
    "header.receipt-subject:-": -1434,
    "header.system-account:-": -402,
    "header.x-auto-response-suppress:-": -624,
    "header.x-autoreply:-": -1088,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.agent-comment:+": 1009,
    "helpdesk.freescout:-": -1010,
    "helpdesk.freescout:+": 1000,
    "ja.ack:-": -1068,
    "ja.ack.subject:-": -1032,
    "ja.automated:-": -1005,
    "ja.ooo.subject:-": -1001,
    "layout.broadcast:-": 56,
    "layout.links:-": -1824,
    "layout.pixel:-": 69,
    "layout.report:-": -1743,
    "layout.separators:-": -679,
    "person.brief:+": 1680,
    "person.device:+": 1001,
    "person.first-person:+": 1293,
    "person.format-flowed:+": 1074,
    "person.gmail-composer:+": 750,
    "person.greets-by-name:+": 653,
    "person.in-thread:+": 2472,
    "person.mail-client:+": 2899,
    "person.personal-mailbox:+": 1241,
    "person.quoting-reply:+": 2796,
    "person.short-question:+": 1211,
    "sender.person-name:+": 2730,
    "signature.person:+": 1182,
    "signature.team:-": -1000,
    "zh.ack:-": -1255,
    "zh.ack.subject:-": -1044,
    "zh.automated:-": -1012,
    "zh.bot:-": -1117,
    "zh.bounce:-": -1062,
    "zh.bounce.subject:-": -1043,
    "zh.marketing:-": -1004,
    "zh.ooo:-": -1024,
    "zh.ooo.subject:-": -1011,
    "zh.person-wording:+": 1003,
    "zh.survey:-": -871,
    "zh.survey.subject:-": -1016
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
      "emailengine": {
        "human": 0,
        "automatic": 9
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
      "mailauth": {
        "human": 0,
        "automatic": 1
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
        "human": 86,
        "automatic": 86
      },
      "ml-kgdb": {
        "human": 1,
        "automatic": 0
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
      "sa-corpus": {
        "human": 0,
        "automatic": 3
      },
      "spamassassin": {
        "human": 9,
        "automatic": 12
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
