import { TRIGGER_NODE_ID } from '../../shared/flow/schema.js';
import type { CardInputs, LookaheadContext, UpcomingRows } from '../cards/types.js';
import type { FlowPlan, FrameValues, PlannedCard, PlannedInput } from './plan.js';

/** Rows a loop tells its cards about ahead of their turn (see CardImplementation.lookahead). */
const LOOKAHEAD_ROWS = 4096;
/**
 * Trigger inputs built for rows told about wait for their row's turn in a ring of this many slots
 * (a power of two): rows are told at most LOOKAHEAD_ROWS ahead of the row starting, so a slot is
 * only reused once its row has started, unless far more rows than that are in flight (the slot
 * then no longer holds its row, which builds its inputs again).
 */
const RING = 16384;

/**
 * What a loop (For Each, a bulk run) tells the cards of its flow about rows to come, for the cards
 * with a lookahead (plan.lookahead). A row's trigger inputs are built once: when told about, kept
 * for the row's turn.
 */
export class LoopLookahead {
  private toldTo = 0;
  private readonly slotRow = new Int32Array(RING).fill(-1);
  private readonly slotInputs: (CardInputs | undefined)[] = new Array<CardInputs | undefined>(RING);
  private readonly cards: readonly PlannedCard[];
  private readonly inputsByCard: ReadonlyMap<string, PlannedInput>[];
  /** Per card, the inputs that come from the row; the others are literals, or not set. */
  private readonly fromRowByCard: ReadonlySet<string>[];
  /** The frame values an input is resolved against, the row's trigger inputs swapped in. */
  private readonly values: FrameValues = {};

  constructor(
    plan: FlowPlan,
    private readonly ctx: LookaheadContext,
    /** A row's trigger inputs; throws for a row that cannot run (it meets the error in its turn). */
    private readonly inputsOf: (index: number) => CardInputs,
    private readonly total: number,
    /** Rows finished before (a resumed run): never told about. */
    private readonly done: ReadonlyMap<number, unknown>,
  ) {
    this.cards = plan.lookahead;
    this.inputsByCard = this.cards.map((card) => new Map(card.inputs.map((input) => [input.name, input])));
    this.fromRowByCard = this.cards.map((card) => {
      const bindings = Object.entries(plan.flow.nodes.find((node) => node.id === card.id)?.inputs ?? {});
      return new Set(bindings.filter(([, binding]) => binding.kind !== 'literal').map(([name]) => name));
    });
  }

  /** Row `index`'s trigger inputs, as it starts; tells the cards about further rows when due. */
  inputsFor(index: number): CardInputs {
    if (index + LOOKAHEAD_ROWS / 2 >= this.toldTo) this.tell(index);
    const slot = index & (RING - 1);
    if (this.slotRow[slot] !== index) return this.inputsOf(index);
    const inputs = this.slotInputs[slot]!;
    this.slotRow[slot] = -1;
    this.slotInputs[slot] = undefined;
    return inputs;
  }

  private tell(from: number): void {
    const start = Math.max(this.toldTo, from + 1);
    const end = Math.min(this.total, from + LOOKAHEAD_ROWS);
    this.toldTo = Math.max(this.toldTo, end);
    const rows: CardInputs[] = [];
    for (let index = start; index < end; index++) {
      if (this.done.has(index)) continue;
      let inputs: CardInputs;
      try {
        inputs = this.inputsOf(index);
      } catch {
        continue;
      }
      const slot = index & (RING - 1);
      this.slotRow[slot] = index;
      this.slotInputs[slot] = inputs;
      rows.push(inputs);
    }
    if (rows.length === 0) return;
    const values = this.values;
    for (let c = 0; c < this.cards.length; c++) {
      const inputs = this.inputsByCard[c]!;
      const fromRow = this.fromRowByCard[c]!;
      const upcoming: UpcomingRows = {
        count: rows.length,
        input(i, name) {
          const input = inputs.get(name);
          const row = rows[i];
          if (input === undefined || row === undefined) return undefined;
          values[TRIGGER_NODE_ID] = row;
          try {
            return input.resolve(values);
          } catch {
            return undefined;
          }
        },
        sameForEveryRow: (name) => !fromRow.has(name),
      };
      try {
        this.cards[c]!.impl.lookahead?.(upcoming, this.ctx);
      } catch {
        // Advisory only: each row's own run decides what happens to it.
      }
    }
  }
}
