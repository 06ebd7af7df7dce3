// `firstreply report <trial> --lang`: the exported HTML in Chinese from the command line, and a language it lacks refused.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('firstreply report --lang', () => {
  it("writes the demo trial's report in Chinese, decision summary first, and refuses a language it does not have", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firstreply-report-cli-'));
    dirs.push(dir);
    const args = ['bin/firstreply.js', 'report', 'demo-trial', '--dir', 'probes/demo', '--db', join(dir, 'empty.db')];
    const env = { ...process.env, LOG_LEVEL: 'error' };
    await run(process.execPath, [...args, '--format', 'html', '--lang', 'zh-CN', '--out', join(dir, 'report.html')], { cwd: root, env });
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html.indexOf('<h2>决策摘要</h2>')).toBeGreaterThan(0);
    expect(html.indexOf('<h2>决策摘要</h2>')).toBeLessThan(html.indexOf('<h2>注意事项</h2>'));
    expect(html).toContain('库中没有该厂商在本次试用渠道上的探测');
    const refused = await run(process.execPath, [...args, '--lang', 'fr'], { cwd: root, env }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('--lang: use one of en, zh-CN') });
  }, 60_000);
});
