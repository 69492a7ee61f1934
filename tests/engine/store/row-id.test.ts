import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedId } from '../../../src/engine/store/row-id.js';

describe('time-ordered row ids', () => {
  it('are RFC 9562 version 7 UUIDs that carry the time', () => {
    const id = timeOrderedId(Date.UTC(2026, 10, 29, 6, 0, 0));
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2026, 10, 29, 6, 0, 0));
  });

  it('sort by creation time and do not repeat within a millisecond', () => {
    const ids = [timeOrderedId(1000), timeOrderedId(2000), timeOrderedId(3000)];
    expect([...ids].sort()).toEqual(ids);
    const sameMs = new Set(Array.from({ length: 50_000 }, () => timeOrderedId(5000)));
    expect(sameMs.size).toBe(50_000);
  });
});
