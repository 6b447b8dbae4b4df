import { plainToInstance } from 'class-transformer';
import {
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

export enum NodeEnv {
  Development = 'development',
  Production = 'production',
  Test = 'test',
}

export const SOCKET_ADAPTERS = ['redis', 'redis-sharded', 'redis-streams'] as const;
export type SocketAdapterKind = (typeof SOCKET_ADAPTERS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** A duration such as `3600`, `90s`, `15m`, `12h` or `7d`. */
export const DURATION_PATTERN = /^\d+[smhd]?$/;
const POSITIVE_DURATION_PATTERN = /^0*[1-9]\d*[smhd]?$/;

/** Express `trust proxy`: a boolean, a hop count, or a list of addresses, CIDR subnets and named ranges. */
const TRUST_PROXY_PATTERN =
  /^(true|false|\d+|[0-9a-fA-F.:/]+|loopback|linklocal|uniquelocal)(\s*,\s*([0-9a-fA-F.:/]+|loopback|linklocal|uniquelocal))*$/;

/** `*`, or origins as browsers send them in `Origin`: `https://host` or `http://host:port`, no path. */
const ORIGIN = 'https?://[^\\s/,*]+';
const CORS_ORIGINS_PATTERN = new RegExp(`^\\s*(\\*|${ORIGIN}(\\s*,\\s*${ORIGIN})*)\\s*$`);

const HOST_PORT = '[^\\s,:/]+:\\d{1,5}';
const CLUSTER_NODES_PATTERN = new RegExp(`^\\s*${HOST_PORT}(\\s*,\\s*${HOST_PORT})*\\s*$`);

/** The process environment this service understands; every value is checked before anything starts. */
export class EnvironmentVariables {
  @IsOptional()
  @IsEnum(NodeEnv)
  NODE_ENV?: NodeEnv;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Matches(TRUST_PROXY_PATTERN, {
    message:
      'TRUST_PROXY must be false, true, a hop count, or comma-separated addresses/subnets/loopback/linklocal/uniquelocal',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** A direct connection for the migrations' session advisory lock, when DATABASE_URL goes through a pooler. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_MIGRATION_URL must be a postgres:// URL' })
  DATABASE_MIGRATION_URL?: string;

  /** DATABASE_URL is a transaction-mode pooler (PgBouncer pool_mode=transaction): no session state on it. */
  @IsOptional()
  @IsIn(['true', 'false', true, false])
  DATABASE_TRANSACTION_POOLING?: string | boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  DATABASE_CONNECT_TIMEOUT_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_STATEMENT_TIMEOUT_MS?: number;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(CLUSTER_NODES_PATTERN, {
    message: 'REDIS_CLUSTER_NODES must be comma-separated host:port seeds such as redis-1:6379,redis-2:6379',
  })
  REDIS_CLUSTER_NODES?: string;

  @IsOptional()
  @IsIn(SOCKET_ADAPTERS)
  SOCKET_ADAPTER?: SocketAdapterKind;

  @IsOptional()
  @Matches(/^[a-zA-Z0-9:_-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 of [a-zA-Z0-9:_-]' })
  REDIS_KEY_PREFIX?: string;

  @IsOptional()
  @IsInt()
  @Min(64 * 1024)
  @Max(1024 * 1024 * 1024)
  SOCKET_MAX_BUFFERED_BYTES?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MESSAGE_RATE_LIMIT?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  MESSAGE_RATE_WINDOW_SECONDS?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  MESSAGE_BURST?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  EDIT_RATE_LIMIT?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  EDIT_BURST?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  EVENT_RATE_LIMIT?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  EVENT_BURST?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  SOCKET_RECHECK_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAX_CONNECTIONS_PER_USER?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  MAX_ROOMS_PER_SOCKET?: number;

  @ValidateIf(
    (env: EnvironmentVariables) => env.NODE_ENV === NodeEnv.Production || env.JWT_SECRET !== undefined,
  )
  @IsString({ message: 'JWT_SECRET is required when NODE_ENV=production' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional()
  @Matches(DURATION_PATTERN, { message: 'JWT_TTL must be a duration such as 3600, 15m, 12h or 7d' })
  JWT_TTL?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_FAILURES?: number;

  @IsOptional()
  @Matches(POSITIVE_DURATION_PATTERN, {
    message: 'LOGIN_FAILURE_WINDOW must be a duration above zero such as 900, 15m or 1h',
  })
  LOGIN_FAILURE_WINDOW?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_RATE_LIMIT?: number;

  @IsOptional()
  @Matches(POSITIVE_DURATION_PATTERN, {
    message: 'LOGIN_RATE_WINDOW must be a duration above zero such as 60, 1m or 1h',
  })
  LOGIN_RATE_WINDOW?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  REGISTER_RATE_LIMIT?: number;

  @IsOptional()
  @Matches(POSITIVE_DURATION_PATTERN, {
    message: 'REGISTER_RATE_WINDOW must be a duration above zero such as 600, 10m or 1h',
  })
  REGISTER_RATE_WINDOW?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  PASSWORD_HASH_CONCURRENCY?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  PASSWORD_HASH_QUEUE?: number;

  @IsOptional()
  @Matches(/^[a-zA-Z0-9._:-]{1,128}$/, { message: 'INSTANCE_ID must be 1-128 of [a-zA-Z0-9._:-]' })
  INSTANCE_ID?: string;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @Matches(CORS_ORIGINS_PATTERN, {
    message:
      'CORS_ORIGINS must be * or comma-separated origins such as https://chat.example.com (scheme, host and port; no path)',
  })
  CORS_ORIGINS?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: (typeof LOG_LEVELS)[number];

  @IsOptional()
  @IsIn(LOG_FORMATS)
  LOG_FORMAT?: LogFormat;

  @IsOptional()
  @IsString()
  WEB_DIST_DIR?: string;

  @IsOptional()
  @IsIn(['true', 'false', true, false])
  ADMIN_UI_ENABLED?: string | boolean;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'ADMIN_TOKEN must be at least 32 characters' })
  ADMIN_TOKEN?: string;

  @ValidateIf((env: EnvironmentVariables) => isTrue(env.ADMIN_UI_ENABLED))
  @Matches(/^[a-zA-Z0-9_.-]{3,32}$/, { message: 'ADMIN_UI_USERNAME is required when ADMIN_UI_ENABLED=true' })
  ADMIN_UI_USERNAME?: string;

  @ValidateIf((env: EnvironmentVariables) => isTrue(env.ADMIN_UI_ENABLED))
  @IsString({ message: 'ADMIN_UI_PASSWORD is required when ADMIN_UI_ENABLED=true' })
  @MinLength(12, { message: 'ADMIN_UI_PASSWORD must be at least 12 characters' })
  ADMIN_UI_PASSWORD?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS?: number;

  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  WEBHOOK_BACKOFF_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  WEBHOOK_DISABLE_AFTER_FAILURES?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  WEBHOOK_LOCK_MS?: number;
}

export const isTrue = (value: unknown): boolean => value === true || value === 'true';

/** Called by ConfigModule at boot: one line per bad variable, then the process refuses to start. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  const lines = [
    ...errors.flatMap((error) =>
      Object.values(error.constraints ?? {}).map((message) => `  - ${error.property}: ${message}`),
    ),
    ...combinationErrors(env).map((message) => `  - ${message}`),
  ];
  if (lines.length > 0) {
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}

/**
 * Settings that are valid alone but not together. Behind a transaction pooler, a session advisory
 * lock taken by one statement may be released on another server connection, so the migrations need
 * their own direct connection. On a Redis Cluster only the sharded adapter spreads the Socket.IO
 * traffic: the streams adapter keeps every event in one stream (one key, so one shard carries all of
 * it), and classic PUBLISH is copied to every node of the cluster.
 */
function combinationErrors(env: EnvironmentVariables): string[] {
  const errors: string[] = [];
  if (isTrue(env.DATABASE_TRANSACTION_POOLING) && !(env.DATABASE_URL && env.DATABASE_MIGRATION_URL)) {
    errors.push(
      'DATABASE_TRANSACTION_POOLING: needs DATABASE_URL (the pooler) and DATABASE_MIGRATION_URL (a direct connection: the migration lock is held by a session)',
    );
  }
  if (!env.REDIS_CLUSTER_NODES) return errors;
  if (env.REDIS_URL) errors.push('REDIS_URL and REDIS_CLUSTER_NODES: set one of them, not both');
  if (env.SOCKET_ADAPTER && env.SOCKET_ADAPTER !== 'redis-sharded') {
    errors.push(
      `SOCKET_ADAPTER: ${env.SOCKET_ADAPTER} does not spread over a Redis Cluster; use redis-sharded (the default with REDIS_CLUSTER_NODES)`,
    );
  }
  return errors;
}
