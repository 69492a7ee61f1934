/** Small builders for the flow documents the benchmarks run (parsed with the flow schema by the caller). */
export const lit = (value: unknown) => ({ kind: 'literal', value });
export const ref = (node: string, ...path: string[]) => ({ kind: 'ref', node, path });
export const node = (id: string, type: string, inputs: Record<string, unknown>) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  inputs,
});
export const edge = (source: string, target: string, sourceHandle = 'next') => ({
  id: `${source}-${sourceHandle}-${target}`,
  source,
  sourceHandle,
  target,
});
