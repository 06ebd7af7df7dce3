// Japanese phrasing: お問い合わせ受付 acknowledgements, 自動返信/送信専用 notices, 不在 (out of office) replies.
import type { Signal } from './types.ts';
import type { Rule } from './view.ts';
import { familySignals, flatten, type PhraseFamily } from './phrases.ts';

const families: PhraseFamily[] = [
  {
    rule: 'ja.ack',
    label: 'auto_ack',
    weight: 1.8,
    more: 0.6,
    max: 3.2,
    what: '受付確認の文言',
    patterns: [
      /お問(い)?合(わ)?せ(を)?(いただき|頂き|下さり|くださり)?.{0,12}(ありがとう|有難う|誠に)/,
      /(以下の内容で|下記の内容で)?.{0,10}(受け付け|受付|承り)(ました|いたしました|致しました)/,
      /(担当者|担当の者|スタッフ)(より|から)(改めて|追って|折り返し)?.{0,10}(ご連絡|ご返信|ご回答|回答)/,
      /(\d+|[一二三])\s*(営業日|日|時間)以内に.{0,12}(ご連絡|ご返信|ご回答|回答)/,
      /お申し?込み(いただき|頂き)?.{0,8}(ありがとう|誠に)/,
      // A sign-up form's receipt: "登録が完了しました", "ご登録ありがとうございました".
      /(ご)?登録(が|を)?(完了|受け付け)(しました|いたしました|致しました)|ご登録(いただき|頂き)?.{0,8}(ありがとう|誠に)/,
    ],
    subject: [/(お問(い)?合(わ)?せ|お申し?込み).{0,12}(ありがとう|受付|受け付け|承り)|自動返信|受付完了|登録完了/],
  },
  {
    rule: 'ja.automated',
    label: 'system',
    weight: 1.8,
    more: 0.4,
    max: 2.6,
    what: '自動送信の文言',
    generic: true,
    patterns: [
      /(この|本)メール(は|はシステムから).{0,10}(自動(返信|送信|配信)|送信専用)/,
      /(自動返信|自動送信|自動配信)(メール|にて)/,
      /(このメール|本メール)(に|へ)(は)?(ご)?返信(いただいても|されても|できません|頂いても)/,
      /送信専用(アドレス|メールアドレス)/,
    ],
  },
  {
    rule: 'ja.ooo',
    label: 'out_of_office',
    weight: 2.2,
    more: 0.6,
    max: 3.5,
    what: '不在通知の文言',
    patterns: [
      /(不在|休暇|出張|休み)(に|を)?(して|いた)?(おります|しております|中です|のため)/,
      /.{0,12}(まで|迄)(不在|休暇|出張)/,
      /(戻り|帰社)(次第|後).{0,10}(ご連絡|ご返信|対応)/,
    ],
    subject: [/(不在|休暇|自動応答|自動返信)/],
  },
];

export const japaneseContentRules: Rule = (view) => {
  const out: Signal[] = [];
  const text = flatten(view.fresh);
  if (!/[\u3040-\u30ff]/.test(text) && !/[\u3040-\u30ff]/.test(view.subject)) return out;
  for (const family of families) out.push(...familySignals(text, view.subject, family));
  return out;
};
