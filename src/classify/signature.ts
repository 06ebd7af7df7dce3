// Sign-offs: a person's name at the end of the sender's own text is a sign of a person; a team's name is not.
import type { Signal } from './types.ts';
import { signal, type MailView, type Rule } from './view.ts';

const closing =
  /^(best( regards| wishes)?|kind(est)? regards|warm(est)? regards|regards|many thanks|thanks( again| so much| a lot)?|thank you( again)?|cheers|sincerely( yours)?|yours( sincerely| truly)?|all the best|talk soon|speak soon|best,? wishes|br|rgds|thx|ta|谢谢|謝謝|多谢|多謝|祝好|此致|敬礼|敬禮|此致敬礼|顺祝商祺|順祝商祺|祝商祺|顺颂商祺|順頌商祺|祝工作顺利|祝工作順利|祝顺利|祝順利|祝一切顺利|祝一切順利|best|regards|mit freundlichen gr(ü|ue)(ß|ss)en|freundliche gr(ü|ue)(ß|ss)e|viele gr(ü|ue)(ß|ss)e|herzliche gr(ü|ue)(ß|ss)e|sch(ö|oe)ne gr(ü|ue)(ß|ss)e|beste gr(ü|ue)(ß|ss)e|liebe gr(ü|ue)(ß|ss)e|gru(ß|ss)|lg|vg|mfg|cordialement|bien (à|a) vous|bien cordialement|salutations|saludos( cordiales)?|atentamente|un saludo|cordiali saluti|saluti|distinti saluti|met vriendelijke groet(en)?|groeten|pozdrawiam|z pozdrowieniami|с уважением|спасибо|atenciosamente|abra(ç|c)os|cumprimentos|saygılarımla|te(ş|s)ekkürler|salam|hormat saya|trân trọng|cảm ơn|敬具|よろしくお願いします|よろしくお願いいたします|감사합니다|수고하세요|med vänliga hälsningar|mvh|vennlig hilsen|med venlig hilsen|ystävällisin terveisin)\s*[,.!，。！]?$/iu;
const nonPerson =
  /\b(team|support|service|services|customer|customers|care|desk|helpdesk|department|dept|crew|success|billing|sales|operations|ops|the|staff|center|centre|group|ai|bot|assistant|agent|automated|system|noreply|no-reply|notifications?|inc|ltd|llc|gmbh|co)\b/i;
/** Capitalised words that end a dashed line without being anyone's name. */
const commonWords = new Set([
  'moderate',
  'high',
  'low',
  'normal',
  'urgent',
  'critical',
  'new',
  'open',
  'closed',
  'pending',
  'resolved',
  'solved',
  'yes',
  'no',
  'thanks',
  'thank',
  'cheers',
  'regards',
  'best',
  'today',
  'tomorrow',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'english',
  'help',
  'home',
  'settings',
  'admin',
  'security',
  'billing',
  'sales',
  'support',
  'webhooks',
  'deliveries',
  'export',
]);
/**
 * "Priya Raman", "Jan van Dijk", and the French and Italian way of writing the family name in capitals ("Alexandre
 * MOATTI", "Jean-Luc DUPONT"): given name first, a capitalised family name last.
 */
const westernName =
  /^(?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?)(?: (?:\p{Lu}\.|\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?|van|de|von|da|del)){0,3}(?: \p{Lu}{2,}(?:[-' ]\p{Lu}{2,})?)?$/u;
const surnames =
  '王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范範金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯欧歐';
const chineseName = new RegExp(
  `^(?:[—–\\-~～]{1,2}\\s*)?(?:[\\u4e00-\\u9fff]{0,6}(?:专员|專員|工程师|工程師|顾问|顧問|经理|經理|客服)\\s*)?([${surnames}][\\u4e00-\\u9fff]{1,2})$`,
);
const teamWords = /(团队|團隊|客服中心|服务中心|服務中心|支持中心|支援中心|部门|部門|公司|小组|小組|中心)$/;
const teamSignoff =
  /^(?:the\s+)?[\w&.' -]{0,40}\b(support|customer (care|success|service)|help ?desk|care|service|success) team\.?$|^(?:the\s+)?[\w&.' -]{1,30} (support|customer care|helpdesk|help desk)\.?$|^[\u4e00-\u9fffA-Za-z]{0,12}(客服团队|客服團隊|客服中心|支持团队|支持團隊|服务团队|服務團隊)$/i;

/** The person's name a text is signed with, if any, and the line it was found on. */
/** A picture's place in a plain-text part ("[Logo]", "[cid:image001.png@01D9…]", "[image: Acme]"): not a line of text. */
const imagePlaceholder = /^\[(?:cid:|image|logo|img|bild|photo)[^\]]{0,120}\]$/i;

export function personalSignature(text: string): { name: string; line: string } | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !imagePlaceholder.test(l));
  const tail = lines.slice(-7);
  for (let i = tail.length - 1; i >= 0; i--) {
    const line = tail[i] ?? '';
    const previous = tail[i - 1] ?? '';
    const dashed = /(?:^|[\s.!,])(?:[—–]|--?|~)\s*([A-Z][a-z'’]+(?: [A-Z][a-z'’]+)?)[.!]?\s*$/.exec(line);
    if (dashed?.[1] && !line.includes(':') && !nonPerson.test(dashed[1]) && !commonWords.has(dashed[1].toLowerCase())) return { name: dashed[1], line };
    // A separator's spaces are matched from where their run starts (the lookbehinds): linear on a long run of spaces.
    const namePart = (line.split(/(?<!\s)\s*[|,·•]\s*|(?<!\s)\s+[—–-]\s+/)[0] ?? '').trim();
    if (closing.test(previous) && westernName.test(namePart) && !nonPerson.test(namePart) && !closing.test(namePart)) return { name: namePart, line };
    const inline = /^(?:best|thanks|cheers|regards|kind regards|many thanks|thank you),?\s+([A-Z][a-z'’]+(?: [A-Z][a-z'’]+)?)[.!]?$/i.exec(line);
    if (inline?.[1] && !nonPerson.test(inline[1])) return { name: inline[1], line };
    const zh = chineseName.exec(line.replace(/\s+/g, ''));
    if (zh?.[1] && !teamWords.test(line) && (closing.test(previous) || /^[—–\-~～]/.test(line) || i >= tail.length - 2)) return { name: zh[1], line };
  }
  return undefined;
}

function teamSignature(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.slice(-4).find((l) => teamSignoff.test(l));
}

/** A person's name in the From display name, with a helpdesk's brand suffix removed ("Priya Raman (Acme Support)"). */
export function senderPersonName(displayName: string | undefined): string | undefined {
  if (!displayName) return undefined;
  const name = displayName
    .slice(0, 200)
    .replace(/^["']|["']$/g, '')
    .trim();
  const bare = name.split(/(?<!\s)\s*[(（|]|(?<!\s)\s+(?:at|from|via|@)\s+|(?<!\s)\s+[-–—|]\s+/)[0]?.trim() ?? '';
  if (!bare || nonPerson.test(name.replace(/(?<!\s)\s*[(（].*$/, '')) || nonPerson.test(bare)) return undefined;
  if (westernName.test(bare) && !commonWords.has(bare.toLowerCase())) return bare;
  // A directory's "Family, Given" (Exchange and Notes list people so: "Stever, Gregor", "Bills, Jason M").
  const inverted = /^([^,\s]{2,30}(?: [^,\s]{2,30})?),\s*([^,]{2,40})$/.exec(name);
  if (inverted?.[1] && inverted[2]) {
    const flipped = `${inverted[2].trim()} ${inverted[1].trim()}`;
    // A middle initial is written without its dot there ("Jason M").
    if (westernName.test(flipped.replace(/ (\p{Lu})(?= )/u, ' $1.')) && !nonPerson.test(flipped) && !commonWords.has(inverted[1].trim().toLowerCase()))
      return flipped;
  }
  const zh = chineseName.exec(bare.replace(/\s+/g, ''));
  if (zh?.[1] && !teamWords.test(bare)) return zh[1];
  return undefined;
}

export const signatureRules: Rule = (view: MailView) => {
  const out: Signal[] = [];
  const sender = senderPersonName(view.mail.from?.name);
  if (sender) out.push(signal('sender.person-name', 'human', 0.7, `sent in the name of a person: "${view.mail.from?.name?.slice(0, 50)}"`));
  const person = personalSignature(view.fresh);
  if (person) out.push(signal('signature.person', 'human', 1.2, `signed by a person: "${person.line.slice(0, 60)}"`));
  else {
    const team = teamSignature(view.fresh);
    if (team) out.push(signal('signature.team', 'auto_ack', 0.8, `signed by a team, not a person: "${team.slice(0, 60)}"`, true));
  }
  return out;
};
