// The shipped model's numbers (written by `npm run train-classifier`), and the header-only baseline's.
import type { ClassifierModel } from './model.ts';

/** The baseline as generic helpdesks decide: no automatic header means a person. */
export const headerOnlyModel: ClassifierModel = {
  version: 1, bias: 600, weights: {}, contextScale: 1000, unseenScale: 1000, requireEvidence: false, humanAt: 500, automaticAt: -400,
};

export const shippedModel: ClassifierModel = {
  "version": 1,
  "bias": -2225,
  "weights": {
    "en.ack:-": -1428,
    "en.ack.subject:-": -1071,
    "en.automated:-": -1063,
    "en.bot:-": -1428,
    "en.bounce:-": -924,
    "en.bounce.subject:-": -1031,
    "en.marketing:-": -645,
    "en.ooo:-": -1045,
    "en.ooo.subject:-": -1029,
    "en.person-wording:+": 981,
    "en.survey:-": -1074,
    "en.survey.subject:-": -1004,
    "header.auto-submitted:-": -2119,
    "header.autoreply-subject:-": -1208,
    "header.bot-sender:-": -1993,
    "header.campaign:-": -1004,
    "header.feedback-id:-": -1099,
    "header.from-daemon:-": -1178,
    "header.list:-": -1236,
    "header.multipart-report:-": -1193,
    "header.noreply-sender:-": -834,
    "header.null-return-path:-": -1331,
    "header.precedence:-": -1014,
    "header.x-auto-response-suppress:-": -611,
    "header.x-autoreply:-": -1035,
    "header.x-failed-recipients:-": -1000,
    "header.x-ms-exchange:-": -1000,
    "helpdesk.agent-comment:+": 1011,
    "helpdesk.freescout:-": -1014,
    "helpdesk.freescout:+": 1000,
    "ja.ack:-": -1075,
    "ja.ack.subject:-": -1013,
    "ja.automated:-": -1023,
    "ja.ooo.subject:-": -1000,
    "layout.broadcast:-": 578,
    "layout.links:-": -1954,
    "layout.pixel:-": 114,
    "layout.report:-": -1806,
    "layout.separators:-": -868,
    "person.brief:+": 1707,
    "person.device:+": 1001,
    "person.first-person:+": 1367,
    "person.format-flowed:+": 1079,
    "person.gmail-composer:+": 785,
    "person.greets-by-name:+": 1082,
    "person.in-thread:+": 2326,
    "person.mail-client:+": 3050,
    "person.personal-mailbox:+": 1254,
    "person.quoting-reply:+": 2991,
    "person.short-question:+": 1240,
    "sender.person-name:+": 2917,
    "signature.person:+": 1047,
    "signature.team:-": -1027,
    "zh.ack:-": -869,
    "zh.ack.subject:-": -1071,
    "zh.automated:-": -1034,
    "zh.bot:-": -1108,
    "zh.bounce:-": -1113,
    "zh.bounce.subject:-": -1079,
    "zh.marketing:-": -1004,
    "zh.ooo:-": -1023,
    "zh.ooo.subject:-": -1010,
    "zh.person-wording:+": 1004,
    "zh.survey:-": -801,
    "zh.survey.subject:-": -1019
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
    "mails": 618,
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
        "automatic": 56
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
        "automatic": 15
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
        "human": 60,
        "automatic": 48
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
        "automatic": 3
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
        "automatic": 6
      },
      "spamscope-mail-parser": {
        "human": 1,
        "automatic": 3
      },
      "trec06c": {
        "human": 26,
        "automatic": 0
      },
      "mail": {
        "human": 53,
        "automatic": 99
      }
    }
  }
};
