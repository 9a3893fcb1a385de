/** A small palette that reads on light and dark backgrounds (components/theme.css `--profile-<colour>`). Zod-free. */
export const PROFILE_COLOURS = ['blue', 'green', 'amber', 'red', 'purple', 'teal', 'pink', 'slate'] as const;
export type ProfileColour = (typeof PROFILE_COLOURS)[number];

/** The palette's values (as in components/theme.css `--profile-<colour>`; keep the two in step). */
const PALETTE_RGB: Record<ProfileColour, string> = {
  blue: '#3b7ddd',
  green: '#2e9e5b',
  amber: '#d08a12',
  red: '#d9534f',
  purple: '#8a63d2',
  teal: '#1f9aa5',
  pink: '#d35c9a',
  slate: '#7a8496',
};

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/**
 * The palette colour nearest a `#rrggbb` (an organisation's policy names its profiles' colours that way): the
 * swatch must read on light and dark backgrounds, which an arbitrary colour may not. Not a colour: undefined.
 */
export function nearestProfileColour(hex: string | undefined): ProfileColour | undefined {
  if (hex === undefined) return undefined;
  if ((PROFILE_COLOURS as readonly string[]).includes(hex)) return hex as ProfileColour;
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return undefined;
  const [r, g, b] = rgb(hex);
  let best: ProfileColour = 'slate';
  let bestDistance = Infinity;
  for (const colour of PROFILE_COLOURS) {
    const [pr, pg, pb] = rgb(PALETTE_RGB[colour]);
    const distance = (r! - pr!) ** 2 + (g! - pg!) ** 2 + (b! - pb!) ** 2;
    if (distance < bestDistance) [best, bestDistance] = [colour, distance];
  }
  return best;
}
