/** Names Flowstead accepts for actions, inputs, outputs and fields: `^[a-z][a-zA-Z0-9]*$`. */

const MAX_IDENTIFIER = 60;

function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * `user-id` → `userId`, `X-Request-ID` → `xRequestId`, `$filter` → `filter`, `users.list` →
 * `usersList`. `fallback` is used when nothing usable is left; a leading digit gets `prefix`.
 */
export function toIdentifier(text: string, fallback: string, prefix = 'n'): string {
  const parts = words(text);
  if (parts.length === 0) return fallback;
  const joined = parts
    .map((word, index) => {
      // Keep camelCase inside a word, but an all-capitals word (ID, URL) reads as a word.
      const normal = /^[A-Z0-9]+$/.test(word) ? word.toLowerCase() : word;
      return index === 0 ? normal.charAt(0).toLowerCase() + normal.slice(1) : capitalize(normal);
    })
    .join('')
    .slice(0, MAX_IDENTIFIER);
  return /^[0-9]/.test(joined) ? `${prefix}${capitalize(joined)}` : joined;
}

/** Hands out names that are unique within one scope (an action's inputs, a connector's actions). */
export class NameScope {
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.taken = new Set(reserved);
  }

  /** `name`, else `prefix` + Name (e.g. `bodyId`), else `name2`, `name3`, … */
  claim(name: string, prefix?: string): string {
    let candidate = name;
    if (this.taken.has(candidate) && prefix) candidate = `${prefix}${capitalize(name)}`;
    for (let counter = 2; this.taken.has(candidate); counter += 1) candidate = `${name}${counter}`;
    this.taken.add(candidate);
    return candidate;
  }
}

/**
 * An action name from method and path when the operation has no operationId:
 * `GET /users/{id}/groups` → `getUsersByIdGroups`, `GET /` → `getRoot`.
 */
export function operationNameFromPath(method: string, path: string): string {
  const parts = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment);
      const name = toIdentifier(parameter ? parameter[1]! : segment, '');
      if (name === '') return '';
      return parameter ? `By${capitalize(name)}` : capitalize(name);
    })
    .filter((part) => part !== '');
  const name = `${method.toLowerCase()}${parts.length ? parts.join('') : 'Root'}`;
  return toIdentifier(name, method.toLowerCase());
}

/** `Acme HR API (v2)` → `acme-hr-api-v2`: 2 to 41 lower-case letters, digits or hyphens, from a letter. */
export function slugify(title: string, reserved: ReadonlySet<string>): string {
  let slug = words(title)
    .map((word) => word.toLowerCase())
    .join('-');
  if (slug === '') slug = 'imported-api';
  if (/^[0-9]/.test(slug)) slug = `api-${slug}`;
  if (slug.length < 2) slug = `${slug}-api`;
  const trim = (text: string, max: number) => text.slice(0, max).replace(/-+$/, '');
  slug = trim(slug, 41);
  if (reserved.has(slug)) slug = `${trim(slug, 37)}-api`;
  return slug;
}
