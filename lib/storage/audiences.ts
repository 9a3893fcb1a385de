import { AudienceMeta } from '../audiences/model';
import { defineParsedListItem } from './item';

/**
 * The audience list (대상 목록): each audience's small state (name, count, schedule, snapshot summaries). The ID
 * lists, extra columns and snapshot relations are in their own IndexedDB database (lib/audiences/store.ts). Parsed
 * audience by audience: one that does not parse is left out of what is read; writes keep it as stored.
 */
export const audiencesItem = defineParsedListItem('local:audiences', AudienceMeta);
