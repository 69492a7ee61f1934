import { TRIGGER_NODE_ID } from '../../shared/flow/schema.js';
import type { CardInputs, LookaheadContext, UpcomingRows } from '../cards/types.js';
import type { FrameValues, PlannedCard, PlannedInput } from './plan.js';

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
  private readonly inputsByCard: ReadonlyMap<string, PlannedInput>[];

  constructor(
    private readonly cards: readonly PlannedCard[],
    private readonly ctx: LookaheadContext,
    /** A row's trigger inputs; throws for a row that cannot run (it meets the error in its turn). */
    private readonly inputsOf: (index: number) => CardInputs,
    private readonly total: number,
    /** Rows finished before (a resumed run): never told about. */
    private readonly done: ReadonlyMap<number, unknown>,
  ) {
    this.inputsByCard = cards.map((card) => new Map(card.inputs.map((input) => [input.name, input])));
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
    const rows: FrameValues[] = [];
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
      rows.push({ [TRIGGER_NODE_ID]: inputs });
    }
    if (rows.length === 0) return;
    for (let c = 0; c < this.cards.length; c++) {
      const inputs = this.inputsByCard[c]!;
      const upcoming: UpcomingRows = {
        count: rows.length,
        input(i, name) {
          const input = inputs.get(name);
          const values = rows[i];
          if (input === undefined || values === undefined) return undefined;
          try {
            return input.resolve(values);
          } catch {
            return undefined;
          }
        },
      };
      try {
        this.cards[c]!.impl.lookahead?.(upcoming, this.ctx);
      } catch {
        // Advisory only: each row's own run decides what happens to it.
      }
    }
  }
}
