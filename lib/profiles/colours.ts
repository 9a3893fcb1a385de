/** A small palette that reads on light and dark backgrounds (components/theme.css `--profile-<colour>`). Zod-free. */
export const PROFILE_COLOURS = ['blue', 'green', 'amber', 'red', 'purple', 'teal', 'pink', 'slate'] as const;
export type ProfileColour = (typeof PROFILE_COLOURS)[number];
