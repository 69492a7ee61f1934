/**
 * Writes carry an Idempotency-Key that stays the same when a crashed or redelivered run repeats
 * the step, so services that honour the header (and the runner's tests) apply it once.
 */
export function withIdempotencyKey<T extends { method: string; headers?: Record<string, string> }>(
  request: T,
  stepKey: string | undefined,
): T {
  if (!stepKey || request.method === 'GET' || request.method === 'HEAD') return request;
  if (Object.keys(request.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key')) return request;
  return { ...request, headers: { ...request.headers, 'Idempotency-Key': stepKey } };
}
