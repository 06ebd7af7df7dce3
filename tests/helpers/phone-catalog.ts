// The smallest runnable catalog: settings with the database and evidence under `dir`, and one public vendor with a
// manual (phone) channel, so `start` needs no mailbox, browser or secret.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writePhoneCatalog(dir: string): void {
  writeFileSync(join(dir, 'settings.yaml'), `database: ${join(dir, 'data/firstreply.db')}\nevidence_dir: ${join(dir, 'data/evidence')}\n`);
  writeFileSync(
    join(dir, 'phoneco.yaml'),
    [
      'slug: phoneco',
      'name: PhoneCo',
      'visibility: public',
      'timezone: Europe/Paris',
      'templates:',
      '  - { id: hotline-question, tier: P3, language: en, subject: "Question {{token}}", body: "Hello, ref {{token}}" }',
      'channels:',
      '  - { id: hotline, kind: manual, medium: phone }',
      'rate_caps: { per_day: 3, per_week: 10 }',
      '',
    ].join('\n'),
  );
}
