import { FlowsteadError } from '../../shared/errors.js';
import { toAsciiName } from './transliterate.js';

export interface DuplicateSearchOptions {
  emailField?: string;
  employeeIdField?: string;
  firstNameField?: string;
  lastNameField?: string;
  /** Fields that, together with the same name, make two rows likely the same person (birthDate, department …). */
  extraFields?: readonly string[];
}

export type DuplicateReason = 'same email' | 'same employee id' | `same normalized name and ${string}`;

export interface DuplicateGroup {
  /** Row positions in the input, ascending. */
  indexes: number[];
  reason: DuplicateReason;
  /** 'certain' for identifiers (email, employee id); 'likely' for name-based matches. */
  confidence: 'certain' | 'likely';
}

type IdentityRecord = Readonly<Record<string, unknown>>;

const WHITESPACE = /\s+/gu;

/**
 * Finds rows that describe the same person, before they become two accounts. Groups come sorted by
 * their first row, then by reason (email, employee id, then the extra fields in the order given).
 */
export function findDuplicateIdentities(
  records: readonly IdentityRecord[],
  options: DuplicateSearchOptions,
): DuplicateGroup[] {
  const extraFields = options.extraFields ?? [];
  const hasNames = Boolean(options.firstNameField && options.lastNameField);
  if (extraFields.length > 0 && !hasNames) {
    throw new FlowsteadError(
      'DUPLICATE_OPTIONS_INVALID',
      'extraFields are compared together with the name: set both firstNameField and lastNameField.',
    );
  }
  if (!options.emailField && !options.employeeIdField && extraFields.length === 0) {
    throw new FlowsteadError(
      'DUPLICATE_OPTIONS_INVALID',
      'Nothing to compare: set emailField, employeeIdField, or the name fields with extraFields.',
    );
  }

  const groups: DuplicateGroup[] = [];
  let order = 0;
  const rank = new Map<DuplicateGroup, number>();
  const add = (found: DuplicateGroup[]): void => {
    for (const group of found) rank.set(group, order);
    groups.push(...found);
    order++;
  };

  if (options.emailField) {
    const field = options.emailField;
    add(groupBy(records, (r) => normalizeValue(r[field]), 'same email', 'certain'));
  }
  if (options.employeeIdField) {
    const field = options.employeeIdField;
    add(groupBy(records, (r) => normalizeValue(r[field]), 'same employee id', 'certain'));
  }
  if (hasNames) {
    const names = records.map((r) => nameKey(r[options.firstNameField ?? ''], r[options.lastNameField ?? '']));
    for (const field of extraFields) {
      add(
        groupBy(
          records,
          (r, i) => {
            const name = names[i];
            const value = normalizeValue(r[field]);
            return name && value ? `${name}\u0000${value}` : undefined;
          },
          `same normalized name and ${field}`,
          'likely',
        ),
      );
    }
  }
  return groups.sort((a, b) => (a.indexes[0] ?? 0) - (b.indexes[0] ?? 0) || (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
}

function groupBy(
  records: readonly IdentityRecord[],
  keyOf: (record: IdentityRecord, index: number) => string | undefined,
  reason: DuplicateReason,
  confidence: DuplicateGroup['confidence'],
): DuplicateGroup[] {
  const byKey = new Map<string, number[]>();
  records.forEach((record, index) => {
    const key = record && typeof record === 'object' ? keyOf(record, index) : undefined;
    if (key === undefined) return;
    const indexes = byKey.get(key);
    if (indexes) indexes.push(index);
    else byKey.set(key, [index]);
  });
  const groups: DuplicateGroup[] = [];
  for (const indexes of byKey.values()) if (indexes.length > 1) groups.push({ indexes, reason, confidence });
  return groups;
}

/** Trimmed, lower-cased text; dates as YYYY-MM-DD; empty values never match anything. */
function normalizeValue(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  else return undefined;
  const normalized = text.trim().replace(WHITESPACE, ' ').toLowerCase();
  return normalized === '' ? undefined : normalized;
}

/** "José  MÜLLER" and "jose muller" are the same name. */
function nameKey(first: unknown, last: unknown): string | undefined {
  const a = typeof first === 'string' ? comparableName(first) : '';
  const b = typeof last === 'string' ? comparableName(last) : '';
  return a && b ? `${a}\u0000${b}` : undefined;
}

function comparableName(name: string): string {
  const ascii = toAsciiName(name).replace(WHITESPACE, ' ').trim().toLowerCase();
  // Names with no ASCII spelling (张伟) are still compared, in their own script.
  return ascii !== '' ? ascii : name.normalize('NFC').replace(WHITESPACE, ' ').trim().toLowerCase();
}
