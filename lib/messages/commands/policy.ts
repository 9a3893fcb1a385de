import { z } from 'zod';
import type { PolicyState } from '../../policy/types';
import { defineCommand, type CommandTable } from '../define';

/** The organisation's policy as the background parsed it (never a key: those were dropped). Extension pages only. */
export const policyCommands = {
  getPolicy: defineCommand<PolicyState>()({ allow: ['extension'], input: z.strictObject({}) }),
} satisfies CommandTable;
