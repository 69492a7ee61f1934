import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RangeReader } from '../../../src/engine/services/range-reader.js';
import { useTempDatabases } from '../store/temp-database.js';

const temp = useTempDatabases();

function wordsDatabase() {
  const file = path.join(temp.dir(), 'words.db');
  const db = temp.open(file);
  db.exec('CREATE TABLE words (w TEXT); CREATE INDEX words_w ON words (w)');
  const insert = db.prepare('INSERT INTO words (w) VALUES (?)');
  for (const w of ['apple', 'apricot', 'banana', 'blueberry', 'cherry']) insert.run(w);
  return file;
}

const RANGE = 'SELECT w FROM words WHERE w >= ? AND w < ? ORDER BY w';

describe('RangeReader: index ranges read on a worker thread', () => {
  it('answers the ranges asked for, each once, and only for the bounds asked', async () => {
    const reader = new RangeReader(wordsDatabase(), RANGE);
    reader.prefetch([
      ['ap', 'aq'],
      ['b', 'c'],
      ['d', 'e'],
    ]);
    await reader.settled();
    expect(reader.take('ap', 'aq')).toEqual(['apple', 'apricot']);
    expect(reader.take('ap', 'aq')).toBeUndefined();
    expect(reader.take('b', 'bz')).toBeUndefined();
    expect(reader.take('d', 'e')).toEqual([]);
    expect(reader.taken).toBe(2);
    await reader.close();
  });

  it('sends a summary of each range, computed on the worker, instead of its values', async () => {
    const summary = {
      source: 'return (values, from, to, scale) => [values.length * scale, ...values.map((v) => v.length)];',
      args: [10],
    };
    const reader = new RangeReader(wordsDatabase(), RANGE, summary);
    reader.prefetch([
      ['ap', 'aq'],
      ['c', 'd'],
      ['x', 'y'],
    ]);
    await reader.settled();
    const summaryOf = (from: string, to: string) => {
      const part = reader.takeSummary(from, to);
      return part && Array.from(part.numbers.subarray(part.start, part.end));
    };
    expect(summaryOf('ap', 'aq')).toEqual([20, 5, 7]);
    expect(summaryOf('c', 'd')).toEqual([10, 6]);
    expect(summaryOf('x', 'y')).toEqual([0]);
    expect(reader.takeSummary('c', 'd')).toBeUndefined();
    await reader.close();
  });

  it('stops reading ahead for good when the worker fails, so every range is read in place', async () => {
    const reader = new RangeReader(wordsDatabase(), 'SELECT w FROM no_such_table WHERE w >= ? AND w < ?');
    reader.prefetch([['a', 'b']]);
    await reader.settled();
    expect(reader.available).toBe(false);
    expect(reader.take('a', 'b')).toBeUndefined();
    reader.prefetch([['a', 'b']]);
    expect(reader.take('a', 'b')).toBeUndefined();
  });

  it('never starts for a database in memory', () => {
    const reader = new RangeReader(':memory:', RANGE);
    expect(reader.available).toBe(false);
    reader.prefetch([['a', 'b']]);
    expect(reader.take('a', 'b')).toBeUndefined();
  });
});
