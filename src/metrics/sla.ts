// Pure: a probe's first-response target and deadline from the vendor's SLA (else the reference table).
import { referenceSla, type Tier, type Vendor } from '../config/schema.ts';

export interface SlaTarget {
  tier: Tier;
  firstResponseMs: number;
  source: 'vendor' | 'reference';
  businessHours: boolean;
}

export function slaTarget(vendor: Pick<Vendor, 'sla'>, tier: Tier): SlaTarget {
  const own = vendor.sla[tier];
  if (own) return { tier, firstResponseMs: own.first_response, source: 'vendor', businessHours: own.business_hours };
  return { tier, firstResponseMs: referenceSla[tier].firstResponseMs, source: 'reference', businessHours: false };
}

/** Calendar deadline; business-hours deadlines are computed by the business-time clock when declared. */
export function deadlineFor(vendor: Pick<Vendor, 'sla'>, tier: Tier, sentAt: number): number {
  return sentAt + slaTarget(vendor, tier).firstResponseMs;
}
