/** RFC 5321 limits: the local part (before "@") and the whole address as it travels through SMTP. */
export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_ADDRESS_LENGTH = 254;
const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

export interface EmailValidation {
  valid: boolean;
  /** Why the address is not usable, naming the part and the fix. Present only when `valid` is false. */
  reason?: string;
  /** The address trimmed, with the domain lower-cased (the local part keeps its case: servers may honour it). */
  normalized?: string;
}

/** RFC 5322 "atext": what a dot-atom local part may contain besides dots. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]$/;
const LABEL_CHARACTERS = /^[a-z0-9-]+$/;
const ALL_DIGITS = /^[0-9]+$/;

/**
 * Checks an address the way a mail server would accept it for a mailbox we create: dot-atom local
 * part (no quoted strings, no comments), a domain name with at least two labels (no IP literals).
 */
export function validateEmailAddress(text: string): EmailValidation {
  if (typeof text !== 'string') return invalid('The address is not text; give it as "name@example.com".');
  const address = text.trim();
  if (address === '') return invalid('The address is empty; enter an address like "name@example.com".');
  if (address.length > MAX_ADDRESS_LENGTH) {
    return invalid(`The address is ${address.length} characters long; shorten it to at most ${MAX_ADDRESS_LENGTH}.`);
  }
  const at = address.lastIndexOf('@');
  if (at === -1) return invalid('The address has no "@"; write it as "name@example.com".');
  const localPart = address.slice(0, at);
  const domain = address.slice(at + 1);

  const localProblem = checkLocalPart(localPart);
  if (localProblem) return invalid(localProblem);
  const domainProblem = checkDomain(domain);
  if (domainProblem) return invalid(domainProblem);
  return { valid: true, normalized: `${localPart}@${domain.toLowerCase()}` };
}

function invalid(reason: string): EmailValidation {
  return { valid: false, reason };
}

function checkLocalPart(localPart: string): string | undefined {
  if (localPart === '') return 'The part before "@" is empty; put the mailbox name there.';
  if (localPart.startsWith('"')) {
    return 'Quoted local parts ("john smith"@…) are not supported; use letters, digits and . _ - + instead.';
  }
  if (localPart.length > MAX_LOCAL_PART_LENGTH) {
    return `The part before "@" is ${localPart.length} characters long; shorten it to at most ${MAX_LOCAL_PART_LENGTH}.`;
  }
  if (localPart.startsWith('.')) return 'The part before "@" starts with a dot; remove it.';
  if (localPart.endsWith('.')) return 'The part before "@" ends with a dot; remove it.';
  if (localPart.includes('..')) return 'The part before "@" has two dots in a row; keep only one.';
  for (const char of localPart) {
    if (char !== '.' && !ATEXT.test(char)) {
      return `The part before "@" contains "${char}", which an address cannot hold; remove it or replace it with . _ or -.`;
    }
  }
  return undefined;
}

/** Also used to check the domain option of the address generator. Returns the problem, or undefined when fine. */
export function checkDomain(domain: string): string | undefined {
  if (domain === '') return 'The domain (after "@") is empty; write one like "example.com".';
  if (domain.startsWith('[')) return 'IP-address domains ([192.0.2.1]) are not supported; use a domain name.';
  if (domain.length > MAX_DOMAIN_LENGTH) {
    return `The domain is ${domain.length} characters long; it can be at most ${MAX_DOMAIN_LENGTH}.`;
  }
  const lower = domain.toLowerCase();
  const labels = lower.split('.');
  if (labels.length < 2) return `The domain "${domain}" has no dot; use a full domain like "example.com".`;
  for (const label of labels) {
    if (label === '') return `The domain "${domain}" has an empty part between dots; remove the extra dot.`;
    if (label.length > MAX_LABEL_LENGTH) {
      return `The domain part "${label}" is ${label.length} characters long; each part can be at most ${MAX_LABEL_LENGTH}.`;
    }
    if (!LABEL_CHARACTERS.test(label)) {
      return `The domain part "${label}" may contain only letters, digits and hyphens (international domains: use their "xn--" form).`;
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      return `The domain part "${label}" starts or ends with a hyphen; remove it.`;
    }
  }
  const topLevel = labels[labels.length - 1] ?? '';
  if (ALL_DIGITS.test(topLevel)) return `The top-level domain "${topLevel}" is all digits; use a real one like "com".`;
  return undefined;
}
