/**
 * Reads a value from a parsed response body by a dotted path, the way connector settings name
 * fields: `response_metadata.next_cursor`, `0.errorCode` (first array item), `''` (the body
 * itself). `errorCauses[].errorSummary` collects that field from every item of an array.
 */
export function readPath(value: unknown, path: string): unknown {
  if (path === '' || path === '.') return value;
  const [head, ...rest] = path.split('.');
  const remaining = rest.join('.');
  if (head === undefined) return value;
  if (head.endsWith('[]')) {
    const list = readStep(value, head.slice(0, -2));
    if (!Array.isArray(list)) return undefined;
    return list.map((item: unknown) => readPath(item, remaining)).filter((item) => item !== undefined);
  }
  const next = readStep(value, head);
  return rest.length === 0 ? next : readPath(next, remaining);
}

function readStep(value: unknown, key: string): unknown {
  if (key === '') return value;
  if (Array.isArray(value)) return /^\d+$/.test(key) ? value[Number(key)] : undefined;
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, key)) {
    return (value as Record<string, unknown>)[key];
  }
  return undefined;
}

/** A path's value as display text, or undefined when it is missing or not a simple value. */
export function readText(value: unknown, path: string): string | undefined {
  const found = readPath(value, path);
  if (typeof found === 'string') return found.trim() === '' ? undefined : found;
  if (typeof found === 'number' || typeof found === 'boolean') return String(found);
  return undefined;
}
