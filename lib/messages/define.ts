import type { z } from 'zod';
import type { SenderClass } from './sender';

/** One command: who may send it, the schema of its input, and (as a type only) what it returns. */
export interface CommandSpec<TInput extends z.ZodType = z.ZodType, TOutput = unknown> {
  allow: readonly SenderClass[];
  input: TInput;
  /** Phantom: never set at run time; carries the output type. */
  readonly __output?: TOutput;
}
export type CommandTable = Record<string, CommandSpec>;

export function defineCommand<TOutput>() {
  return <TInput extends z.ZodType>(spec: {
    allow: readonly SenderClass[];
    input: TInput;
  }): CommandSpec<TInput, TOutput> => spec;
}

export type OutputOf<C> = C extends CommandSpec<z.ZodType, infer O> ? O : never;
export type InputOf<C> = C extends CommandSpec<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<C> = C extends CommandSpec<infer I, unknown> ? z.output<I> : never;
