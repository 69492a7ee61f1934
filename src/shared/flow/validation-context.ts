import type { ValidationProblem } from '../api/contract.js';
import type { CardDescriptor } from '../cards/descriptor.js';
import type { CardNode, FlowDocument } from './schema.js';

/** What validation needs to know beyond the flow itself. */
export interface ValidationContext {
  /** Usually findDescriptor from src/shared/cards/catalog.ts. */
  findDescriptor(type: string): CardDescriptor | undefined;
  /** Other saved flows (helper flows). */
  findFlow(id: string): FlowDocument | undefined;
  /** Saved connections; when absent (e.g. a bundle checked elsewhere), connections are not checked. */
  findConnection?(id: string): { connector: string; name: string } | undefined;
}

/** A card as validation sees it: where it sits in the document and what its type declares. */
export interface IndexedCard {
  readonly node: CardNode;
  readonly index: number;
  readonly descriptor: CardDescriptor | undefined;
}

/** Collects problems for one flow; every check adds to it and none stops the others. */
export class ProblemList {
  readonly problems: ValidationProblem[] = [];
  private readonly seen = new Set<string>();

  add(code: string, node: string, path: (string | number)[], message: string): void {
    // The same mistake reached twice (e.g. `trigger.x.a` and `trigger.x.b`) is reported once.
    const key = JSON.stringify([code, node, path, message]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push({ code, node, path, message });
  }
}

/** "Card `Compose greeting` (compose1)": the title the admin sees, then the id formulas use. */
export function cardLabel(card: IndexedCard): string {
  const title = card.node.title?.trim() || card.descriptor?.title || card.node.type;
  return `Card \`${title}\` (${card.node.id})`;
}

export function quoteList(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  return names.map((n) => `\`${n}\``).join(', ');
}
