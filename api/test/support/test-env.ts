/** Where the e2e tests find their services; override with the same variables the app reads. */
export const TEST_POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Set by global-setup for the workers: the fresh database and the Redis key prefix of this run. */
export const RUN_DATABASE_URL_VAR = 'E2E_DATABASE_URL';
export const RUN_REDIS_PREFIX_VAR = 'E2E_REDIS_PREFIX';
/** Set by a suite that runs other suites on its own Redis Cluster: startTestApp uses it instead of REDIS_URL. */
export const RUN_REDIS_CLUSTER_VAR = 'E2E_REDIS_CLUSTER_NODES';
