import type { CommandTable } from '../define';

/** Page commands. Filled in by the page feature. */
export const pageCommands = {} satisfies CommandTable;
