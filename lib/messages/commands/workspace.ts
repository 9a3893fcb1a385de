import type { CommandTable } from '../define';

/** Workspace commands. Filled in by the workspace feature. */
export const workspaceCommands = {} satisfies CommandTable;
