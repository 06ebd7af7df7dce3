// Renders a template's {{tokens}} for one probe.
import type { Template, Vendor } from '../config/schema.ts';

export function renderTemplate(template: Template, values: { token: string; vendor: Vendor; now: number }): { subject: string; body: string } {
  const vars: Record<string, string> = {
    token: values.token,
    vendor: values.vendor.name,
    date: new Date(values.now).toISOString().slice(0, 10),
    tier: template.tier,
  };
  const fill = (text: string) => text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
  return { subject: fill(template.subject), body: fill(template.body) };
}
