import { describe, expect, it } from 'vitest';
import { numberImplementations } from '../../../src/engine/cards/number.js';
import { numberCards } from '../../../src/shared/cards/catalog/number.js';
import { code, fakeContext, outputs, runCard } from './fake-context.js';

const result = async (type: string, inputs: Record<string, unknown>) => (await outputs(type, inputs))['result'];

describe('arithmetic', () => {
  it('adds, subtracts, multiplies and divides', async () => {
    expect(await result('number.add', { a: 2, b: 3 })).toBe(5);
    expect(await result('number.subtract', { a: 2, b: 3 })).toBe(-1);
    expect(await result('number.multiply', { a: 2.5, b: 4 })).toBe(10);
    expect(await result('number.divide', { a: 7, b: 2 })).toBe(3.5);
    expect(await result('number.divide', { a: 0, b: 5 })).toBe(0);
    expect(await result('number.modulo', { a: 7, b: 3 })).toBe(1);
    expect(await result('number.modulo', { a: 7.5, b: 2 })).toBe(1.5);
  });

  it('refuses to divide or take a remainder by zero', async () => {
    await expect(runCard('number.divide', { a: 1, b: 0 })).rejects.toEqual(code('NUMBER_DIVIDE_BY_ZERO'));
    await expect(runCard('number.divide', { a: 0, b: -0 })).rejects.toEqual(code('NUMBER_DIVIDE_BY_ZERO'));
    await expect(runCard('number.modulo', { a: 1, b: 0 })).rejects.toEqual(code('NUMBER_DIVIDE_BY_ZERO'));
  });
});

describe('number.round', () => {
  it('rounds halves away from zero, as people do', async () => {
    expect(await result('number.round', { value: 2.5 })).toBe(3);
    expect(await result('number.round', { value: -2.5 })).toBe(-3);
    expect(await result('number.round', { value: 2.4 })).toBe(2);
    expect(await result('number.round', { value: -0.4 })).toBe(0);
    expect(Object.is(await result('number.round', { value: -0.4 }), -0)).toBe(false);
  });

  it('rounds to decimals without binary surprises', async () => {
    expect(await result('number.round', { value: 1.005, decimals: 2 })).toBe(1.01);
    expect(await result('number.round', { value: 1.255, decimals: 2 })).toBe(1.26);
    expect(await result('number.round', { value: -1.005, decimals: 2 })).toBe(-1.01);
    expect(await result('number.round', { value: 123.456, decimals: 1 })).toBe(123.5);
    expect(await result('number.round', { value: 1e-7, decimals: 2 })).toBe(0);
    expect(await result('number.round', { value: 1.23e21, decimals: 2 })).toBe(1.23e21);
  });

  it('floors and ceils with decimals', async () => {
    expect(await result('number.round', { value: 1.239, decimals: 2, mode: 'floor' })).toBe(1.23);
    expect(await result('number.round', { value: -1.231, decimals: 2, mode: 'floor' })).toBe(-1.24);
    expect(await result('number.round', { value: 1.231, decimals: 2, mode: 'ceil' })).toBe(1.24);
    expect(await result('number.round', { value: -1.239, decimals: 2, mode: 'ceil' })).toBe(-1.23);
    expect(await result('number.round', { value: 2.7, mode: 'floor' })).toBe(2);
    expect(await result('number.round', { value: 2.1, mode: 'ceil' })).toBe(3);
  });

  it.each([-1, 16, 1.5])('refuses %s decimals', async (decimals) => {
    await expect(runCard('number.round', { value: 1, decimals })).rejects.toEqual(code('NUMBER_DECIMALS'));
  });

  it('refuses an unknown mode', async () => {
    await expect(runCard('number.round', { value: 1.5, mode: 'banker' })).rejects.toEqual(code('NUMBER_MODE'));
  });
});

describe('number.randomInt', () => {
  it('draws from ctx.random() within min and max, both included', async () => {
    const draw = async (random: number, min: number, max: number) =>
      (await outputs('number.randomInt', { min, max }, fakeContext({ random: [random] })))['result'];
    expect(await draw(0, 1, 6)).toBe(1);
    expect(await draw(0.5, 1, 6)).toBe(4);
    expect(await draw(0.999999, 1, 6)).toBe(6);
    expect(await draw(0.3, 5, 5)).toBe(5);
    expect(await draw(0.5, -10, 10)).toBe(0);
    expect(await draw(0.999, 1.2, 3.8)).toBe(3);
  });

  it('refuses min greater than max', async () => {
    await expect(runCard('number.randomInt', { min: 10, max: 1 })).rejects.toEqual(code('NUMBER_RANGE'));
    await expect(runCard('number.randomInt', { min: 1.2, max: 1.8 })).rejects.toThrow(/no whole number between 1.2/);
  });
});

describe('number edge cases', () => {
  it('keeps the sign of a in a remainder, as a division remainder does', async () => {
    expect(await result('number.modulo', { a: -7, b: 3 })).toBe(-1);
    expect(await result('number.modulo', { a: 7, b: -3 })).toBe(1);
  });

  it('floors and ceils without binary surprises', async () => {
    // 0.29 × 100 is 28.999999999999996 in binary; a person expects 0.29 to stay 0.29.
    expect(await result('number.round', { value: 0.29, decimals: 2, mode: 'floor' })).toBe(0.29);
    expect(await result('number.round', { value: 1.1, decimals: 1, mode: 'ceil' })).toBe(1.1);
    expect(await result('number.round', { value: 1.45, decimals: 1 })).toBe(1.5);
    expect(await result('number.round', { value: 0.1 + 0.2, decimals: 15 })).toBe(0.3);
    expect(await result('number.round', { value: 5e-7, decimals: 6 })).toBe(0.000001);
  });

  it('refuses a result too large to be a number instead of passing on nothing', async () => {
    await expect(runCard('number.multiply', { a: 1e308, b: 10 })).rejects.toEqual(code('NUMBER_TOO_LARGE'));
    await expect(runCard('number.add', { a: 1.7e308, b: 1.7e308 })).rejects.toThrow(/Add: the result is too large/);
    await expect(runCard('number.divide', { a: 1e308, b: 1e-10 })).rejects.toEqual(code('NUMBER_TOO_LARGE'));
    await expect(runCard('number.round', { value: Number.POSITIVE_INFINITY })).rejects.toEqual(
      code('NUMBER_TOO_LARGE'),
    );
  });

  it('refuses a random range too wide to draw every whole number', async () => {
    await expect(runCard('number.randomInt', { min: 0, max: 1e300 })).rejects.toThrow(/too wide/);
    await expect(
      runCard('number.randomInt', { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    ).rejects.toEqual(code('NUMBER_RANGE'));
  });

  it('pairs every number descriptor with an implementation and the reverse', () => {
    expect(numberImplementations.map((impl) => impl.descriptor)).toEqual(numberCards);
  });
});
