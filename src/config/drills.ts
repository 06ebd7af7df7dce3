// The drill rule: P0/P1 templates are emergency drills, sent or recorded only for vendors that agreed to drills.
const drillTiers: ReadonlySet<string> = new Set(['P0', 'P1']);

function isDrill(tier: string): boolean {
  return drillTiers.has(tier);
}

/** Whether a probe of `tier` may go to (or be recorded for) this vendor. */
export function drillAllowed(vendor: { drills_allowed: boolean }, tier: string): boolean {
  return vendor.drills_allowed || !isDrill(tier);
}
