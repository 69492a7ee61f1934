import type { JsonValue } from '../flow/schema.js';
import type { ValueType } from '../values.js';

export const CARD_CATEGORIES = [
  'text',
  'list',
  'object',
  'branch',
  'control',
  'date',
  'number',
  'boolean',
  'json',
  'table',
  'identity',
  'connector',
] as const;
export type CardCategory = (typeof CARD_CATEGORIES)[number];

export interface InputDescriptor {
  name: string;
  title: string;
  type: ValueType;
  /** Item type of a list input, for the inspector. */
  itemType?: ValueType;
  required: boolean;
  description: string;
  /** Allowed literal values (rendered as a select). */
  options?: readonly string[];
  default?: JsonValue;
  /** Render as a multi-line text area. */
  multiline?: boolean;
}

export interface OutputDescriptor {
  name: string;
  title: string;
  type: ValueType;
  description: string;
}

/**
 * What the executor must know about a card's effects for durability:
 * - pure: same inputs give the same outputs, no side effects; may be recomputed after a crash.
 * - nondeterministic: no side effects but the result varies (now, random); recorded before
 *   anything that could commit work built on it (the frame's next card that is not pure).
 * - sideEffect: changes the world (tables, connectors, waits); recorded before the run moves on.
 */
export type CardEffect = 'pure' | 'nondeterministic' | 'sideEffect';

/** One descriptor per card type: palette, inspector, validation and executor all read it. */
export interface CardDescriptor {
  /** Catalog id, `category.name`, e.g. `text.compose`; connector actions are `connector.action`, e.g. `okta.createUser`. */
  type: string;
  category: CardCategory;
  /** Connector action cards: the connector they belong to, for the palette and the canvas. */
  connector?: { id: string; name: string; icon: string };
  title: string;
  description: string;
  inputs: readonly InputDescriptor[];
  /** User-named inputs beyond the declared ones (object.construct keys, join fields, call-flow inputs). */
  extraInputs?: { type: ValueType; description: string };
  outputs: readonly OutputDescriptor[];
  /** Outputs not known from the descriptor alone (helper outputs, extra-input mirrors): references are not checked by name. */
  dynamicOutputs?: boolean;
  /** Output handles the card routes to. Default `['next']`. `error` is added when settings.onError = branch. */
  handles?: readonly string[];
  effect: CardEffect;
  /** The card ends the flow (return, return error): it has no outgoing handles. */
  terminal?: boolean;
  /**
   * Handles named after the node's extra inputs (if / else-if: one handle per condition),
   * followed by these fixed ones (e.g. `['else']`). Overrides `handles`.
   */
  handlesFromExtraInputs?: readonly string[];
}

export const DEFAULT_HANDLES: readonly string[] = ['next'];
export const ERROR_HANDLE = 'error';

/** The output handles a card on the canvas offers, given its inputs (and its on-error setting). */
export function nodeHandles(
  descriptor: CardDescriptor,
  node: { inputs: Record<string, unknown>; settings?: { onError?: string } | undefined },
): string[] {
  if (descriptor.terminal) return [];
  let handles: string[];
  if (descriptor.handlesFromExtraInputs) {
    const declared = new Set(descriptor.inputs.map((i) => i.name));
    handles = [...Object.keys(node.inputs).filter((name) => !declared.has(name)), ...descriptor.handlesFromExtraInputs];
  } else {
    handles = [...(descriptor.handles ?? DEFAULT_HANDLES)];
  }
  if (node.settings?.onError === 'branch' && !handles.includes(ERROR_HANDLE)) handles.push(ERROR_HANDLE);
  return handles;
}

/** Small builders keep descriptor files short and uniform. */
export function input(
  name: string,
  type: ValueType,
  description: string,
  extra: Partial<Omit<InputDescriptor, 'name' | 'type' | 'description'>> = {},
): InputDescriptor {
  return { name, title: extra.title ?? name, type, required: extra.required ?? true, description, ...extra };
}

export function output(name: string, type: ValueType, description: string, title = name): OutputDescriptor {
  return { name, title, type, description };
}
