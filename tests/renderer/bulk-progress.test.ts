import { describe, expect, it } from 'vitest';
import { progressFigures } from '../../src/renderer/src/bulk/progress.js';

describe('bulk run progress', () => {
  it('shows done, percent, the recent rate and the time left', () => {
    const figures = progressFigures(
      [
        { at: 0, done: 0 },
        { at: 2000, done: 1000 },
      ],
      10_000,
    );
    expect(figures).toEqual({ done: 1000, percent: 10, rate: 500, left: '18 s' });
  });

  it('says nothing about time left before there is a rate, and formats long waits', () => {
    expect(progressFigures([{ at: 0, done: 0 }], 100).left).toBe('…');
    expect(
      progressFigures(
        [
          { at: 0, done: 0 },
          { at: 1000, done: 1 },
        ],
        5000,
      ).left,
    ).toBe('1 h 23 min');
  });
});
