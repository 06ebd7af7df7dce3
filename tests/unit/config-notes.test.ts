// Operator notes in probes/notes/*.yaml: a strict schema, every problem at file:line, and the notes in the catalog.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../src/config/load.ts';
import { ConfigError, formatProblem } from '../../src/core/errors.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const vendor = `slug: acme
name: Acme
visibility: public
timezone: Europe/Berlin
rate_caps: { per_day: 3, per_week: 10 }
templates:
  - { id: q, tier: P3, subject: "Q {{token}}", body: b }
channels:
  - id: email
    kind: email
    to: support@acme.com
    mailbox: default
    smtp: default
    schedule: { per_week: 3 }
`;
const settings = `mailboxes:
  default:
    address: probes@example.org
    imap: { host: 127.0.0.1, port: 143, secure: false, user: probes, pass: '\${IMAP_PASS}' }
smtp:
  default: { host: 127.0.0.1, port: 25, security: plain, from: probes@example.org, pass: '\${SMTP_PASS}' }
`;

function load(notes: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'fr-notes-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'settings.yaml'), settings);
  writeFileSync(join(dir, 'acme.yaml'), vendor);
  mkdirSync(join(dir, 'notes'));
  for (const [name, text] of Object.entries(notes)) writeFileSync(join(dir, 'notes', name), text);
  try {
    return { catalog: loadCatalog(dir, { env: { IMAP_PASS: 'p', SMTP_PASS: 's' }, cwd: dir }), problems: [] };
  } catch (err) {
    if (err instanceof ConfigError) return { catalog: undefined, problems: err.problems.map(formatProblem) };
    throw err;
  }
}

describe('operator notes', () => {
  it('loads a note per file, its id from the file name', () => {
    const { catalog, problems } = load({
      '2026-07-pause.yaml': `kind: paused
vendor: acme
channels: [email]
from: 2026-07-01T00:00:00Z
until: 2026-07-03T00:00:00Z
title: Acme asked us to pause probes
text: Their team is moving helpdesks.
`,
      'method.yaml': 'kind: method_change\nvendor: acme\nfrom: 2026-06-01T00:00:00Z\ntitle: Replies now timed by INTERNALDATE\n',
    });
    expect(problems).toEqual([]);
    expect(catalog?.notes).toEqual([
      {
        id: '2026-07-pause',
        kind: 'paused',
        vendor: 'acme',
        channels: ['email'],
        from: Date.UTC(2026, 6, 1),
        until: Date.UTC(2026, 6, 3),
        title: 'Acme asked us to pause probes',
        text: 'Their team is moving helpdesks.',
      },
      { id: 'method', kind: 'method_change', vendor: 'acme', from: Date.UTC(2026, 5, 1), title: 'Replies now timed by INTERNALDATE', text: '' },
    ]);
  });

  it('reports every problem of every note at its file and line', () => {
    const { problems } = load({
      'a.yaml': 'kind: maintenance\nvendor: acme\nfrom: 2026-07-01T00:00:00Z\ntitle: x\nwhen: tomorrow\n',
      'b.yaml': 'kind: maintenance\nvendor: nobody\nfrom: 2026-07-01T00:00:00Z\ntitle: x\n',
      'c.yaml': 'kind: paused\nvendor: acme\nchannels: [email, chat]\nfrom: 2026-07-01T00:00:00Z\ntitle: x\n',
      'd.yaml': 'kind: outage\nvendor: acme\nfrom: yesterday\nuntil: 2026-06-01T00:00:00Z\ntitle: x\n',
      'e.yaml': 'kind: paused\nvendor: acme\nfrom: 2026-07-01T00:00:00Z\nuntil: 2026-06-01T00:00:00Z\ntitle: x\n',
    });
    const text = problems.join('\n');
    expect(text).toMatch(/notes\/a\.yaml:5: .*when/);
    expect(text).toMatch(/notes\/b\.yaml:2: vendor: no vendor "nobody"/);
    expect(text).toMatch(/notes\/c\.yaml:3: channels\[1\]: no channel "chat" for acme/);
    expect(text).toMatch(/notes\/d\.yaml:1: kind: /);
    expect(text).toMatch(/notes\/d\.yaml:3: from: not a date and time/);
    expect(text).toMatch(/notes\/e\.yaml:4: until: until is before from/);
  });
});
