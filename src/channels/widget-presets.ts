// Chat widget presets (probes/widgets/*.yaml): named selector sets a chat channel starts from and may override.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { chatSelectorsSchema, type ChatSelectors } from './settings.ts';
import { ProbeError } from '../core/errors.ts';

export const builtInWidgetDir = fileURLToPath(new URL('../../probes/widgets', import.meta.url));

/** A preset's name is its file's name without .yaml. */
const widgetPresetNamePattern = /^[a-z0-9][a-z0-9-]*$/;

export const widgetPresetSchema = z.strictObject({
  name: z.string().min(1),
  tested: z.string().optional(),
  docs: z.string().optional(),
  selectors: chatSelectorsSchema.partial().default({}),
});
type WidgetPreset = z.infer<typeof widgetPresetSchema>;

/** The names loadWidgetPreset can find in `dir`, sorted; none when the directory is missing. */
export function widgetPresetNames(dir = builtInWidgetDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .filter((n) => widgetPresetNamePattern.test(n))
    .sort();
}

/** Reads one preset by name; unknown names and invalid files are configuration errors. */
function loadWidgetPreset(name: string, dir = builtInWidgetDir): WidgetPreset {
  if (!widgetPresetNamePattern.test(name)) throw new ProbeError('CONFIG_INVALID', `widget preset "${name}": use lowercase letters, digits and dashes`);
  const path = join(dir, `${name}.yaml`);
  if (!existsSync(path)) throw new ProbeError('CONFIG_INVALID', `no widget preset "${name}" in ${dir}`);
  const parsed = widgetPresetSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new ProbeError('CONFIG_INVALID', `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The selectors a chat probe cannot run without. */
const requiredChatSelectors = ['input', 'transcript', 'message'] as const;

/** Which required selectors a merged selector set (preset, then the channel's own) lacks; empty when complete. */
export function missingChatSelectors(merged: Record<string, unknown>): string[] {
  return requiredChatSelectors.filter((k) => typeof merged[k] !== 'string' || merged[k] === '');
}

/** The preset's selectors overridden by the channel's own; input, transcript and message must end up known. */
export function widgetSelectors(preset: string | undefined, own: Partial<ChatSelectors> | undefined, dir = builtInWidgetDir): ChatSelectors {
  const base = preset ? loadWidgetPreset(preset, dir).selectors : {};
  const merged = { ...base, ...own };
  const { input, transcript, message } = merged;
  if (!input || !transcript || !message) {
    throw new ProbeError('CONFIG_INVALID', `the chat widget needs selectors for ${missingChatSelectors(merged).join(', ')} (give a preset or selectors)`);
  }
  return { ...merged, input, transcript, message };
}
