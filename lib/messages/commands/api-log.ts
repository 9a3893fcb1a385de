import { z } from 'zod';
import { ApiLogQuery, type ApiLogPage } from '../../api-log/model';
import { defineCommand, type CommandTable } from '../define';

/** The API log (API 기록): read and clear. Extension pages only. */
export const apiLogCommands = {
  /** One page of records, newest first, with the filters given. Exports read every page. */
  listApiLog: defineCommand<ApiLogPage>()({ allow: ['extension'], input: ApiLogQuery }),
  clearApiLog: defineCommand<{ cleared: true }>()({ allow: ['extension'], input: z.strictObject({}) }),
} satisfies CommandTable;
