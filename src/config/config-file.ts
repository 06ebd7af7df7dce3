// One YAML config file: parsed safely (syntax, duplicate keys, alias bombs become problems), ${VAR}-expanded, and
// validated against a strict zod schema, every issue reported at its own file:line: field.
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, isAlias, isMap, isNode, isScalar, visit, type Document } from 'yaml';
import type { z } from 'zod';
import type { ConfigProblem } from '../core/errors.ts';
import { errorMessage } from '../core/errors.ts';
import { unknownKeyMessage, unknownKeysErrorMap } from './suggest.ts';

export interface ParsedFile {
  file: string;
  doc: Document;
  lines: LineCounter;
  value: unknown;
}

/** Config files are hand-written and small; anything larger is a mistake or an attack on the parser. */
const maxConfigBytes = 1024 * 1024;
/** Alias expansions allowed while converting a document (the yaml package's guard against "billion laughs"). */
const maxAliasCount = 100;

export function parseFile(path: string, displayPath: string, problems: ConfigProblem[]): ParsedFile | undefined {
  const at = (line: number, message: string) => problems.push({ file: displayPath, line, field: '', message });
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > maxConfigBytes) {
      at(1, `file is ${size} bytes; config files are limited to ${maxConfigBytes}`);
      return undefined;
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    at(0, `cannot read: ${errorMessage(err)}`);
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) at(lines.linePos(err.pos[0]).line, `YAML: ${err.message.split('\n')[0]}`);
    return undefined;
  }
  try {
    return { file: displayPath, doc, lines, value: doc.toJS({ maxAliasCount }) };
  } catch (err) {
    let line = 1;
    visit(doc, {
      Alias(_key, node) {
        if (node.range) line = lines.linePos(node.range[0]).line;
        return visit.BREAK;
      },
    });
    const bomb = err instanceof ReferenceError && /alias/i.test(err.message);
    at(line, bomb ? `YAML: aliases expand to more than ${maxAliasCount} nodes; write the values out instead` : `YAML: ${errorMessage(err).split('\n')[0]}`);
    return undefined;
  }
}

export function lineOf(parsed: ParsedFile, path: readonly PropertyKey[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = parsed.doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && !isAlias(node) && node.range) return parsed.lines.linePos(node.range[0]).line;
  }
  return 1;
}

/** The line of a key itself (not of its value, which may start on the next line). */
function keyLineOf(parsed: ParsedFile, objectPath: readonly PropertyKey[], key: string): number {
  const node = objectPath.length === 0 ? parsed.doc.contents : parsed.doc.getIn(objectPath as (string | number)[], true);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) return parsed.lines.linePos(pair.key.range[0]).line;
    }
  }
  return lineOf(parsed, objectPath);
}

export function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** Where a value came whole from one environment variable: path (as fieldOf) → variable name. */
type VariableRefs = Map<string, string>;

const wholeReference = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}$/;

/** Records which strings are exactly one ${VAR}, before expansion, so numbers and booleans can be read from them. */
export function variableRefs(value: unknown, path: (string | number)[] = [], refs: VariableRefs = new Map()): VariableRefs {
  if (typeof value === 'string') {
    const match = wholeReference.exec(value);
    if (match?.[1]) refs.set(fieldOf(path), match[1]);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      variableRefs(item, [...path, i], refs);
    });
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) variableRefs(item, [...path, key], refs);
  }
  return refs;
}

type Issue = z.core.$ZodIssue;
interface FlatIssue {
  issue: Issue;
  path: PropertyKey[];
}

/** How many problems an issue stands for (each unknown key counts). */
const weight = (issues: FlatIssue[]) => issues.reduce((n, f) => n + (f.issue.code === 'unrecognized_keys' ? f.issue.keys.length : 1), 0);

/** Unions report every branch's failure; the branch that came closest says what the author meant. */
function flatten(issues: readonly Issue[], prefix: PropertyKey[] = []): FlatIssue[] {
  return issues.flatMap((issue): FlatIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((branch) => flatten(branch, path));
      const best = branches.reduce((a, b) => (weight(b) < weight(a) ? b : a));
      if (best.length > 0) return best;
    }
    return [{ issue, path }];
  });
}

function getAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function setAt(root: unknown, path: readonly PropertyKey[], replacement: unknown): void {
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (parent && typeof parent === 'object' && key !== undefined) (parent as Record<PropertyKey, unknown>)[key] = replacement;
}

function coerce(text: string, expected: string): number | boolean | undefined {
  const trimmed = text.trim();
  if (expected === 'number' && /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (expected === 'boolean' && /^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
  return undefined;
}

/**
 * Validates a file's expanded value. A number or boolean field filled by one ${VAR} is read from the variable's text
 * (environment variables are always strings); one that does not read as the type names the variable.
 */
export function validateFile<T extends z.ZodType>(
  schema: T,
  parsed: ParsedFile,
  input: unknown,
  problems: ConfigProblem[],
  refs: VariableRefs = new Map(),
): z.infer<T> | undefined {
  const value = structuredClone(input);
  for (let round = 0; ; round++) {
    const result = schema.safeParse(value, { reportInput: true, error: unknownKeysErrorMap() });
    if (result.success) return result.data;
    const flat = flatten(result.error.issues);
    let coerced = false;
    const report: ConfigProblem[] = [];
    for (const { issue, path } of flat) {
      const field = fieldOf(path);
      const variable = refs.get(field);
      if (issue.code === 'invalid_type' && variable !== undefined && (issue.expected === 'number' || issue.expected === 'boolean')) {
        const text = getAt(value, path);
        const read = typeof text === 'string' ? coerce(text, issue.expected) : undefined;
        if (read !== undefined && round < 8) {
          setAt(value, path, read);
          coerced = true;
          continue;
        }
        report.push({
          file: parsed.file,
          line: lineOf(parsed, path),
          field,
          message: `expected a ${issue.expected} from \${${variable}}, but it is ${JSON.stringify(text)}`,
        });
        continue;
      }
      if (issue.code === 'unrecognized_keys') {
        // The error map words one message per key, with the allowed keys of the branch that raised it.
        const messages = issue.message.split('; ');
        issue.keys.forEach((key, i) => {
          const message = messages.length === issue.keys.length ? messages[i] : undefined;
          report.push({
            file: parsed.file,
            line: keyLineOf(parsed, path, key),
            field: fieldOf([...path, key]),
            message: message ?? unknownKeyMessage(key, []),
          });
        });
        continue;
      }
      const missing = issue.code === 'invalid_type' && getAt(value, path) === undefined;
      report.push({
        file: parsed.file,
        line: lineOf(parsed, path),
        field,
        message: missing ? `required (${issue.expected === 'object' ? 'a mapping' : `a ${issue.expected}`})` : issue.message,
      });
    }
    if (coerced) continue;
    problems.push(...report);
    return undefined;
  }
}
