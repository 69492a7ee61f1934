import { TRIGGER_NODE_ID } from './schema.js';

/**
 * The control graph of a flow: which card can run after which. The trigger is a node named
 * `trigger`. Built only from edges whose both ends exist, so odd documents cannot break it.
 */
export class ControlGraph {
  private readonly successors = new Map<string, string[]>();
  private readonly predecessors = new Map<string, string[]>();
  private readonly ancestorCache = new Map<string, ReadonlySet<string>>();

  constructor(readonly cardIds: readonly string[]) {
    for (const id of [TRIGGER_NODE_ID, ...cardIds]) {
      this.successors.set(id, []);
      this.predecessors.set(id, []);
    }
  }

  connect(source: string, target: string): void {
    this.successors.get(source)?.push(target);
    this.predecessors.get(target)?.push(source);
  }

  hasStart(): boolean {
    return (this.successors.get(TRIGGER_NODE_ID)?.length ?? 0) > 0;
  }

  /** Every card a run can reach from the trigger. */
  reachableFromTrigger(): ReadonlySet<string> {
    return walk(TRIGGER_NODE_ID, this.successors);
  }

  /** Cards (and the trigger) from which a path leads to this card: those have run before it. */
  ancestors(id: string): ReadonlySet<string> {
    let found = this.ancestorCache.get(id);
    if (!found) {
      found = walk(id, this.predecessors);
      this.ancestorCache.set(id, found);
    }
    return found;
  }

  /**
   * The loops in the graph, each as the cards along one loop in running order
   * (`[a, b, c]` for a → b → c → a). One entry per group of cards that loop into each other.
   */
  cycles(): string[][] {
    return stronglyConnectedGroups(this.cardIds, this.successors)
      .filter((group) => group.length > 1 || (this.successors.get(group[0] ?? '') ?? []).includes(group[0] ?? ''))
      .map((group) => loopThrough(group, this.cardIds, this.successors));
  }
}

/** Everything reachable from `start` (excluding start itself unless a path returns to it). */
function walk(start: string, next: ReadonlyMap<string, string[]>): Set<string> {
  const found = new Set<string>();
  const pending = [...(next.get(start) ?? [])];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (found.has(id)) continue;
    found.add(id);
    pending.push(...(next.get(id) ?? []));
  }
  return found;
}

/** Tarjan's algorithm, iterative so a long chain of cards cannot overflow the stack. */
function stronglyConnectedGroups(ids: readonly string[], successors: ReadonlyMap<string, string[]>): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;

  for (const root of ids) {
    if (order.has(root)) continue;
    const frames: { id: string; next: number }[] = [{ id: root, next: 0 }];
    order.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { id: string; next: number };
      const targets = successors.get(frame.id) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++] as string;
        if (!order.has(target)) {
          order.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          frames.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, order.get(target) as number));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) === order.get(frame.id)) {
        const group: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.id);
        groups.push(group);
      }
    }
  }
  return groups;
}

/** One concrete loop inside a group, starting from its first card in document order. */
function loopThrough(
  group: readonly string[],
  documentOrder: readonly string[],
  successors: ReadonlyMap<string, string[]>,
): string[] {
  const members = new Set(group);
  const start = documentOrder.find((id) => members.has(id)) as string;
  // Breadth-first from start back to start, staying inside the group: the shortest loop reads best.
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const target of successors.get(id) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const loop = [id];
        for (let step = id; step !== start;) {
          step = cameFrom.get(step) as string;
          loop.unshift(step);
        }
        return loop;
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, id);
        queue.push(target);
      }
    }
  }
  return [start];
}
