// Pure: a probe's first-response target and deadline from the vendor's SLA (else the reference table), in calendar or business time.
import { referenceSla, type Tier, type Vendor } from '../config/schema.ts';
import { businessCalendar, type BusinessCalendar } from './business-time.ts';

interface SlaTarget {
  tier: Tier;
  firstResponseMs: number;
  source: 'vendor' | 'reference';
  /** The target counts business time only (the vendor declared it and its support hours). */
  businessHours: boolean;
}

/** What the SLA clock needs of a vendor. */
export type SlaVendor = Pick<Vendor, 'sla'> & Partial<Pick<Vendor, 'support_hours' | 'timezone'>>;

export function slaTarget(vendor: SlaVendor, tier: Tier): SlaTarget {
  const own = vendor.sla[tier];
  if (own) return { tier, firstResponseMs: own.first_response, source: 'vendor', businessHours: own.business_hours && vendor.support_hours !== undefined };
  return { tier, firstResponseMs: referenceSla[tier].firstResponseMs, source: 'reference', businessHours: false };
}

/** The vendor's support-hours calendar, when it declares one. */
export function calendarOf(vendor: SlaVendor): BusinessCalendar | undefined {
  return vendor.support_hours ? businessCalendar(vendor.support_hours, vendor.timezone ?? 'UTC') : undefined;
}

/** The first-response deadline: calendar time, or business time on the vendor's calendar when its SLA says so. */
export function deadlineFor(vendor: SlaVendor, tier: Tier, sentAt: number): number {
  const target = slaTarget(vendor, tier);
  const calendar = target.businessHours ? calendarOf(vendor) : undefined;
  return calendar ? calendar.addBusinessTime(sentAt, target.firstResponseMs) : sentAt + target.firstResponseMs;
}

interface SlaOutcome {
  /** met: a person answered by the deadline; missed: answered later or not by now; pending: not answered, deadline ahead. */
  verdict: 'met' | 'missed' | 'pending';
  /** Reply (or now, when unanswered) minus deadline, calendar ms: negative = early, positive = late. */
  marginMs: number;
  /** The same margin counted in business time, when the target is in business time. */
  businessMarginMs: number | null;
}

export function slaOutcome(probe: { deadlineAt: number; firstHumanAt: number | null }, now: number, calendar?: Pick<BusinessCalendar, 'elapsed'>): SlaOutcome {
  const answeredAt = probe.firstHumanAt !== null && probe.firstHumanAt <= now ? probe.firstHumanAt : null;
  const reference = answeredAt ?? now;
  const verdict = answeredAt !== null ? (answeredAt <= probe.deadlineAt ? 'met' : 'missed') : now > probe.deadlineAt ? 'missed' : 'pending';
  return { verdict, marginMs: reference - probe.deadlineAt, businessMarginMs: calendar ? calendar.elapsed(probe.deadlineAt, reference) : null };
}
