/** One link from an RFC 8288 `Link` header: the target and its parameters (names lower-case). */
export interface WebLink {
  target: string;
  params: Record<string, string>;
}

/**
 * Parses `<https://x/a?after=1>; rel="next", <https://x/a>; rel="self"`. Targets may contain
 * commas and parameters may be quoted strings with commas, semicolons or escapes, so this
 * scans characters instead of splitting on ','.
 */
export function parseLinkHeader(header: string): WebLink[] {
  const links: WebLink[] = [];
  let index = 0;
  const skipSpace = () => {
    while (index < header.length && /[\s]/.test(header.charAt(index))) index++;
  };
  while (index < header.length) {
    skipSpace();
    if (header.charAt(index) === ',') {
      index++;
      continue;
    }
    if (header.charAt(index) !== '<') {
      // Not a link; skip to the next comma outside quotes.
      index = skipToComma(header, index);
      continue;
    }
    const close = header.indexOf('>', index);
    if (close < 0) break;
    const link: WebLink = { target: header.slice(index + 1, close).trim(), params: {} };
    index = close + 1;
    for (;;) {
      skipSpace();
      if (header.charAt(index) !== ';') break;
      index++;
      skipSpace();
      const nameMatch = /^[^=;,\s]+/.exec(header.slice(index));
      if (!nameMatch) break;
      const name = nameMatch[0].toLowerCase();
      index += nameMatch[0].length;
      skipSpace();
      let value = '';
      if (header.charAt(index) === '=') {
        index++;
        skipSpace();
        if (header.charAt(index) === '"') {
          index++;
          while (index < header.length && header.charAt(index) !== '"') {
            if (header.charAt(index) === '\\') index++;
            value += header.charAt(index);
            index++;
          }
          index++;
        } else {
          const token = /^[^;,\s]*/.exec(header.slice(index))?.[0] ?? '';
          value = token;
          index += token.length;
        }
      }
      // RFC 8288 §3.3: only the first occurrence of a parameter counts.
      if (!(name in link.params)) link.params[name] = value;
    }
    links.push(link);
  }
  return links;
}

/** The target whose space-separated `rel` includes `relation` (case-insensitive). */
export function findLink(header: string | undefined, relation: string): string | undefined {
  if (!header) return undefined;
  const wanted = relation.toLowerCase();
  return parseLinkHeader(header).find((link) => (link.params.rel ?? '').toLowerCase().split(/\s+/).includes(wanted))
    ?.target;
}

function skipToComma(text: string, from: number): number {
  let quoted = false;
  for (let index = from; index < text.length; index++) {
    const char = text.charAt(index);
    if (char === '\\' && quoted) index++;
    else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) return index + 1;
  }
  return text.length;
}
