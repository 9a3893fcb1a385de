import { useEffect, useState } from 'preact/hooks';
import type { AudienceMeta } from '@/lib/audiences/model';
import { createAudienceStore } from '@/lib/audiences/store';
import { audiencesItem } from '@/lib/storage/audiences';
import { uiLang } from '@/lib/ui-lang';

/** This page's handle on the audience store (the extension's IndexedDB, shared with the background): read-only,
 * except a new audience's ID list and extra columns, written before the background is asked to create it. */
export const audienceStore = createAudienceStore();

/** The audience list, live: the background writes it to the extension's store. */
export function useAudiences(): AudienceMeta[] | null {
  const [list, setList] = useState<AudienceMeta[] | null>(null);
  useEffect(() => {
    void audiencesItem.getValue().then(setList);
    return audiencesItem.watch(setList);
  }, []);
  return list;
}

/** A time as the manager reads it, in the browser's zone. */
export const when = (ms: number | undefined, options: Intl.DateTimeFormatOptions = {}) =>
  ms === undefined
    ? ''
    : new Intl.DateTimeFormat(uiLang() === 'ko' ? 'ko-KR' : 'en-US', {
        dateStyle: 'medium',
        timeStyle: 'short',
        ...options,
      }).format(ms);

/** A file name part from an audience's name (letters of any script, digits, - and _). */
export const fileTag = (name: string) => name.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 40);
