// Pure: which facts the probe already gave does a reply ask for again ("could you send your account id", "请提供您的账号ID",
// "您遇到什么问题了呢")? A request naming the fact counts; a reply that quotes the fact's value is not asking for it.
import type { Facts, KnownFactKind } from '../config/template-quality.ts';
import { compileTerm, sentencesOf, type Term } from './text.ts';

/** How agents ask for each known fact, in English and Chinese. */
const askedBy: Record<KnownFactKind, readonly string[]> = {
  account_id: [
    'account id',
    'account number',
    'account name',
    'account email',
    'user id',
    'customer id',
    'uid',
    'your account',
    'app id',
    'project id',
    '账号',
    '帐号',
    '账户',
    '帐户',
    '用户id',
    '用户名',
    '客户id',
    '应用id',
    '项目id',
  ],
  region: [
    'region',
    'data center',
    'datacenter',
    'availability zone',
    'which location',
    'which server',
    'your location',
    '区域',
    '地域',
    '节点',
    '地区',
    '机房',
    '哪个区',
    '所在城市',
  ],
  stream_key_prefix: [
    'stream key',
    'stream name',
    'stream id',
    'ingest url',
    'rtmp url',
    'push url',
    '推流码',
    '推流地址',
    '串流密钥',
    '流名称',
    '流id',
    'streamkey',
  ],
  error_text: [
    'error message',
    'error code',
    'exact error',
    'the error you',
    'error text',
    'error output',
    'what error',
    'screenshot of the error',
    '报错',
    '错误信息',
    '错误码',
    '错误提示',
    '错误代码',
    '提示什么',
  ],
  incident_time: [
    'what time',
    'when did',
    'when exactly',
    'time of the',
    'when the issue',
    'when this',
    'when it started',
    'timestamp',
    'time window',
    'time frame',
    'timeframe',
    'time range',
    '什么时候',
    '何时',
    '发生时间',
    '时间段',
    '具体时间',
    '几点',
  ],
  problem: [
    'what issue',
    'what problem',
    'what seems to be',
    'describe the issue',
    'describe the problem',
    'describe your issue',
    'more details about the issue',
    'what happened',
    'what can we help',
    'what can i help',
    'how can we help',
    'how can i help',
    'how may i help',
    'how may we help',
    'what is the issue',
    "what's the issue",
    '什么问题',
    '遇到了什么',
    '遇到什么',
    '描述一下问题',
    '描述一下您的问题',
    '具体问题',
    '什么情况',
    '有什么可以帮',
    '有什么需要帮',
    '什么可以帮',
    '哪些问题',
  ],
};

interface CompiledFact {
  name: string;
  value: string | null;
  terms: Term[];
}

const isKnown = (name: string): name is KnownFactKind => Object.hasOwn(askedBy, name);

/** The facts to watch for; `problem` is always given (the probe's body states it) even when not written down. */
export function compileFacts(facts: Facts | undefined): CompiledFact[] {
  const compiled = Object.entries(facts ?? {}).map(([name, fact]): CompiledFact => {
    const terms = [...(isKnown(name) ? askedBy[name] : []), ...(typeof fact === 'string' ? [] : fact.asked_by)];
    return { name, value: typeof fact === 'string' ? fact : fact.value, terms: terms.map(compileTerm) };
  });
  if (!compiled.some((f) => f.name === 'problem')) compiled.push({ name: 'problem', value: null, terms: askedBy.problem.map(compileTerm) });
  return compiled;
}

interface AskedFact {
  fact: string;
  /** The request, cut to 160 characters, for the reasons. */
  sentence: string;
  term: string;
}

/** The facts a reply asks for though the probe gave them, each once, with the sentence that asks. */
export function askedForGiven(text: string, facts: readonly CompiledFact[]): AskedFact[] {
  const lower = text.toLowerCase();
  const found: AskedFact[] = [];
  const sentences = sentencesOf(text).filter((s) => s.request);
  for (const fact of facts) {
    // Quoting the value back ("your account 48213377") is confirming it, not asking for it.
    if (fact.value !== null && fact.value.length >= 3 && lower.includes(fact.value.toLowerCase())) continue;
    for (const sentence of sentences) {
      const term = fact.terms.find((t) => t.find(sentence.asks).length > 0);
      if (term) {
        found.push({ fact: fact.name, sentence: sentence.text.slice(0, 160), term: term.written });
        break;
      }
    }
  }
  return found;
}
