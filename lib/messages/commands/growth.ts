import type { CommandTable } from '../define';

/** Growth commands. Filled in by the growth feature. */
export const growthCommands = {} satisfies CommandTable;
