import type { Entry } from 'ldapts';

/** One directory entry as plain data: text attributes only, single values as a string. */
export interface DirectoryEntry {
  dn: string;
  attributes: Record<string, string | string[]>;
}

/**
 * Attributes whose values are bytes, not text. They are fetched as buffers so that a lucky
 * UTF-8 decode never passes them off as text, then left out of the plain result.
 */
export const BINARY_ATTRIBUTES = [
  'objectGUID',
  'objectSid',
  'unicodePwd',
  'nTSecurityDescriptor',
  'jpegPhoto',
  'thumbnailPhoto',
  'photo',
  'userCertificate',
  'userCertificate;binary',
  'cACertificate',
  'userPKCS12',
  'msExchMailboxGuid',
  'mS-DS-ConsistencyGuid',
  'logonHours',
];

const BINARY_LOWER = new Set(BINARY_ATTRIBUTES.map((name) => name.toLowerCase()));

export function toDirectoryEntry(entry: Entry): DirectoryEntry {
  const attributes: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'dn' || BINARY_LOWER.has(name.toLowerCase())) continue;
    if (Array.isArray(value)) {
      // ldapts yields [] for requested attributes the entry lacks; leave those out.
      if (value.length === 0 || value.some((item) => Buffer.isBuffer(item))) continue;
      attributes[name] = value as string[];
    } else if (typeof value === 'string') {
      attributes[name] = value;
    }
  }
  return { dn: entry.dn, attributes };
}

/** The first value of an attribute, looked up without regard to case (servers echo their own spelling). */
export function firstValue(entry: Entry, attribute: string): string | Buffer | undefined {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Splits a DN into its first RDN and the parent DN, honouring backslash escapes (RFC 4514). */
export function splitDn(dn: string): { rdn: string; parentDn: string } {
  for (let index = 0; index < dn.length; index++) {
    if (dn[index] === '\\') {
      index++;
      continue;
    }
    if (dn[index] === ',') return { rdn: dn.slice(0, index).trim(), parentDn: dn.slice(index + 1).trim() };
  }
  return { rdn: dn.trim(), parentDn: '' };
}
