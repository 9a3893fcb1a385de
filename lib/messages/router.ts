import type { ExtensionMessenger } from '@webext-core/messaging';
import { classifySender, type SenderClass, type SenderFacts } from './sender';
import { Commands, type CommandName, type CommandOutputs, type ProtocolMap, type Reply } from './protocol';
import { errorInfo } from '../kakao/errors';
import type { CommandTable, OutputOf, ParsedInputOf } from './define';

export interface HandlerContext {
  senderClass: SenderClass;
  /** The tab a content script runs in, when it has one. */
  tabId: number | undefined;
  /**
   * The sending document's origin, from browser-vouched facts only: `sender.origin`
   * (Chrome), else the origin of `sender.tab.url` (Firefox) for the top frame only; never `sender.url`.
   */
  origin: string | undefined;
}
/** The handlers for one command table (a feature's), typed from its specs. */
export type HandlersFor<T extends CommandTable> = {
  [K in keyof T]: (input: ParsedInputOf<T[K]>, ctx: HandlerContext) => Promise<OutputOf<T[K]>>;
};
export type Handlers = HandlersFor<typeof Commands>;

/**
 * Registers one listener per command. Each checks the sender class against the
 * command's allow-list, parses the input with its schema, then runs the handler;
 * a thrown error becomes a typed error value (the key is never in it).
 */
export function registerHandlers(
  messenger: Pick<ExtensionMessenger<ProtocolMap>, 'onMessage'>,
  handlers: Handlers,
  identity: { id: string; origin: string },
): () => void {
  // One listener per command; the per-command types are enforced by `dispatch`.
  const onMessage = messenger.onMessage as (
    name: CommandName,
    cb: (message: { data: unknown; sender: unknown }) => Promise<unknown>,
  ) => () => void;
  const removers = (Object.keys(Commands) as CommandName[]).map((name) =>
    onMessage(name, (message) =>
      dispatch(name, message.data, message.sender as SenderFacts & { tab?: { id?: number } }, handlers, identity),
    ),
  );
  return () => removers.forEach((remove) => remove());
}

function senderOrigin(sender: (SenderFacts & { tab?: { url?: string } }) | undefined): string | undefined {
  if (typeof sender?.origin === 'string' && sender.origin !== 'null') return sender.origin;
  // The tab's URL is the top document's: it says nothing about a subframe (which may be another site).
  if (sender?.frameId !== 0) return undefined;
  const tabUrl = sender?.tab?.url;
  if (typeof tabUrl !== 'string') return undefined;
  try {
    return new URL(tabUrl).origin;
  } catch {
    return undefined;
  }
}

export async function dispatch<K extends CommandName>(
  name: K,
  data: unknown,
  sender: (SenderFacts & { tab?: { id?: number; url?: string } }) | undefined,
  handlers: Handlers,
  identity: { id: string; origin: string },
): Promise<Reply<CommandOutputs[K]>> {
  const command = Commands[name];
  const senderClass = classifySender(sender, identity.id, identity.origin);
  if (!(command.allow as readonly SenderClass[]).includes(senderClass)) {
    return { ok: false, refusal: 'refused_sender', detail: `${name} is not allowed from ${senderClass}` };
  }
  const parsed = command.input.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      refusal: 'invalid_message',
      detail: `${name}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    };
  }
  try {
    const handler = handlers[name] as (input: unknown, ctx: HandlerContext) => Promise<CommandOutputs[K]>;
    const value = await handler(parsed.data, { senderClass, tabId: sender?.tab?.id, origin: senderOrigin(sender) });
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: errorInfo(err) };
  }
}
