// Whom a vendor's replies may come from and what a judged match is recorded as, read from the store for the matcher.
import { z } from 'zod';
import type { Store } from '../store/db.ts';
import type { Settings } from '../config/schema.ts';
import type { MessageLabel } from '../core/labels.ts';
import { vendorReplyDomains, type MatchJudgement, type SenderTrust } from './match.ts';

/** The label a judged match is recorded with instead of the classifier's: our own copy is `system`, a doubtful one `unknown` for review. */
export function judgedVerdict(judgement: MatchJudgement | undefined): { label: MessageLabel; confidence: number; reasons: string[] } | undefined {
  if (judgement?.kind === 'own_copy') return { label: 'system', confidence: 1, reasons: ['our own probe (its Message-ID), not a reply'] };
  if (judgement?.kind === 'review') return { label: 'unknown', confidence: 0, reasons: [`review: ${judgement.reason}`] };
  return undefined;
}

const vendorDomainFields = z.object({ reply_domains: z.array(z.string()).optional(), website: z.string().optional() });
const channelAddressFields = z.object({ to: z.string().optional(), cc: z.array(z.string()).optional() });

/** Whom replies may come from, read from the catalog as mirrored in the store and the vendor's acknowledgements so far. */
export function senderTrust(store: Store, settings: Pick<Settings, 'mailboxes' | 'smtp'>): SenderTrust {
  const own = [
    ...Object.values(settings.mailboxes).map((m) => m.address),
    ...Object.values(settings.smtp).map((s) => s.from.match(/<([^>]+)>/)?.[1] ?? s.from),
  ];
  return {
    replyDomains(vendor) {
      const row = store.vendors.get(vendor);
      const fields = vendorDomainFields.safeParse(row ? JSON.parse(row.definition) : {});
      const addresses = store.vendors
        .channels()
        .filter((c) => c.vendor === vendor)
        .flatMap((c) => {
          const parsed = channelAddressFields.safeParse(JSON.parse(c.definition));
          return parsed.success ? [...(parsed.data.to ? [parsed.data.to] : []), ...(parsed.data.cc ?? [])] : [];
        });
      return vendorReplyDomains(fields.success ? fields.data : {}, addresses, store.probes.ackSenders(vendor));
    },
    ownDomains: [
      ...new Set(
        own.flatMap((a) => {
          const at = a.lastIndexOf('@');
          return at >= 0 ? [a.slice(at + 1).toLowerCase()] : [];
        }),
      ),
    ],
  };
}
