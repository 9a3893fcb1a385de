/** The manifest's keyboard commands (wxt.config.ts), handled in lib/background/quick/ and listed in options. */
export const QUICK_COMMANDS = { checkSelection: 'check-selection', openWorkspace: 'open-workspace' } as const;

/** The address-bar keyword: `kc 4018203344`. */
export const OMNIBOX_KEYWORD = 'kc';
