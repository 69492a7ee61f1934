import { FlowsteadError, type SerializedError } from '../../shared/errors.js';
import { parseAddressTemplate, withMiddleInitial, type AddressTemplate, type NameToken } from './address-template.js';
import { DEFAULT_ALLOWED_CHARACTERS, parseAllowedCharacters } from './allowed-characters.js';
import { checkDomain, MAX_ADDRESS_LENGTH, MAX_LOCAL_PART_LENGTH } from './email.js';
import { toAsciiName } from './transliterate.js';

/** Mailbox names that belong to the organisation, never to a person. Compared case-insensitively. */
export const DEFAULT_RESERVED_NAMES: readonly string[] = [
  'admin',
  'administrator',
  'postmaster',
  'hostmaster',
  'webmaster',
  'abuse',
  'root',
  'noreply',
  'no-reply',
  'support',
  'security',
  'info',
];

/** What to do when the address a person would get is taken. */
export type CollisionStrategy = 'numeric' | 'middleInitialThenNumeric';

export interface AddressGeneratorOptions {
  /** '{first}.{last}' (default), '{f}{last}', '{first}{l}', '{first}.{middle_initial}.{last}' or any template of the same tokens. */
  pattern?: string;
  /** Mail domain. Without it the generator produces usernames (the address is the local part). */
  domain?: string;
  /** Longest local part / username. Default and maximum with a domain: 64. */
  maxLength?: number;
  /** Character-class list of what may appear, default "a-z0-9._-". Output is always lower case. */
  allowedCharacters?: string;
  /** Keep hyphens from names (jean-luc). Default true; false gives jeanluc. */
  keepHyphens?: boolean;
  /** 'numeric' (john.smith, john.smith2 …, default) or 'middleInitialThenNumeric' (john.smith, john.q.smith, john.smith2 …). */
  collision?: CollisionStrategy;
  /** Extra names nobody may get, on top of DEFAULT_RESERVED_NAMES. */
  reserved?: Iterable<string>;
  /** Set false to drop DEFAULT_RESERVED_NAMES and use only `reserved`. */
  useDefaultReserved?: boolean;
  /** Addresses or usernames already in use. Addresses in another domain do not block anything. */
  existing?: Iterable<string>;
  /**
   * Asks whether a local part (lower case) is in use somewhere too big to read whole, such as an
   * indexed table of a million mailboxes; consulted only for candidates not already known to be taken.
   */
  inUse?: (localPart: string) => boolean;
  /**
   * The numbered forms of a name in use (`john.smith2`, `john.smith17` … for `john.smith`), from the
   * same source as `inUse`: asked once per name, so its numbered candidates need no question each.
   */
  inUseNumbered?: (base: string) => Iterable<string>;
  /**
   * Addresses or usernames in use kept where there are too many to read whole (an indexed table),
   * read by the same rules as `existing`: the generator asks them about its candidates (turned
   * into `inUse` / `inUseNumbered` questions).
   */
  existingLookups?: readonly AddressLookup[];
}

/** Stored addresses asked as needed; values are compared ignoring case and come back in lower case. */
export interface AddressLookup {
  has(value: string): boolean;
  hasPrefix(prefix: string): boolean;
  /** Every value from `from` (included) to `to` (excluded). */
  valuesInRange(from: string, to: string): string[];
  /**
   * Starts reading these ranges elsewhere (optional): with a summary, `summaryInRange` then finds
   * each range's summary computed where it was read; without, `valuesInRange` finds its values.
   */
  readAhead?(ranges: readonly (readonly [string, string])[], summary?: RangeSummary): void;
  /** A range's summary read ahead, once, or undefined (then its values are read). */
  summaryInRange?(from: string, to: string, summary: RangeSummary): SummaryPart | undefined;
}

/** A range's summary: `numbers` from `start` (included) to `end` (excluded). */
export interface SummaryPart {
  readonly numbers: Int32Array;
  readonly start: number;
  readonly end: number;
}

/**
 * A function computed from a range's values where the range is read: the body of a function
 * returning `(values, from, to, ...args) => number[]`, using nothing outside itself.
 */
export interface RangeSummary {
  readonly source: string;
  readonly args: readonly unknown[];
}

/** One person's name parts, as read from a CSV row or a directory entry. Missing parts may be null. */
export interface PersonName {
  first?: string | null;
  middle?: string | null;
  last?: string | null;
}

export type AddressResult =
  | {
      ok: true;
      /** local@domain, or the username when no domain was given. */
      address: string;
      localPart: string;
      /**
       * Which candidate was used, counting from 1 (the plain pattern). With 'numeric', attempt n carries
       * suffix n; with 'middleInitialThenNumeric', 2 is the middle-initial form and attempt n carries suffix n - 1.
       */
      attempt: number;
    }
  | { ok: false; error: SerializedError };

export interface AddressGenerator {
  /** The next person's address. Never throws for a bad row: problems come back as `{ ok: false, error }`. */
  next(person: PersonName | null | undefined): AddressResult;
  /** The local parts these addresses block, by the rules `existing` is read with (domain, case, spaces). */
  localPartsInUse(addresses: Iterable<string>): Set<string>;
  /**
   * The people whose turn comes soon, in order: what the lookups hold of their names is read ahead
   * (on another thread) while earlier people are served. Their addresses come out the same.
   */
  readAhead(people: Iterable<PersonName | null | undefined>): void;
}

interface CleanName {
  first: string;
  middle: string;
  last: string;
}

interface NameState {
  /** The name: the pattern filled with the person's cleaned parts. */
  base: string;
  /** The next suffix to try; 0 while the plain name was not given out yet. */
  next: number;
  /** Whether the plain name (whole) was given out. */
  plainGiven: boolean;
  /** Whether `inUse` was fetched (a name told about ahead is fetched at its first person's turn). */
  fetched: boolean;
  inUse: NameInUse | undefined;
  skip: number;
  /** `inUse.suffixes[skip]`, or Infinity past the end: most candidates are below it, read here. */
  nextInUse: number;
}

/**
 * People told about ahead (AddressGenerator.readAhead), in order, with their cleaned names and
 * their names' states, for their turn: a person's name parts as given are compared, not cleaned
 * again. Kept in a ring of slots, without an object per person. A person the card skipped (a
 * branch) is passed over; after PASS_OVER people in a row found nothing, the ring starts over.
 */
class ToldPeople {
  private static readonly SIZE = 8192;
  private static readonly PASS_OVER = 8;
  private readonly first: unknown[] = new Array<unknown>(ToldPeople.SIZE);
  private readonly middle: unknown[] = new Array<unknown>(ToldPeople.SIZE);
  private readonly last: unknown[] = new Array<unknown>(ToldPeople.SIZE);
  private readonly names: (CleanName | undefined)[] = new Array<CleanName | undefined>(ToldPeople.SIZE);
  private readonly states: (NameState | undefined)[] = new Array<NameState | undefined>(ToldPeople.SIZE);
  private head = 0;
  private tail = 0;
  private misses = 0;

  add(person: PersonName, name: CleanName, state: NameState): void {
    if (this.tail - this.head === ToldPeople.SIZE) this.head++;
    const slot = this.tail++ & (ToldPeople.SIZE - 1);
    this.first[slot] = person.first;
    this.middle[slot] = person.middle;
    this.last[slot] = person.last;
    this.names[slot] = name;
    this.states[slot] = state;
  }

  take(person: PersonName): { name: CleanName; state: NameState } | undefined {
    const end = Math.min(this.tail, this.head + ToldPeople.PASS_OVER);
    for (let at = this.head; at < end; at++) {
      const slot = at & (ToldPeople.SIZE - 1);
      if (this.first[slot] !== person.first || this.last[slot] !== person.last || this.middle[slot] !== person.middle)
        continue;
      const found = { name: this.names[slot]!, state: this.states[slot]! };
      for (; this.head <= at; this.head++) this.clear(this.head & (ToldPeople.SIZE - 1));
      this.misses = 0;
      return found;
    }
    if (this.head < this.tail && ++this.misses >= ToldPeople.PASS_OVER) {
      for (; this.head < this.tail; this.head++) this.clear(this.head & (ToldPeople.SIZE - 1));
      this.misses = 0;
    }
    return undefined;
  }

  private clear(slot: number): void {
    this.first[slot] = this.middle[slot] = this.last[slot] = undefined;
    this.names[slot] = undefined;
    this.states[slot] = undefined;
  }
}

/** Cleaned name parts remembered per generator; past this many distinct parts it starts over. */
const MAX_REMEMBERED_PARTS = 100_000;

/**
 * Builds unique addresses one person at a time, remembering every address it hands out.
 * The same people in the same order always get the same addresses.
 * Throws FlowsteadError up front when the options are wrong (unknown pattern token, bad domain …).
 */
export function createAddressGenerator(options: AddressGeneratorOptions = {}): AddressGenerator {
  const template = parseAddressTemplate(options.pattern ?? '{first}.{last}');
  const domain = resolveDomain(options.domain);
  const allowed = parseAllowedCharacters(options.allowedCharacters ?? DEFAULT_ALLOWED_CHARACTERS);
  checkTemplateCharacters(template, allowed);
  const keepHyphens = (options.keepHyphens ?? true) && allowed[45] === true;
  const collision = resolveCollision(options.collision);
  const localLimit = resolveLocalLimit(options.maxLength, domain);
  const fallbackTemplate = collision === 'middleInitialThenNumeric' ? withMiddleInitial(template) : undefined;

  const reserved = new Set<string>();
  if (options.useDefaultReserved ?? true) for (const name of DEFAULT_RESERVED_NAMES) reserved.add(name);
  for (const name of options.reserved ?? []) if (typeof name === 'string') reserved.add(name.trim().toLowerCase());
  const taken = collectTakenLocalParts(options.existing, domain);
  const { inUse, nameInUse, summary } = questionsFor(options, domain);
  // Per name: the smallest suffix not yet known to be taken (keeps the n-th "John Smith" O(1)), and
  // what is in use of the name and its numbered forms, fetched once (with lookups, or the caller's
  // own `inUseNumbered`) so those candidates need no question of their own.
  // `skip` walks the name's numbered forms in use alongside the candidates, which only go up;
  // `nextInUse` is the one it is at, so a candidate below it is known free without the array.
  const names = new Map<string, NameState>();
  // A bulk run repeats first and last names many times: each name part is cleaned once, and each
  // person's cleaned parts lead to their name's state without filling in the pattern again.
  const cleanedParts = new Map<string, string>();
  const cleanPart = (raw: string): string => {
    let clean = cleanedParts.get(raw);
    if (clean === undefined) {
      if (cleanedParts.size >= MAX_REMEMBERED_PARTS) cleanedParts.clear();
      cleanedParts.set(raw, (clean = cleanNamePart(raw, allowed, keepHyphens)));
    }
    return clean;
  };
  const byParts = new Map<string, Map<string, Map<string, NameState>>>();
  /**
   * The state of the name these parts fill the pattern with; undefined when that name is empty.
   * A new name's use outside is fetched later (`fetchInUse`), by its first person's turn.
   */
  const stateOf = (name: CleanName): NameState | undefined => {
    let middles = byParts.get(name.first);
    if (middles === undefined) byParts.set(name.first, (middles = new Map()));
    let lasts = middles.get(name.middle);
    if (lasts === undefined) middles.set(name.middle, (lasts = new Map()));
    let state = lasts.get(name.last);
    if (state === undefined) {
      const base = renderTemplate(template, name);
      if (base === '') return undefined;
      // Other parts may give the same name (a part the pattern does not use): they share its state.
      state = names.get(base);
      if (state === undefined) {
        const fetched = nameInUse === undefined;
        state = { base, next: 0, plainGiven: false, fetched, inUse: undefined, skip: 0, nextInUse: Infinity };
        names.set(base, state);
        if (endsInDigit(base)) keepClaimsInTaken();
      }
      lasts.set(name.last, state);
    }
    return state;
  };
  const fetchInUse = (state: NameState): void => {
    const inUse = nameInUse?.(state.base);
    state.fetched = true;
    state.inUse = inUse;
    if (inUse !== undefined) {
      state.skip = inUse.start;
      state.nextInUse = inUse.start < inUse.end ? inUse.suffixes[inUse.start]! : Infinity;
    }
  };
  // While `taken` holds nothing from outside and every name given out so far is whole (not cut to
  // fit) and ends in a letter, a name's plain or numbered form can only be that name's own: another
  // name's forms end in other letters or other digits. Its claims are then known from its state
  // alone (the plain name if given, the numbers below `next` not in use), and are put in `taken`
  // only once a name ends in a digit or a form is cut, asked about or taken in any other way.
  let claimsInTaken = taken.size > 0;
  const keepClaimsInTaken = () => {
    if (claimsInTaken) return;
    claimsInTaken = true;
    for (const state of names.values()) {
      if (state.plainGiven) taken.add(state.base);
      const used = state.inUse;
      let at = used?.start ?? 0;
      for (let n = 2; n < state.next; n++) {
        while (used !== undefined && at < used.end && used.suffixes[at]! < n) at++;
        if (used !== undefined && at < used.end && used.suffixes[at] === n) continue;
        const candidate = state.base + String(n);
        if (!reserved.has(candidate)) taken.add(candidate);
      }
    }
  };
  // Taking a local part adds it to `taken` and sees whether it was new: one look-up in the run's
  // largest set for both the question and the claim.
  /** Takes a whole form of a name nobody else has, whose use outside is already known to be none. */
  const takeKnownFree = (localPart: string): boolean => {
    if (reserved.has(localPart)) return false;
    if (!claimsInTaken) return true;
    const before = taken.size;
    taken.add(localPart);
    return taken.size !== before;
  };
  // Reserved names are mostly words: a numbered form needs checking only if one ends in a digit.
  const reservedNumbered = [...reserved].some(endsInDigit);
  /** Takes a whole numbered form of a name, whose use outside is already known to be none. */
  const takeNumbered = (localPart: string): boolean =>
    claimsInTaken || reservedNumbered ? takeKnownFree(localPart) : true;
  /** Takes the local part if it is free; one in use outside stays taken (asked once: the answer does not change within a run). */
  const take = (localPart: string): boolean => {
    keepClaimsInTaken();
    return takeKnownFree(localPart) && (inUse === undefined || !inUse(localPart));
  };
  const given = (localPart: string, attempt: number): AddressResult => ({
    ok: true,
    address: domain ? `${localPart}@${domain}` : localPart,
    localPart,
    attempt,
  });

  const aheadLookups = nameInUse === undefined ? [] : (options.existingLookups ?? []).filter((l) => l.readAhead);
  const told = new ToldPeople();

  return {
    localPartsInUse: (addresses) => collectTakenLocalParts(addresses, domain),
    readAhead(people) {
      if (aheadLookups.length === 0) return;
      const ranges: [string, string][] = [];
      for (const person of people) {
        const name = cleanPerson(person, template, cleanPart);
        if ('error' in name) continue;
        const before = names.size;
        const state = stateOf(name);
        if (state === undefined) continue;
        told.add(person!, name, state);
        // A name new to the generator: the very range nameInUse asks for.
        if (names.size !== before) ranges.push([state.base, `${state.base}a`]);
      }
      if (ranges.length > 0) for (const lookup of aheadLookups) lookup.readAhead!(ranges, summary);
    },
    next(person) {
      // A person told about ahead comes with their cleaned name and its state.
      const ahead = person !== null && typeof person === 'object' ? told.take(person) : undefined;
      let name: CleanName;
      let seen: NameState | undefined;
      if (ahead !== undefined) {
        name = ahead.name;
        seen = ahead.state;
      } else {
        const cleaned = cleanPerson(person, template, cleanPart);
        if ('error' in cleaned) return { ok: false, error: cleaned.error };
        name = cleaned;
        seen = stateOf(name);
      }
      if (seen === undefined)
        return rowError('NAME_EMPTY', 'The name parts used by the pattern are all empty; fill them in.');
      if (!seen.fetched) fetchInUse(seen);
      const base = seen.base;
      const fetched = seen.inUse;
      if (seen.next === 0) {
        const plain = truncateName(base, localLimit);
        const free =
          plain === base && fetched?.plainKnown === true
            ? !fetched.plain && takeKnownFree(plain)
            : plain !== '' && take(plain);
        if (free) {
          seen.next = 2;
          seen.plainGiven = plain === base;
          return given(plain, 1);
        }
      }
      // With the middle-initial strategy the candidates are: plain, middle initial, then 2, 3 …
      const attemptOffset = fallbackTemplate ? 1 : 0;
      if (fallbackTemplate && name.middle !== '') {
        const withInitial = truncateName(renderTemplate(fallbackTemplate, name), localLimit);
        if (withInitial !== '' && withInitial !== base && take(withInitial)) return given(withInitial, 2);
      }
      for (let suffix = seen.next || 2; ; suffix++) {
        const digits = String(suffix);
        const room = localLimit - digits.length;
        const namePart = room > 0 ? truncateName(base, room) : '';
        if (namePart === '') {
          return rowError(
            'NO_FREE_ADDRESS',
            `Every address for "${base}" up to suffix ${suffix - 1} is taken and a longer suffix does not fit in ${localLimit} characters; raise maxLength or use a pattern with more of the name.`,
          );
        }
        // The name's numbered forms in use are known by number: no question for those.
        const whole = fetched !== undefined && namePart === base;
        if (whole) {
          const used = fetched.suffixes;
          while (seen.nextInUse < suffix) seen.nextInUse = ++seen.skip < fetched.end ? used[seen.skip]! : Infinity;
          if (seen.nextInUse === suffix) continue;
        }
        const candidate = namePart + digits;
        if (whole ? takeNumbered(candidate) : take(candidate)) {
          seen.next = suffix + 1;
          return given(candidate, suffix + attemptOffset);
        }
      }
    },
  };
}

/** List form: one result per person, in input order. */
export function generateUniqueAddresses(
  people: Iterable<PersonName | null | undefined>,
  options: AddressGeneratorOptions = {},
): AddressResult[] {
  const generator = createAddressGenerator(options);
  const results: AddressResult[] = [];
  for (const person of people) results.push(generator.next(person));
  return results;
}

function resolveDomain(domain: string | undefined): string | undefined {
  if (domain === undefined || domain === null) return undefined;
  const trimmed = String(domain).trim().replace(/^@/, '');
  if (trimmed === '') return undefined;
  const problem = checkDomain(trimmed);
  if (problem) throw new FlowsteadError('ADDRESS_DOMAIN_INVALID', `domain: ${problem}`, { domain });
  return trimmed.toLowerCase();
}

function resolveCollision(collision: string | undefined): CollisionStrategy {
  if (collision === undefined) return 'numeric';
  if (collision === 'numeric' || collision === 'middleInitialThenNumeric') return collision;
  throw new FlowsteadError(
    'ADDRESS_COLLISION_INVALID',
    `collision: "${String(collision)}" is not a strategy; use "numeric" or "middleInitialThenNumeric".`,
    { collision },
  );
}

function resolveLocalLimit(maxLength: number | undefined, domain: string | undefined): number {
  const ceiling = domain ? MAX_LOCAL_PART_LENGTH : MAX_ADDRESS_LENGTH;
  const limit = maxLength ?? MAX_LOCAL_PART_LENGTH;
  if (!Number.isInteger(limit) || limit < 1 || limit > ceiling) {
    throw new FlowsteadError(
      'ADDRESS_MAX_LENGTH_INVALID',
      `maxLength: ${String(maxLength)} is not allowed; use a whole number from 1 to ${ceiling}${domain ? ' (the limit for the part before "@")' : ''}.`,
      { maxLength },
    );
  }
  // The whole address must also stay within 254 characters.
  return domain ? Math.min(limit, MAX_ADDRESS_LENGTH - 1 - domain.length) : limit;
}

function checkTemplateCharacters(template: AddressTemplate, allowed: readonly boolean[]): void {
  for (const part of template.parts) {
    if (part.kind !== 'literal') continue;
    for (const char of part.text.toLowerCase()) {
      const code = char.charCodeAt(0);
      if (code >= 128 || !allowed[code]) {
        throw new FlowsteadError(
          'ADDRESS_PATTERN_INVALID',
          `The pattern "${template.source}" contains "${char}", which is not in the allowed characters; remove it or allow it.`,
          { pattern: template.source, character: char },
        );
      }
    }
  }
}

function collectTakenLocalParts(existing: Iterable<string> | undefined, domain: string | undefined): Set<string> {
  const taken = new Set<string>();
  if (!existing) return taken;
  // A million entries are common: no allocation beyond the lower-cased text and the local part.
  const suffix = domain ? `@${domain}` : undefined;
  for (const entry of existing) {
    if (typeof entry !== 'string' || entry.length === 0) continue;
    const padded = entry.charCodeAt(0) <= 32 || entry.charCodeAt(entry.length - 1) <= 32;
    const localPart = blockedLocalPart((padded ? entry.trim() : entry).toLowerCase(), suffix);
    if (localPart !== undefined) taken.add(localPart);
  }
  return taken;
}

/**
 * The local part an address in use (lower case) blocks: with a domain, `local@domain` or a bare
 * `local`, and nothing for another domain; without one (usernames), any mailbox's local part, since
 * a UPN built from the username would clash with it.
 */
function blockedLocalPart(value: string, suffix: string | undefined): string | undefined {
  const end = localPartEnd(value, suffix);
  return end === -1 ? undefined : value.slice(0, end);
}

/** Where the local part blocked by `value` ends (see blockedLocalPart), or -1 when it blocks nothing. */
function localPartEnd(value: string, suffix: string | undefined): number {
  if (suffix) {
    if (value.endsWith(suffix)) return value.length - suffix.length;
    return value.indexOf('@') === -1 ? value.length : -1;
  }
  const at = value.lastIndexOf('@');
  return at === -1 ? value.length : at;
}

/** What is in use of one name (the part before any suffix) and its numbered forms. */
interface NameInUse {
  /** Whether `plain` answers for the name itself (else it is asked like any candidate). */
  plainKnown: boolean;
  plain: boolean;
  /**
   * The numbers n for which name + n is in use (written as the generator writes them: no leading
   * zero; at most nine digits), ascending: a name's candidates go up, so one pass skips them.
   */
  suffixes: Int32Array;
  /** Where the name's numbers are in `suffixes` (a range's summary is a part of a shared array). */
  start: number;
  end: number;
}

/**
 * The suffix number the local part `text.slice(0, end)` carries after `base` (`john.smith17` → 17),
 * 0 for the name itself, or -1. Reads in place: a range of stored values is read without cutting them.
 */
function suffixOf(text: string, base: string, end: number = text.length): number {
  if (end < base.length || !text.startsWith(base)) return -1;
  if (end === base.length) return 0;
  // A leading zero (name07) is never a candidate; very long numbers are out of reach.
  if (text.charCodeAt(base.length) === 48 || end - base.length > 9) return -1;
  let n = 0;
  for (let at = base.length; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code < 48 || code > 57) return -1;
    n = n * 10 + (code - 48);
  }
  return n;
}

/**
 * What a range of stored values (from the name to the name + 'a') holds of the name and its
 * numbered forms: [1 when the name itself is in use, else 0, then each n for which name + n is,
 * ascending]. Uses only its arguments and the two functions above, so that the thread reading the
 * range can compute it too (NUMBERED_FORMS).
 */
function numberedForms(values: readonly string[], base: string, _to: string, suffix: string | undefined): number[] {
  let plain = 0;
  const numbers: number[] = [];
  for (const value of values) {
    const end = localPartEnd(value, suffix);
    if (end === -1) continue;
    const n = suffixOf(value, base, end);
    if (n === 0) plain = 1;
    else if (n > 0) numbers.push(n);
  }
  numbers.sort((a, b) => a - b);
  return [plain, ...numbers];
}

/** numberedForms as the source of a function body returning it, for a RangeSummary. */
const NUMBERED_FORMS = `${String(localPartEnd)}\n${String(suffixOf)}\n${String(numberedForms)}\nreturn ${numberedForms.name};`;

/**
 * The questions the generator asks about candidates: the caller's own, and those of the lookups.
 * A lookup is asked once per name for the name and its numbered forms together, with one index
 * range, so the name's plain and numbered candidates need no question of their own.
 */
function questionsFor(
  options: AddressGeneratorOptions,
  domain: string | undefined,
): {
  inUse: ((localPart: string) => boolean) | undefined;
  nameInUse: ((base: string) => NameInUse) | undefined;
  summary: RangeSummary;
} {
  const lookups = options.existingLookups ?? [];
  const own = options.inUse;
  const ownNumbered = options.inUseNumbered;
  const suffix = domain ? `@${domain}` : undefined;
  // The caller's own numbered forms say nothing of the name itself; a lookup's range does, unless
  // the caller's own question must be asked about it too.
  const plainKnown = own === undefined && lookups.length > 0;
  // Read ahead, a lookup's range comes as this summary of it, computed on the thread that read it.
  const summary: RangeSummary = { source: NUMBERED_FORMS, args: [suffix] };
  const nameInUse =
    ownNumbered === undefined && lookups.length === 0
      ? undefined
      : (base: string): NameInUse => {
          // Every (lower-case) value blocking the name or a numbered form of it sorts from the name to
          // name + 'a': the name, name@…, name0… name9…, and a few others (name.x@…) sorted out.
          const to = `${base}a`;
          // The common case, one lookup whose summary was read ahead: its numbers are in order already.
          const ahead =
            ownNumbered === undefined && lookups.length === 1
              ? lookups[0]!.summaryInRange?.(base, to, summary)
              : undefined;
          if (ahead !== undefined) {
            const { numbers, start, end } = ahead;
            return { plainKnown, plain: numbers[start] === 1, suffixes: numbers, start: start + 1, end };
          }
          let plain = false;
          const found: number[] = [];
          const add = (forms: readonly number[]) => {
            if (forms[0] === 1) plain = true;
            for (let i = 1; i < forms.length; i++) found.push(forms[i]!);
          };
          if (ownNumbered) {
            const forms = [0];
            for (const localPart of ownNumbered(base)) {
              const n = suffixOf(localPart, base);
              if (n === 0) forms[0] = 1;
              else if (n > 0) forms.push(n);
            }
            add(forms);
          }
          for (const lookup of lookups) {
            const part = lookup.summaryInRange?.(base, to, summary);
            add(
              part
                ? Array.from(part.numbers.subarray(part.start, part.end))
                : numberedForms(lookup.valuesInRange(base, to), base, to, suffix),
            );
          }
          // Text order (name10 before name2) to number order, by the typed array's own numeric sort;
          // a number found twice does no harm.
          const suffixes = Int32Array.from(found).sort();
          return { plainKnown, plain, suffixes, start: 0, end: suffixes.length };
        };
  if (lookups.length === 0) return { inUse: own, nameInUse, summary };
  const askOne = (lookup: AddressLookup, localPart: string) =>
    suffix
      ? lookup.has(localPart + suffix) || lookup.has(localPart)
      : lookup.has(localPart) || lookup.hasPrefix(`${localPart}@`);
  return {
    inUse: (localPart) => own?.(localPart) === true || lookups.some((lookup) => askOne(lookup, localPart)),
    nameInUse,
    summary,
  };
}

function cleanPerson(
  person: PersonName | null | undefined,
  template: AddressTemplate,
  cleanPart: (raw: string) => string,
): CleanName | { error: SerializedError } {
  if (person === null || typeof person !== 'object') {
    return { error: { code: 'NAME_EMPTY', message: 'The row has no name; give it a first and last name.' } };
  }
  // Field by field rather than a loop over the names: each read and write is then direct, once per row.
  const first = cleanField(person.first, 'first', template.usesFirst, cleanPart);
  if (typeof first !== 'string') return first;
  const middle = cleanField(person.middle, 'middle', false, cleanPart);
  if (typeof middle !== 'string') return middle;
  const last = cleanField(person.last, 'last', template.usesLast, cleanPart);
  if (typeof last !== 'string') return last;
  return { first, middle, last };
}

/** One name part cleaned; an error when the pattern needs it and nothing is left. A blank part cleans to ''. */
function cleanField(
  value: unknown,
  field: 'first' | 'middle' | 'last',
  required: boolean,
  cleanPart: (raw: string) => string,
): string | { error: SerializedError } {
  const raw = asText(value);
  const clean = raw === '' ? '' : cleanPart(raw);
  if (clean !== '' || !required) return clean;
  const label = `${field} name`;
  if (raw.trim() === '') return { error: { code: 'NAME_EMPTY', message: `The ${label} is empty; fill it in.` } };
  return {
    error: {
      code: 'NAME_UNREPRESENTABLE',
      message: `The ${label} "${raw.trim()}" has no letters that can be written in plain ASCII; add a romanised spelling (for example pinyin) to the row.`,
      details: { field, value: raw },
    },
  };
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}

/** O'Brien → obrien, van der Berg → vanderberg, Jean-Luc → jean-luc (or jeanluc). */
function cleanNamePart(raw: string, allowed: readonly boolean[], keepHyphens: boolean): string {
  const ascii = toAsciiName(raw).toLowerCase();
  if (isAlreadyClean(ascii, allowed)) return ascii;
  let out = '';
  for (let i = 0; i < ascii.length; i++) {
    const code = ascii.charCodeAt(i);
    const isAlphanumeric = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if (isAlphanumeric) {
      if (allowed[code]) out += ascii[i];
    } else if (code === 45 && keepHyphens && out !== '' && !out.endsWith('-')) {
      out += '-';
    }
  }
  return out.endsWith('-') ? out.slice(0, -1) : out;
}

/** Most names ("smith") need no cleaning: checking is cheaper than rebuilding the string. */
function isAlreadyClean(text: string, allowed: readonly boolean[]): boolean {
  if (text === '') return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) || !allowed[code]) return false;
  }
  return true;
}

/** True when every separator sits between two letters or digits, so nothing needs collapsing. */
function hasTidySeparators(text: string): boolean {
  let previousWasSeparator = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const isSeparator = !((code >= 97 && code <= 122) || (code >= 48 && code <= 57));
    if (isSeparator && previousWasSeparator) return false;
    previousWasSeparator = isSeparator;
  }
  return !previousWasSeparator;
}

function tokenValue(token: NameToken, name: CleanName): string {
  switch (token) {
    case 'first':
      return name.first;
    case 'last':
      return name.last;
    case 'middle':
      return name.middle;
    case 'f':
      return name.first.slice(0, 1);
    case 'l':
      return name.last.slice(0, 1);
    case 'm':
    case 'middle_initial':
      return name.middle.slice(0, 1);
  }
}

/** Fills the template, then drops separators left dangling by empty parts ("john..smith" → "john.smith"). */
function renderTemplate(template: AddressTemplate, name: CleanName): string {
  let raw = '';
  for (const part of template.parts)
    raw += part.kind === 'literal' ? part.text.toLowerCase() : tokenValue(part.token, name);
  if (hasTidySeparators(raw)) return raw;
  let out = '';
  let pendingSeparator = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] ?? '';
    const code = raw.charCodeAt(i);
    const isAlphanumeric = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if (isAlphanumeric) {
      out += pendingSeparator + char;
      pendingSeparator = '';
    } else if (out !== '' && pendingSeparator === '') {
      pendingSeparator = char;
    }
  }
  return out;
}

function endsInDigit(text: string): boolean {
  const code = text.charCodeAt(text.length - 1);
  return code >= 48 && code <= 57;
}

/** Shortens the name so a suffix still fits, never ending on a separator (a trailing dot is not a valid address). */
function truncateName(base: string, room: number): string {
  if (base.length <= room) return base;
  let cut = base.slice(0, room);
  while (cut !== '') {
    const code = cut.charCodeAt(cut.length - 1);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) break;
    cut = cut.slice(0, -1);
  }
  return cut;
}

function rowError(code: string, message: string): AddressResult {
  return { ok: false, error: { code, message } };
}
