/**
 * The page's Content-Security-Policy. Only our own bundled scripts run; inline styles are
 * allowed because Vue Flow positions nodes with style attributes. index.html carries the
 * same policy in a meta tag for file:// loads, where no response headers exist.
 */
export function buildContentSecurityPolicy(devServerUrl?: string): string {
  const connect = ["'self'"];
  if (devServerUrl) {
    // Vite's hot reload talks over a WebSocket on the dev server's host.
    const dev = new URL(devServerUrl);
    connect.push(`${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`);
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    // data: fonts match the runner's policy (src/runner/api-server.ts), which serves this same page.
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Response headers with our policy in place of any the server sent (names compare case-insensitively). */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
  policy: string,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [policy];
  return result;
}
