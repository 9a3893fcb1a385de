import { z } from 'zod';
import { defineParsedItem } from './item';

/**
 * Today's page lookups per backend (the sandbox or a key's fingerprint, never the key), for the
 * per-day lookup budget (lib/badges/lookup-budget.ts). Stored so a worker restart does not reset it.
 */
const PageLookupUse = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  used: z.record(z.string().max(200), z.number().int().min(0)),
});

export const pageLookupUseItem = defineParsedItem<z.infer<typeof PageLookupUse> | null>(
  'local:pageLookupUse',
  PageLookupUse.nullable(),
  null,
);
