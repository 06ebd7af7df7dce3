// The layers of docs/architecture.md, read from the imports of src/: no import climbs a layer, no two folders import each other.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Top to bottom; a folder may import its own layer's folders (without a cycle) and every layer below. */
const layers: readonly (readonly string[])[] = [
  ['cli'],
  ['sandbox'],
  ['main'],
  ['server', 'scheduler', 'runner', 'trials'],
  ['channels', 'watch', 'alerts'],
  ['replies'],
  ['classify', 'quality', 'metrics'],
  ['store', 'browser'],
  ['config'],
  ['core'],
];

/** Files kept beside their module but belonging to a lower layer, each with its reason. */
const placedApart: Readonly<Record<string, { layer: string; why: string }>> = {
  'channels/settings.ts': { layer: 'config', why: 'each channel kind owns its settings schema; the catalog schema unites them (DESIGN §8.3)' },
  'channels/widget-presets.ts': { layer: 'config', why: 'chat widget presets are a config file kind (probes/widgets/*.yaml) the loader checks' },
  'alerts/notifiers/settings.ts': { layer: 'config', why: 'each notifier owns its target settings; the alerts section of settings.yaml unites them' },
};

interface Import {
  from: string;
  to: string;
  line: number;
  /** `import type` / `export type`: erased when compiled, so never evaluated. */
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

// Static imports and re-exports start a line (multi-line specifier lists included); import('…') may sit anywhere
// outside a comment. Every relative specifier must then resolve to a file, which catches a misread.
const staticImport = /^(?:import|export)\b(?:[^;'"`]|'[^']*'|"[^"]*")*?\bfrom\s*(['"])([^'"]+)\1|^import\s*(['"])([^'"]+)\3/gm;
const dynamicImport = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;

function importsOf(file: string): { specifier: string; line: number; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  const found: { specifier: string; line: number; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(staticImport))
    found.push({ specifier: m[2] ?? m[4] ?? '', line: lineAt(m.index), typeOnly: /^(import|export)\s+type\s/.test(m[0]) });
  for (const m of text.matchAll(dynamicImport)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const before = text.slice(lineStart, m.index).trimStart();
    if (before.startsWith('//') || before.startsWith('*') || before.startsWith('/*')) continue;
    found.push({ specifier: m[2] ?? '', line: lineAt(m.index), typeOnly: false });
  }
  return found;
}

function readImports(): { imports: Import[]; unresolved: string[] } {
  const imports: Import[] = [];
  const unresolved: string[] = [];
  for (const file of sourceFiles(src)) {
    for (const { specifier, line, typeOnly } of importsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      const from = relative(src, file);
      if (!existsSync(target)) unresolved.push(`${from}:${line}: ${specifier}`);
      else imports.push({ from, to: relative(src, target), line, typeOnly });
    }
  }
  return { imports, unresolved };
}

/** The top folder a file belongs to (src/main.ts is "main", src/cli.ts is "cli"); a file placed apart counts in its layer's. */
function unitOf(file: string): string {
  const apart = placedApart[file];
  if (apart) return apart.layer;
  const top = file.split('/')[0] ?? file;
  return top === file ? file.replace(/\.[^.]+$/, '') : top;
}

function layerOf(file: string): number {
  const name = placedApart[file]?.layer ?? unitOf(file);
  return layers.findIndex((layer) => layer.includes(name));
}

function climbs(imports: readonly Import[]): string[] {
  return imports.flatMap((i) => {
    const from = layerOf(i.from);
    const to = layerOf(i.to);
    return to < from ? [`${i.from}:${i.line} imports ${i.to}: ${unitOf(i.to)} is above ${unitOf(i.from)}`] : [];
  });
}

/** Every group of units that import each other, directly or around a circle, with the imports inside the group. */
function cycles(imports: readonly Import[], unit: (file: string) => string): string[] {
  const edges = new Map<string, Map<string, Import>>();
  for (const i of imports) {
    const a = unit(i.from);
    const b = unit(i.to);
    if (a === b) continue;
    const out = edges.get(a) ?? new Map<string, Import>();
    if (!out.has(b)) out.set(b, i);
    edges.set(a, out);
  }
  // Tarjan's strongly connected components: each component of more than one unit is a cycle.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (unit: string): void => {
    indexOf.set(unit, index);
    low.set(unit, index);
    index++;
    stack.push(unit);
    onStack.add(unit);
    for (const next of edges.get(unit)?.keys() ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(unit, Math.min(low.get(unit) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(unit, Math.min(low.get(unit) ?? 0, indexOf.get(next) ?? 0));
      }
    }
    if (low.get(unit) === indexOf.get(unit)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== unit);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const unit of [...edges.keys()].sort()) if (!indexOf.has(unit)) visit(unit);
  return components.map((component) => {
    const steps = component.flatMap((a) =>
      component.flatMap((b) => {
        const i = edges.get(a)?.get(b);
        return i ? [`${i.from}:${i.line} → ${i.to}`] : [];
      }),
    );
    return `${component.join(' ⇄ ')}: ${steps.join(', ')}`;
  });
}

describe('architecture', () => {
  const { imports, unresolved } = readImports();

  it('reads every relative import of src/ as a file that exists', () => {
    expect(imports.length).toBeGreaterThan(100);
    expect(unresolved).toEqual([]);
  });

  it('places every folder of src/ in a layer', () => {
    const units = new Set(
      sourceFiles(src)
        .map((f) => relative(src, f))
        .map((f) => (layerOf(f) < 0 ? unitOf(f) : '')),
    );
    units.delete('');
    expect([...units]).toEqual([]);
    for (const [file, { layer }] of Object.entries(placedApart)) {
      expect(existsSync(join(src, file)), file).toBe(true);
      expect(
        layers.some((l) => l.includes(layer)),
        layer,
      ).toBe(true);
    }
  });

  it('has no import that climbs a layer', () => {
    expect(climbs(imports)).toEqual([]);
  });

  it('has no cycle between folders', () => {
    expect(cycles(imports, unitOf)).toEqual([]);
  });

  it('has no cycle between files that a module would be evaluated half-initialised in', () => {
    expect(
      cycles(
        imports.filter((i) => !i.typeOnly),
        (file) => file,
      ),
    ).toEqual([]);
  });
});
