/** A channel as people know it: `@channeldesk · _ZeUTxl` where Kakao told us its name, else the public ID. */
export function channelLabel(channelId: string, names: Record<string, string> | undefined): string {
  const name = names?.[channelId];
  if (!name) return channelId;
  return `${name.startsWith('@') ? name : `@${name}`} · ${channelId}`;
}
