import { afterEach, describe, expect, it } from 'vitest';
import { objectImplementations } from '../../../src/engine/cards/object.js';
import { CARD_IMPLEMENTATIONS } from '../../../src/engine/cards/registry.js';
import { objectCards } from '../../../src/shared/cards/catalog/object.js';
import { code, outputs, runCard } from './fake-context.js';

const user = { name: 'Ana', profile: { email: 'ana@example.com', phones: ['+1 555', '+1 556'] }, groups: ['it'] };

afterEach(() => {
  // No card may ever reach Object.prototype.
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
});

it('implements every object card with the catalog descriptor itself, and nothing else', () => {
  expect(objectImplementations.map((impl) => impl.descriptor.type)).toEqual(objectCards.map((d) => d.type));
  objectCards.forEach((descriptor, n) => {
    expect(objectImplementations[n]?.descriptor, descriptor.type).toBe(descriptor);
    expect(CARD_IMPLEMENTATIONS.get(descriptor.type), descriptor.type).toBe(objectImplementations[n]);
    expect(descriptor.effect, descriptor.type).toBe('pure');
  });
  expect(objectCards.find((d) => d.type === 'object.getMultiple')?.dynamicOutputs).toBe(true);
});

describe('object.construct', () => {
  it('builds an object from the added inputs, in order', async () => {
    const result = await outputs('object.construct', { email: 'ana@example.com', manager: null, groups: ['it'] });
    expect(result).toEqual({ object: { email: 'ana@example.com', manager: null, groups: ['it'] } });
    expect(Object.keys(result['object'] as object)).toEqual(['email', 'manager', 'groups']);
    expect(await outputs('object.construct', {})).toEqual({ object: {} });
  });

  it('refuses prototype field names', async () => {
    const inputs = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    await expect(runCard('object.construct', inputs)).rejects.toEqual(code('OBJECT_PATH_FORBIDDEN'));
  });
});

describe('object.get', () => {
  it('reads nested fields by dot or bracket path', async () => {
    expect(await outputs('object.get', { object: user, path: 'profile.email' })).toEqual({
      value: 'ana@example.com',
      found: true,
    });
    expect(await outputs('object.get', { object: user, path: 'profile.phones[1]' })).toEqual({
      value: '+1 556',
      found: true,
    });
    expect(await outputs('object.get', { object: user, path: 'profile.phones.0' })).toEqual({
      value: '+1 555',
      found: true,
    });
  });

  it('gives found=false and null for a missing path, and found=true for a null field', async () => {
    expect(await outputs('object.get', { object: user, path: 'profile.fax' })).toEqual({ value: null, found: false });
    expect(await outputs('object.get', { object: user, path: 'name.first' })).toEqual({ value: null, found: false });
    expect(await outputs('object.get', { object: { manager: null }, path: 'manager' })).toEqual({
      value: null,
      found: true,
    });
  });

  it('does not read inherited properties', async () => {
    expect(await outputs('object.get', { object: {}, path: 'toString' })).toEqual({ value: null, found: false });
    expect(await outputs('object.get', { object: {}, path: 'hasOwnProperty' })).toEqual({ value: null, found: false });
  });

  it.each(['__proto__', 'a.__proto__.polluted', 'constructor.prototype', 'a[0].prototype'])(
    'refuses the path %s with OBJECT_PATH_FORBIDDEN',
    async (path) => {
      await expect(runCard('object.get', { object: user, path })).rejects.toEqual(code('OBJECT_PATH_FORBIDDEN'));
    },
  );
});

describe('object.getMultiple', () => {
  it('reads each added path into an output of the same name', async () => {
    expect(
      await outputs('object.getMultiple', {
        object: user,
        email: 'profile.email',
        phone: 'profile.phones[0]',
        x: 'nope',
      }),
    ).toEqual({ email: 'ana@example.com', phone: '+1 555', x: null });
  });

  it('refuses forbidden paths and output names', async () => {
    await expect(runCard('object.getMultiple', { object: user, bad: '__proto__' })).rejects.toEqual(
      code('OBJECT_PATH_FORBIDDEN'),
    );
    const inputs = { object: user, ...(JSON.parse('{"__proto__": "name"}') as Record<string, unknown>) };
    await expect(runCard('object.getMultiple', inputs)).rejects.toEqual(code('OBJECT_PATH_FORBIDDEN'));
  });
});

describe('object.set', () => {
  it('returns a changed copy and leaves the input alone', async () => {
    const input = structuredClone(user);
    const { object } = await outputs('object.set', { object: input, path: 'profile.email', value: 'a.l@example.com' });
    expect(object).toEqual({ ...user, profile: { ...user.profile, email: 'a.l@example.com' } });
    expect(input).toEqual(user);
    expect((object as typeof user).groups).toEqual(user.groups);
  });

  it('creates missing parents', async () => {
    expect(await outputs('object.set', { object: {}, path: 'a.b.c', value: 1 })).toEqual({
      object: { a: { b: { c: 1 } } },
    });
    expect(await outputs('object.set', { object: { a: 'text' }, path: 'a.b', value: 1 })).toEqual({
      object: { a: { b: 1 } },
    });
  });

  it('sets list items by position without changing the input list', async () => {
    const input = structuredClone(user);
    const { object } = await outputs('object.set', { object: input, path: 'profile.phones[1]', value: '+1 999' });
    expect((object as typeof user).profile.phones).toEqual(['+1 555', '+1 999']);
    expect(input.profile.phones).toEqual(['+1 555', '+1 556']);
  });

  it('creates a missing parent list for a position, without holes', async () => {
    expect(await outputs('object.set', { object: {}, path: 'emails[0]', value: 'a@x' })).toEqual({
      object: { emails: ['a@x'] },
    });
    expect(
      await outputs('object.set', { object: { emails: ['a@x'] }, path: 'emails[2].primary', value: true }),
    ).toEqual({ object: { emails: ['a@x', null, { primary: true }] } });
  });

  it('refuses a field name inside a list instead of replacing the list', async () => {
    const input = { emails: ['a@x', 'b@x'] };
    await expect(runCard('object.set', { object: input, path: 'emails.primary', value: 'a@x' })).rejects.toEqual(
      code('OBJECT_PATH_LIST'),
    );
    await expect(runCard('object.set', { object: input, path: 'emails.primary', value: 'a@x' })).rejects.toThrow(
      /`emails.primary`.*\[0\]\.primary/,
    );
    expect(input).toEqual({ emails: ['a@x', 'b@x'] });
  });

  it('refuses a position far past the end of a list', async () => {
    await expect(runCard('object.set', { object: {}, path: 'emails[999999999]', value: 1 })).rejects.toEqual(
      code('OBJECT_PATH_INDEX'),
    );
  });

  it('sets null when no value is bound', async () => {
    expect(await outputs('object.set', { object: { a: 1 }, path: 'a' })).toEqual({ object: { a: null } });
  });

  it('refuses an empty path instead of replacing the whole object', async () => {
    await expect(runCard('object.set', { object: { a: 1 }, path: '', value: 'x' })).rejects.toEqual(
      code('OBJECT_PATH_EMPTY'),
    );
  });

  it.each(['__proto__.polluted', 'constructor.prototype.polluted', 'a.__proto__.polluted'])(
    'refuses %s and does not pollute Object.prototype',
    async (path) => {
      await expect(runCard('object.set', { object: {}, path, value: true })).rejects.toEqual(
        code('OBJECT_PATH_FORBIDDEN'),
      );
    },
  );
});

describe('object.merge', () => {
  const a = { name: 'Ana', profile: { email: 'a@x', title: 'Admin' }, groups: ['it'] };
  const b = { profile: { email: 'ana@x' }, groups: ['hr'], active: true };

  it('merges shallowly by default: fields of b win whole', async () => {
    expect(await outputs('object.merge', { a, b })).toEqual({
      object: { name: 'Ana', profile: { email: 'ana@x' }, groups: ['hr'], active: true },
    });
  });

  it('merges nested objects when deep, replacing lists', async () => {
    const aCopy = structuredClone(a);
    expect(await outputs('object.merge', { a: aCopy, b, deep: true })).toEqual({
      object: { name: 'Ana', profile: { email: 'ana@x', title: 'Admin' }, groups: ['hr'], active: true },
    });
    expect(aCopy).toEqual(a);
  });

  it('refuses prototype keys in b', async () => {
    const b = JSON.parse('{"x": {"__proto__": {"polluted": true}}}') as Record<string, unknown>;
    await expect(runCard('object.merge', { a: { x: {} }, b, deep: true })).rejects.toEqual(
      code('OBJECT_PATH_FORBIDDEN'),
    );
    const top = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    await expect(runCard('object.merge', { a: {}, b: top })).rejects.toEqual(code('OBJECT_PATH_FORBIDDEN'));
  });
});

describe('object pick, omit, keys and values', () => {
  it('pick keeps only the named fields that exist', async () => {
    expect(await outputs('object.pick', { object: user, keys: ['name', 'groups', 'missing'] })).toEqual({
      object: { name: 'Ana', groups: ['it'] },
    });
    expect(await outputs('object.pick', { object: user, keys: ['toString'] })).toEqual({ object: {} });
  });

  it.each(['object.pick', 'object.omit'])('%s refuses prototype names in keys', async (type) => {
    for (const key of ['__proto__', 'constructor', 'prototype'])
      await expect(runCard(type, { object: { a: 1 }, keys: ['a', key] })).rejects.toEqual(
        code('OBJECT_PATH_FORBIDDEN'),
      );
  });

  it('pick and omit skip empty entries in keys and read other values as text', async () => {
    expect(await outputs('object.pick', { object: { 1: 'one', a: 2 }, keys: [1, null] })).toEqual({
      object: { 1: 'one' },
    });
    expect(await outputs('object.omit', { object: { 1: 'one', a: 2 }, keys: [1, null] })).toEqual({ object: { a: 2 } });
  });

  it('omit removes the named fields', async () => {
    expect(await outputs('object.omit', { object: user, keys: ['profile', 'missing'] })).toEqual({
      object: { name: 'Ana', groups: ['it'] },
    });
    expect(await outputs('object.omit', { object: user, keys: [] })).toEqual({ object: user });
  });

  it('keys and values list the fields in order', async () => {
    expect(await outputs('object.keys', { object: { b: 1, a: 2 } })).toEqual({ list: ['b', 'a'] });
    expect(await outputs('object.values', { object: { b: 1, a: [2] } })).toEqual({ list: [1, [2]] });
    expect(await outputs('object.keys', { object: {} })).toEqual({ list: [] });
  });
});
