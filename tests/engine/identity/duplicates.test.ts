import { describe, expect, it } from 'vitest';
import { findDuplicateIdentities } from '../../../src/engine/identity/duplicates.js';
import { caught } from '../../support/caught.js';

const fields = {
  emailField: 'mail',
  employeeIdField: 'id',
  firstNameField: 'first',
  lastNameField: 'last',
  extraFields: ['birthDate', 'department'],
};

describe('findDuplicateIdentities', () => {
  it('finds the same email regardless of case and spaces, with certainty', () => {
    const groups = findDuplicateIdentities(
      [{ mail: 'John.Smith@Example.com ' }, { mail: 'jane@example.com' }, { mail: 'john.smith@example.com' }],
      { emailField: 'mail' },
    );
    expect(groups).toEqual([{ indexes: [0, 2], reason: 'same email', confidence: 'certain' }]);
  });

  it('finds the same employee id, including numbers read as numbers', () => {
    const groups = findDuplicateIdentities(
      [{ id: 'E100' }, { id: 1001 }, { id: ' e100' }, { id: '1001' }, { id: '' }, {}],
      {
        employeeIdField: 'id',
      },
    );
    expect(groups).toEqual([
      { indexes: [0, 2], reason: 'same employee id', confidence: 'certain' },
      { indexes: [1, 3], reason: 'same employee id', confidence: 'certain' },
    ]);
  });

  it('matches names across accents, case and spacing when another field agrees, as likely', () => {
    const records = [
      { first: 'José', last: 'Müller', birthDate: '1990-04-01', department: 'Sales' },
      { first: 'jose ', last: 'MULLER', birthDate: new Date('1990-04-01T00:00:00Z'), department: 'IT' },
      { first: 'José', last: 'Müller', birthDate: '1985-01-01', department: 'sales' },
      { first: 'Ann', last: 'Lee', birthDate: '1990-04-01', department: 'Sales' },
    ];
    expect(findDuplicateIdentities(records, fields)).toEqual([
      { indexes: [0, 1], reason: 'same normalized name and birthDate', confidence: 'likely' },
      { indexes: [0, 2], reason: 'same normalized name and department', confidence: 'likely' },
    ]);
  });

  it('does not treat the same name alone, or two empty values, as a duplicate', () => {
    const records = [
      { first: 'John', last: 'Smith', birthDate: '', department: null },
      { first: 'John', last: 'Smith', birthDate: '', department: null },
    ];
    expect(findDuplicateIdentities(records, fields)).toEqual([]);
  });

  it('compares names with no ASCII spelling in their own script', () => {
    const records = [
      { first: '伟', last: '张', department: 'R&D' },
      { first: '伟', last: '张', department: 'r&d' },
      { first: '芳', last: '王', department: 'R&D' },
    ];
    expect(findDuplicateIdentities(records, { ...fields, extraFields: ['department'] })).toEqual([
      { indexes: [0, 1], reason: 'same normalized name and department', confidence: 'likely' },
    ]);
  });

  it('lists groups by first row, then email, employee id and the extra fields in order', () => {
    const records = [
      { mail: 'a@x.com', id: '7', first: 'Ann', last: 'Lee', birthDate: '2000-01-01' },
      { mail: 'b@x.com', id: '8', first: 'Bob', last: 'Ray', birthDate: '1999-01-01' },
      { mail: 'a@x.com', id: '9', first: 'Bob', last: 'Ray', birthDate: '1999-01-01' },
      { mail: 'c@x.com', id: '7', first: 'Ann', last: 'Lee', birthDate: '2000-01-01' },
    ];
    const groups = findDuplicateIdentities(records, fields);
    expect(groups.map((g) => [g.indexes, g.reason])).toEqual([
      [[0, 2], 'same email'],
      [[0, 3], 'same employee id'],
      [[0, 3], 'same normalized name and birthDate'],
      [[1, 2], 'same normalized name and birthDate'],
    ]);
    expect(findDuplicateIdentities(records, fields)).toEqual(groups);
  });

  it('explains options that leave nothing to compare', () => {
    expect(caught(() => findDuplicateIdentities([], {})).code).toBe('DUPLICATE_OPTIONS_INVALID');
    expect(caught(() => findDuplicateIdentities([], { extraFields: ['birthDate'] })).message).toContain(
      'firstNameField',
    );
  });
});
