import { appEnv } from './app.config';
import { attachmentsEnv } from './attachments.config';
import { authEnv } from './auth.config';
import { databaseEnv } from './database.config';
import { checkEnv, readEnv } from './env-var';
import { limitsEnv } from './limits.config';
import { realtimeEnv } from './realtime.config';
import { redisEnv } from './redis.config';
import { webhooksEnv } from './webhooks.config';

/** Every variable this service reads, by namespace, in the order of the README's table. */
export const ENVIRONMENT = {
  ...appEnv,
  ...databaseEnv,
  ...redisEnv,
  ...realtimeEnv,
  ...authEnv,
  ...limitsEnv,
  ...webhooksEnv,
  ...attachmentsEnv,
};

/**
 * Rules across variables, read from the raw values so they are reported beside any other problem.
 * Behind a transaction pooler, a session advisory lock taken by one statement may be released on
 * another server connection, so the migrations need their own direct connection. On a Redis Cluster
 * only the sharded adapter spreads the Socket.IO traffic: the streams adapter keeps every event in
 * one stream (one key, so one shard carries all of it), and classic PUBLISH is copied to every node.
 */
function crossChecks(raw: Record<string, unknown>): string[] {
  const unset = (name: string) => raw[name] === undefined || raw[name] === '';
  const problems: string[] = [];
  if (raw.NODE_ENV === 'production' && unset('JWT_SECRET')) {
    problems.push('JWT_SECRET is required when NODE_ENV=production');
  }
  if (
    raw.DATABASE_TRANSACTION_POOLING === 'true' &&
    (unset('DATABASE_URL') || unset('DATABASE_MIGRATION_URL'))
  ) {
    problems.push(
      'DATABASE_TRANSACTION_POOLING: needs DATABASE_URL (the pooler) and DATABASE_MIGRATION_URL (a direct connection: the migration lock is held by a session)',
    );
  }
  if (!unset('REDIS_CLUSTER_NODES')) {
    if (!unset('REDIS_URL')) problems.push('REDIS_URL and REDIS_CLUSTER_NODES: set one of them, not both');
    if (!unset('SOCKET_ADAPTER') && raw.SOCKET_ADAPTER !== 'redis-sharded') {
      problems.push(
        `SOCKET_ADAPTER: ${String(raw.SOCKET_ADAPTER)} does not spread over a Redis Cluster; use redis-sharded (the default with REDIS_CLUSTER_NODES)`,
      );
    }
  }
  if (raw.STORAGE_DRIVER === 's3' && unset('S3_BUCKET')) problems.push('S3_BUCKET is required when STORAGE_DRIVER=s3');
  if (unset('S3_ACCESS_KEY_ID') !== unset('S3_SECRET_ACCESS_KEY')) {
    problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both or neither');
  }
  for (const name of ['ADMIN_UI_USERNAME', 'ADMIN_UI_PASSWORD']) {
    if (raw.ADMIN_UI_ENABLED === 'true' && unset(name))
      problems.push(`${name} is required when ADMIN_UI_ENABLED=true`);
  }
  return problems;
}

/**
 * Called by ConfigModule at boot: one line per bad variable, then the process refuses to start.
 * Answers the environment with the set integers converted; each namespace reads its own typed values.
 */
export function validateEnvironment(raw: Record<string, unknown>): Record<string, unknown> {
  const problems = [...checkEnv(ENVIRONMENT, raw), ...crossChecks(raw)];
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
  }
  const converted: Record<string, unknown> = readEnv(ENVIRONMENT, raw as NodeJS.ProcessEnv);
  const ints = Object.entries(ENVIRONMENT)
    .filter(([name, variable]) => variable.kind === 'int' && raw[name] !== undefined && raw[name] !== '')
    .map(([name]) => [name, converted[name]]);
  return { ...raw, ...Object.fromEntries(ints) };
}
