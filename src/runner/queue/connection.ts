import type { ConnectionOptions } from 'bullmq';
import { FlowsteadError } from '../../shared/errors.js';

/**
 * Turns `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS) into BullMQ's
 * connection options. Workers block on Redis, so commands are never given up on while
 * Redis restarts (`maxRetriesPerRequest: null`, as BullMQ requires for workers).
 */
export function redisConnection(redisUrl: string): ConnectionOptions {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    throw invalid(redisUrl, 'it is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw invalid(redisUrl, 'it must start with redis:// or rediss://');
  }
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw invalid(redisUrl, `the database number "${url.pathname.slice(1)}" is not a whole number`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

function invalid(redisUrl: string, why: string): FlowsteadError {
  // Never echo the password back into logs.
  const shown = redisUrl.replace(/\/\/[^@/]*@/, '//***@');
  return new FlowsteadError(
    'QUEUE_REDIS_URL',
    `The Redis URL ${shown} cannot be used: ${why}. Give one like redis://127.0.0.1:6379/0.`,
  );
}
