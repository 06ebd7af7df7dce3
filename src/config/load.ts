// Loads probes/*.yaml (one vendor per file) and settings.yaml, expands ${ENV}, validates, and reports file:line problems.
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join, basename, relative } from 'node:path';
import { z } from 'zod';
import { fieldOf, lineOf, parseFile, validateFile, variableRefs, type ParsedFile } from './config-file.ts';
import { loadNotes } from './notes.ts';
import { clearTextSecrets } from './secrets.ts';
import { capProblems, defaultMinIntervalMs, reachesNoOne } from './caps.ts';
import { ConfigError, type ConfigProblem } from '../core/errors.ts';
import { checkAlertsConfig } from './alerts.ts';
import { builtInWidgetDir, missingChatSelectors, widgetPresetNames, widgetPresetSchema } from '../channels/widget-presets.ts';
import { drillAllowed } from './drills.ts';
import { settingsSchema, templateSchema, vendorSchema, type Catalog, type Settings, type Template, type Vendor } from './schema.ts';

const settingsFileName = 'settings.yaml';

/** settings.yaml field by field; its alerts section is read once the vendors are known, since it names them. */
const settingsFileSchema = settingsSchema.extend({ alerts: z.record(z.string(), z.unknown()).default({}) });

/** Replaces ${VAR} in every string; a missing variable is a problem at that string's line. */
export function expandEnv(
  parsed: ParsedFile,
  env: NodeJS.ProcessEnv,
  problems: ConfigProblem[],
  mayBeUnset?: (path: readonly (string | number)[]) => boolean,
): unknown {
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_whole, name: string, fallback?: string) => {
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        if (mayBeUnset?.(path)) return `\${${name}}`;
        problems.push({ file: parsed.file, line: lineOf(parsed, path), field: fieldOf(path), message: `environment variable ${name} is not set` });
        return `\${${name}}`;
      });
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return value;
  };
  return walk(parsed.value, []);
}

/** Refuses clear-text secrets (before ${VAR} expansion), then validates the expanded value. */
function validate<T extends z.ZodType>(
  schema: T,
  parsed: ParsedFile,
  input: unknown,
  problems: ConfigProblem[],
  secretDefaultsAllowed = false,
): z.infer<T> | undefined {
  const secrets = clearTextSecrets(parsed.value, secretDefaultsAllowed);
  for (const p of secrets) problems.push({ file: parsed.file, line: lineOf(parsed, p.path), field: fieldOf(p.path), message: p.message });
  const value = validateFile(schema, parsed, input, problems, variableRefs(parsed.value));
  return secrets.length > 0 ? undefined : value;
}

/** demo_time as written (before validation): the sandbox's loopback passwords may have ${VAR:-default}s. */
function demoTimeOf(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'demo_time' in value && value.demo_time === true;
}

interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Root the file names in messages are shown relative to. */
  cwd?: string;
  /** Where chat widget presets are read; the chat channel reads the repo's probes/widgets, so only tests change it. */
  widgetDir?: string;
  /** false: ${VAR}s of mailboxes and SMTP transports may be unset (commands that only read the store never connect). */
  mailSecrets?: boolean;
}

const mailConnection = (path: readonly (string | number)[]): boolean => path[0] === 'mailboxes' || path[0] === 'smtp';

/** Loads a catalog directory; throws ConfigError listing every problem at once. */
export function loadCatalog(dir: string, options: LoadOptions = {}): Catalog {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const show = (p: string) => relative(cwd, p) || p;
  const problems: ConfigProblem[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError([{ file: show(dir), line: 0, field: '', message: 'no such directory' }]);
  }

  let settings: z.infer<typeof settingsFileSchema> = settingsFileSchema.parse({});
  const settingsPath = join(dir, settingsFileName);
  let settingsParsed: ParsedFile | undefined;
  if (existsSync(settingsPath)) {
    const parsed = parseFile(settingsPath, show(settingsPath), problems);
    settingsParsed = parsed;
    if (parsed)
      settings =
        validate(
          settingsFileSchema,
          parsed,
          expandEnv(parsed, env, problems, options.mailSecrets === false ? mailConnection : undefined),
          problems,
          demoTimeOf(parsed.value),
        ) ?? settings;
  }

  const shared = loadSharedTemplates(join(dir, 'templates'), show, env, problems);
  const presets = widgetPresetChecker(options.widgetDir ?? builtInWidgetDir, show, problems);
  const vendors: Vendor[] = [];
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && f !== settingsFileName)
    .sort();
  const seen = new Map<string, string>();
  for (const name of files) {
    const path = join(dir, name);
    const parsed = parseFile(path, show(path), problems);
    if (!parsed) continue;
    const input = validate(vendorSchema, parsed, expandEnv(parsed, env, problems), problems, settings.demo_time);
    if (!input) continue;
    const before = problems.length;
    const templates: Template[] = [];
    input.templates.forEach((t, i) => {
      const found = 'use' in t ? shared.get(t.use) : t;
      if (found) templates.push(found);
      else
        problems.push({
          file: parsed.file,
          line: lineOf(parsed, ['templates', i, 'use']),
          field: `templates[${i}].use`,
          message: `no template "${'use' in t ? t.use : ''}" in ${show(join(dir, 'templates'))}`,
        });
    });
    checkVendor(input.slug, templates, input, parsed, problems, settings);
    checkChatPresets(input, parsed, presets, problems);
    for (const p of capProblems(input, settings.demo_time))
      problems.push({ file: parsed.file, line: lineOf(parsed, p.path), field: fieldOf(p.path), message: p.message });
    const other = seen.get(input.slug);
    if (other) problems.push({ file: parsed.file, line: lineOf(parsed, ['slug']), field: 'slug', message: `slug "${input.slug}" is already used by ${other}` });
    seen.set(input.slug, parsed.file);
    // Without min_interval the floor applies; only a demo vendor that reaches no one may leave it out entirely.
    const minInterval = input.rate_caps.min_interval ?? (settings.demo_time && reachesNoOne(input.channels) ? undefined : defaultMinIntervalMs);
    const rateCaps = { ...input.rate_caps, ...(minInterval === undefined ? {} : { min_interval: minInterval }) };
    if (problems.length === before) vendors.push({ ...input, rate_caps: rateCaps, templates, file: parsed.file });
  }
  const alerts = checkAlertsConfig(settings.alerts, { vendors, settings });
  for (const p of alerts.problems) {
    const file = settingsParsed?.file ?? show(settingsPath);
    problems.push({ file, line: settingsParsed ? lineOf(settingsParsed, p.path) : 1, field: fieldOf(p.path), message: p.message });
  }
  const notes = loadNotes(dir, new Map(vendors.map((v) => [v.slug, v.channels.map((c) => c.id)])), show, problems);
  if (problems.length > 0 || alerts.config === undefined) throw new ConfigError(problems);
  return { dir, settings: { ...settings, alerts: alerts.config }, vendors, notes };
}

function loadSharedTemplates(dir: string, show: (p: string) => string, env: NodeJS.ProcessEnv, problems: ConfigProblem[]): Map<string, Template> {
  const found = new Map<string, Template>();
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const parsed = parseFile(join(dir, name), show(join(dir, name)), problems);
    if (!parsed) continue;
    const template = validate(templateSchema, parsed, expandEnv(parsed, env, problems), problems);
    if (template) found.set(template.id, template);
  }
  return found;
}

function checkVendor(
  slugName: string,
  templates: Template[],
  input: {
    drills_allowed: boolean;
    channels: { id: string; kind: string; templates?: string[] | undefined; mailbox?: string; smtp?: string }[];
    templates: unknown[];
  },
  parsed: ParsedFile,
  problems: ConfigProblem[],
  settings: Pick<Settings, 'mailboxes' | 'smtp'>,
): void {
  const ids = new Set<string>();
  templates.forEach((t, i) => {
    if (ids.has(t.id))
      problems.push({
        file: parsed.file,
        line: lineOf(parsed, ['templates', i]),
        field: `templates[${i}].id`,
        message: `template id "${t.id}" is used twice in ${slugName}`,
      });
    ids.add(t.id);
    if (!drillAllowed(input, t.tier)) {
      problems.push({
        file: parsed.file,
        line: lineOf(parsed, ['templates', i]),
        field: `templates[${i}].tier`,
        message: `${t.tier} is an emergency drill: set drills_allowed: true only if the vendor agreed to drills, or use P2/P3`,
      });
    }
  });
  const channelIds = new Set<string>();
  input.channels.forEach((c, i) => {
    if (channelIds.has(c.id))
      problems.push({
        file: parsed.file,
        line: lineOf(parsed, ['channels', i, 'id']),
        field: `channels[${i}].id`,
        message: `channel id "${c.id}" is used twice`,
      });
    channelIds.add(c.id);
    c.templates?.forEach((ref, j) => {
      if (!ids.has(ref))
        problems.push({
          file: parsed.file,
          line: lineOf(parsed, ['channels', i, 'templates', j]),
          field: `channels[${i}].templates[${j}]`,
          message: `no template "${ref}" in this vendor`,
        });
    });
    if (c.mailbox !== undefined && !(c.mailbox in settings.mailboxes)) {
      problems.push({
        file: parsed.file,
        line: lineOf(parsed, ['channels', i, 'mailbox']),
        field: `channels[${i}].mailbox`,
        message: `no mailbox "${c.mailbox}" in ${settingsFileName} (known: ${Object.keys(settings.mailboxes).join(', ') || 'none'})`,
      });
    }
    if (c.kind === 'email' && c.smtp !== undefined && !(c.smtp in settings.smtp)) {
      problems.push({
        file: parsed.file,
        line: lineOf(parsed, ['channels', i, 'smtp']),
        field: `channels[${i}].smtp`,
        message: `no smtp transport "${c.smtp}" in ${settingsFileName} (known: ${Object.keys(settings.smtp).join(', ') || 'none'})`,
      });
    }
  });
}

interface WidgetPresetChecker {
  known: string[];
  shownDir: string;
  /** Whether the preset file parses and matches the preset schema; its own problems are reported once, at its lines. */
  valid: (name: string) => boolean;
  /** The selectors of a valid preset. */
  selectors: (name: string) => Record<string, unknown>;
  shownFile: (name: string) => string;
}

/** Reads presets only when a chat channel names them, so a broken preset nobody uses does not block a catalog. */
function widgetPresetChecker(dir: string, show: (p: string) => string, problems: ConfigProblem[]): WidgetPresetChecker {
  const verdicts = new Map<string, boolean>();
  const selectors = new Map<string, Record<string, unknown>>();
  const pathOf = (name: string) => join(dir, `${name}.yaml`);
  return {
    selectors: (name) => selectors.get(name) ?? {},
    known: widgetPresetNames(dir),
    shownDir: show(dir),
    shownFile: (name) => show(pathOf(name)),
    valid: (name) => {
      let ok = verdicts.get(name);
      if (ok === undefined) {
        const parsed = parseFile(pathOf(name), show(pathOf(name)), problems);
        const preset = parsed === undefined ? undefined : validate(widgetPresetSchema, parsed, parsed.value, problems);
        ok = preset !== undefined;
        if (preset) selectors.set(name, preset.selectors);
        verdicts.set(name, ok);
      }
      return ok;
    },
  };
}

/**
 * A chat channel's preset must exist and be a valid preset file, and the preset's selectors with the channel's own
 * must name every required one (otherwise the probe would fail only when it runs).
 */
function checkChatPresets(
  input: { channels: Array<{ kind: string; preset?: string | undefined; selectors?: object | undefined }> },
  parsed: ParsedFile,
  presets: WidgetPresetChecker,
  problems: ConfigProblem[],
): void {
  input.channels.forEach((c, i) => {
    if (c.kind !== 'chat') return;
    let base: Record<string, unknown> = {};
    if (c.preset !== undefined) {
      const at = { file: parsed.file, line: lineOf(parsed, ['channels', i, 'preset']), field: `channels[${i}].preset` };
      if (!presets.known.includes(c.preset)) {
        problems.push({ ...at, message: `no widget preset "${c.preset}" in ${presets.shownDir} (known: ${presets.known.join(', ') || 'none'})` });
        return;
      }
      if (!presets.valid(c.preset)) {
        problems.push({ ...at, message: `widget preset "${c.preset}" is invalid (see the problems in ${presets.shownFile(c.preset)})` });
        return;
      }
      base = presets.selectors(c.preset);
    }
    const merged: Record<string, unknown> = { ...base, ...(c.selectors ?? {}) };
    const missing = missingChatSelectors(merged);
    if (missing.length === 0) return;
    const where = c.selectors !== undefined ? ['channels', i, 'selectors'] : c.preset !== undefined ? ['channels', i, 'preset'] : ['channels', i];
    problems.push({
      file: parsed.file,
      line: lineOf(parsed, where),
      field: `channels[${i}].selectors`,
      message: `the chat widget needs selectors for ${missing.join(', ')}${c.preset !== undefined ? ` (preset "${c.preset}" does not give ${missing.length === 1 ? 'it' : 'them'})` : ''}: add them under selectors or use a preset that has them`,
    });
  });
}

export function catalogSummary(catalog: Catalog): string {
  const channels = catalog.vendors.flatMap((v) => v.channels);
  const kinds = [...new Set(channels.map((c) => c.kind))].sort();
  const templates = catalog.vendors.reduce((n, v) => n + v.templates.length, 0);
  const pub = catalog.vendors.filter((v) => v.visibility === 'public').length;
  return `${basename(catalog.dir)}: ${catalog.vendors.length} vendors (${pub} public, ${catalog.vendors.length - pub} private), ${channels.length} channels (${kinds.join(', ') || 'none'}), ${templates} templates, ${Object.keys(catalog.settings.mailboxes).length} mailboxes — valid`;
}
