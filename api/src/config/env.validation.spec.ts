import { validateEnvironment } from './env.validation';

describe('validateEnvironment', () => {
  it('accepts an empty environment: every variable has a development default', () => {
    expect(() => validateEnvironment({})).not.toThrow();
  });

  it('converts numeric strings', () => {
    expect(validateEnvironment({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('requires a long JWT_SECRET in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).not.toThrow();
  });

  it('accepts login throttling limits and refuses nonsense', () => {
    const env = validateEnvironment({ LOGIN_MAX_FAILURES: '10', LOGIN_FAILURE_WINDOW: '1h' });
    expect(env.LOGIN_MAX_FAILURES).toBe(10);
    expect(() => validateEnvironment({ LOGIN_MAX_FAILURES: '0' })).toThrow(/LOGIN_MAX_FAILURES/);
    expect(() => validateEnvironment({ LOGIN_MAX_FAILURES: 'five' })).toThrow(/LOGIN_MAX_FAILURES/);
    expect(() => validateEnvironment({ LOGIN_FAILURE_WINDOW: '0' })).toThrow(/LOGIN_FAILURE_WINDOW/);
    expect(() => validateEnvironment({ LOGIN_FAILURE_WINDOW: '15 minutes' })).toThrow(/LOGIN_FAILURE_WINDOW/);
  });

  it.each(['*', 'https://chat.example.com', 'http://localhost:4200, https://chat.example.com:8443'])(
    'accepts CORS_ORIGINS=%j',
    (value) => {
      expect(() => validateEnvironment({ CORS_ORIGINS: value })).not.toThrow();
    },
  );

  it.each([
    'chat.example.com',
    'https://chat.example.com/',
    'https://chat.example.com/app',
    'https://*.example.com',
    '',
  ])('refuses CORS_ORIGINS=%j: browsers send bare origins, which would never match', (value) => {
    expect(() => validateEnvironment({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS/);
  });

  it.each(['false', 'true', '1', 'loopback', '10.0.0.0/8, 192.168.1.2', 'loopback,uniquelocal', '::1'])(
    'accepts TRUST_PROXY=%j',
    (value) => {
      expect(validateEnvironment({ TRUST_PROXY: value })).toMatchObject({ TRUST_PROXY: value });
    },
  );

  it.each(['everyone', '10.0.0.0/8;rm', 'loopback,', ''])('refuses TRUST_PROXY=%j', (value) => {
    expect(() => validateEnvironment({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it('bounds the metrics port, the address limits and the hash cap', () => {
    expect(() => validateEnvironment({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => validateEnvironment({ LOGIN_RATE_LIMIT: '0' })).toThrow(/LOGIN_RATE_LIMIT/);
    expect(() => validateEnvironment({ REGISTER_RATE_WINDOW: '0' })).toThrow(/REGISTER_RATE_WINDOW/);
    expect(() => validateEnvironment({ PASSWORD_HASH_CONCURRENCY: '0' })).toThrow(
      /PASSWORD_HASH_CONCURRENCY/,
    );
    expect(
      validateEnvironment({ METRICS_PORT: '0', PASSWORD_HASH_QUEUE: '0', LOGIN_RATE_WINDOW: '30s' }),
    ).toMatchObject({ METRICS_PORT: 0, PASSWORD_HASH_QUEUE: 0, LOGIN_RATE_WINDOW: '30s' });
  });

  it('names every bad variable in one message', () => {
    const attempt = () =>
      validateEnvironment({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'http://x',
        SOCKET_ADAPTER: 'kafka',
        JWT_TTL: 'forever',
        LOG_LEVEL: 'loud',
      });
    expect(attempt).toThrow(/PORT/);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'SOCKET_ADAPTER', 'JWT_TTL', 'LOG_LEVEL']) {
        expect(message).toContain(name);
      }
    }
  });

  it('bounds the database timeouts and the socket output limit', () => {
    expect(
      validateEnvironment({
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        DATABASE_STATEMENT_TIMEOUT_MS: '3000',
        SOCKET_MAX_BUFFERED_BYTES: '262144',
      }),
    ).toMatchObject({
      DATABASE_CONNECT_TIMEOUT_MS: 1000,
      DATABASE_STATEMENT_TIMEOUT_MS: 3000,
      SOCKET_MAX_BUFFERED_BYTES: 262144,
    });
    expect(() => validateEnvironment({ DATABASE_CONNECT_TIMEOUT_MS: '0' })).toThrow(
      /DATABASE_CONNECT_TIMEOUT_MS/,
    );
    expect(() => validateEnvironment({ DATABASE_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_MS/,
    );
    expect(() => validateEnvironment({ SOCKET_MAX_BUFFERED_BYTES: '1024' })).toThrow(
      /SOCKET_MAX_BUFFERED_BYTES/,
    );
  });

  it('accepts client event budgets and the re-check interval, and refuses nonsense', () => {
    expect(
      validateEnvironment({
        EDIT_RATE_LIMIT: '5',
        EDIT_BURST: '0',
        EVENT_RATE_LIMIT: '20',
        EVENT_BURST: '600',
        SOCKET_RECHECK_MS: '0',
      }),
    ).toMatchObject({
      EDIT_RATE_LIMIT: 5,
      EDIT_BURST: 0,
      EVENT_RATE_LIMIT: 20,
      EVENT_BURST: 600,
      SOCKET_RECHECK_MS: 0,
    });
    for (const [name, value] of [
      ['EDIT_RATE_LIMIT', '0'],
      ['EVENT_RATE_LIMIT', 'many'],
      ['EVENT_BURST', '-1'],
      ['SOCKET_RECHECK_MS', '3600000'],
    ]) {
      expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(name));
    }
  });

  describe('Redis Cluster', () => {
    const nodes = '10.0.0.1:7000, redis-2.internal:7001,redis-3:7002';

    it('accepts host:port seeds, with the sharded adapter or none named', () => {
      expect(validateEnvironment({ REDIS_CLUSTER_NODES: nodes }).REDIS_CLUSTER_NODES).toBe(nodes);
      expect(() =>
        validateEnvironment({ REDIS_CLUSTER_NODES: nodes, SOCKET_ADAPTER: 'redis-sharded' }),
      ).not.toThrow();
    });

    it.each(['redis://10.0.0.1:7000', '10.0.0.1', '10.0.0.1:7000,', 'a:1 b:2'])(
      'refuses REDIS_CLUSTER_NODES=%j',
      (value) => {
        expect(() => validateEnvironment({ REDIS_CLUSTER_NODES: value })).toThrow(
          /REDIS_CLUSTER_NODES must be/,
        );
      },
    );

    it.each(['redis', 'redis-streams'])(
      'refuses SOCKET_ADAPTER=%s on a cluster, naming the one to use',
      (adapter) => {
        expect(() => validateEnvironment({ REDIS_CLUSTER_NODES: nodes, SOCKET_ADAPTER: adapter })).toThrow(
          new RegExp(`SOCKET_ADAPTER: ${adapter} does not spread over a Redis Cluster; use redis-sharded`),
        );
      },
    );

    it('refuses REDIS_URL beside it', () => {
      expect(() => validateEnvironment({ REDIS_CLUSTER_NODES: nodes, REDIS_URL: 'redis://x:6379' })).toThrow(
        /REDIS_URL and REDIS_CLUSTER_NODES: set one of them/,
      );
    });
  });

  describe('behind a transaction pooler', () => {
    const pooled = {
      DATABASE_URL: 'postgres://chat@pgbouncer:6432/chat',
      DATABASE_MIGRATION_URL: 'postgres://chat@postgres:5432/chat',
      DATABASE_TRANSACTION_POOLING: 'true',
    };

    it('accepts the pooler with a direct migration URL', () => {
      expect(validateEnvironment(pooled)).toMatchObject(pooled);
    });

    it('refuses it without a direct connection for the migration lock', () => {
      expect(() => validateEnvironment({ ...pooled, DATABASE_MIGRATION_URL: undefined })).toThrow(
        /DATABASE_TRANSACTION_POOLING: needs DATABASE_URL \(the pooler\) and DATABASE_MIGRATION_URL/,
      );
    });

    it('checks the migration URL like DATABASE_URL', () => {
      expect(() => validateEnvironment({ DATABASE_MIGRATION_URL: 'mysql://x' })).toThrow(
        /DATABASE_MIGRATION_URL must be a postgres:\/\/ URL/,
      );
    });
  });
});
