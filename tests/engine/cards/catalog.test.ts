import { describe, expect, it } from 'vitest';
import { CARD_IMPLEMENTATIONS } from '../../../src/engine/cards/registry.js';
import { CARD_CATALOG, findDescriptor } from '../../../src/shared/cards/catalog.js';
import { CARD_CATEGORIES } from '../../../src/shared/cards/descriptor.js';
import type { ValueType } from '../../../src/shared/values.js';
import { VALUE_TYPES } from '../../../src/shared/values.js';

function matchesType(value: unknown, type: ValueType): boolean {
  switch (type) {
    case 'text':
    case 'flow':
    case 'table':
    case 'expression':
    case 'connection':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'list':
      return Array.isArray(value);
    case 'any':
      return true;
  }
}

describe('card catalog', () => {
  it('has unique card types named category.name', () => {
    const types = CARD_CATALOG.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const d of CARD_CATALOG) {
      expect(CARD_CATEGORIES).toContain(d.category);
      // Connector actions are named after their connector (okta.createUser), the others after their category.
      expect(d.type.startsWith(`${d.connector?.id ?? d.category}.`), d.type).toBe(true);
      expect(d.category === 'connector', d.type).toBe(d.connector !== undefined);
      expect(findDescriptor(d.type)).toBe(d);
    }
  });

  it('pairs every descriptor with exactly one implementation holding the same descriptor object, and the reverse', () => {
    // Connector action cards are run by the connector runtime (tests/engine/connectors).
    const cards = CARD_CATALOG.filter((d) => !d.connector);
    expect(CARD_IMPLEMENTATIONS.size).toBe(cards.length);
    for (const descriptor of cards) {
      const impl = CARD_IMPLEMENTATIONS.get(descriptor.type);
      expect(impl, descriptor.type).toBeDefined();
      expect(impl?.descriptor).toBe(descriptor);
      expect(typeof impl?.run).toBe('function');
    }
    for (const [type, impl] of CARD_IMPLEMENTATIONS) {
      expect(impl.descriptor.type).toBe(type);
      expect(CARD_CATALOG.filter((d) => d === impl.descriptor)).toHaveLength(1);
    }
  });

  it('gives every card, input and output a title and description', () => {
    for (const d of CARD_CATALOG) {
      expect(d.title.trim(), d.type).not.toBe('');
      expect(d.description.trim(), d.type).not.toBe('');
      for (const field of [...d.inputs, ...d.outputs]) {
        expect(field.title.trim(), `${d.type}.${field.name}`).not.toBe('');
        expect(field.description.trim(), `${d.type}.${field.name}`).not.toBe('');
      }
      if (d.extraInputs) expect(d.extraInputs.description.trim(), d.type).not.toBe('');
    }
  });

  it('uses unique, known-typed input and output names', () => {
    for (const d of CARD_CATALOG) {
      const inputs = d.inputs.map((i) => i.name);
      const outputs = d.outputs.map((o) => o.name);
      expect(new Set(inputs).size, d.type).toBe(inputs.length);
      expect(new Set(outputs).size, d.type).toBe(outputs.length);
      for (const field of [...d.inputs, ...d.outputs])
        expect(VALUE_TYPES, `${d.type}.${field.name}`).toContain(field.type);
    }
  });

  it('gives defaults that match the input type and its options', () => {
    for (const d of CARD_CATALOG) {
      for (const input of d.inputs) {
        if (input.default === undefined) continue;
        const where = `${d.type}.${input.name} = ${JSON.stringify(input.default)}`;
        expect(matchesType(input.default, input.type), where).toBe(true);
        if (input.options) expect(input.options, where).toContain(input.default);
      }
    }
  });

  it('marks ending cards terminal and keeps their handles empty', () => {
    for (const d of CARD_CATALOG) {
      if (d.terminal) {
        expect(d.handles ?? [], d.type).toEqual([]);
        expect(d.handlesFromExtraInputs, d.type).toBeUndefined();
      }
    }
    expect(findDescriptor('control.return')?.terminal).toBe(true);
    expect(findDescriptor('control.returnError')?.terminal).toBe(true);
  });

  it('declares clock and random cards nondeterministic', () => {
    expect(findDescriptor('date.now')?.effect).toBe('nondeterministic');
    expect(findDescriptor('number.randomInt')?.effect).toBe('nondeterministic');
    for (const type of ['list.forEach', 'control.callFlow', 'control.ifError', 'control.waitFor', 'control.waitUntil'])
      expect(findDescriptor(type)?.effect, type).toBe('sideEffect');
  });
});
