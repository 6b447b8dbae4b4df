#!/usr/bin/env node
// @ts-check
/**
 * The production topology without Docker: N built API processes on 127.0.0.1 behind nginx (the same
 * config template as docker-compose), against the local Postgres and Redis.
 *
 *   npm run build && npm run cluster -- --instances 3 [--port 8080] [--adapter redis|redis-sharded|redis-streams]
 *
 * Also a library: the multi-instance tests call startCluster() and kill/restart instances through it.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'dist/api/api/src/main.js');
const TEMPLATE = path.join(ROOT, 'docker/nginx.conf.template');
const READY_TIMEOUT_MS = 30_000;

/** Each instance serves its metrics on its own port (METRICS_PORT), never proxied by nginx: 9464, 9465… */
const METRICS_BASE_PORT = 9464;

/**
 * @typedef {{ instances?: number, port?: number, basePort?: number, ports?: number[], metricsPorts?: number[], adapter?: string, env?: Record<string, string>, logDir?: string }} ClusterOptions
 * @typedef {{ id: string, port: number, url: string, metricsUrl: string, metricsPort: number, process: import('node:child_process').ChildProcess | null }} Instance
 */

/** @param {ClusterOptions} options */
async function startCluster(options = {}) {
  if (!fs.existsSync(MAIN))
    throw new Error(`${path.relative(ROOT, MAIN)} is missing: run "npm run build:api" first`);
  const count = options.instances ?? 3;
  const basePort = options.basePort ?? 3101;
  const port = options.port ?? 8080;
  const workDir = options.logDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'chat-cluster-'));
  fs.mkdirSync(path.join(workDir, 'logs'), { recursive: true });
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    // REDIS_CLUSTER_NODES in the environment (a Redis Cluster) replaces the default REDIS_URL.
    ...(process.env.REDIS_CLUSTER_NODES
      ? {}
      : { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }),
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    // nginx, on this machine, is the proxy whose X-Forwarded-For names the client.
    TRUST_PROXY: 'loopback',
    ...(options.adapter ? { SOCKET_ADAPTER: options.adapter } : {}),
    ...options.env,
  };

  /** @type {Instance[]} */
  const instances = Array.from({ length: count }, (_, i) => {
    const instancePort = options.ports?.[i] ?? basePort + i;
    const metricsPort = options.metricsPorts?.[i] ?? METRICS_BASE_PORT + i;
    return {
      id: `api-${i + 1}`,
      port: instancePort,
      url: `http://127.0.0.1:${instancePort}`,
      metricsPort,
      metricsUrl: `http://127.0.0.1:${metricsPort}`,
      process: null,
    };
  });

  /** @param {Instance} instance */
  async function start(instance) {
    const log = fs.openSync(path.join(workDir, `${instance.id}.log`), 'a');
    instance.process = spawn(process.execPath, [MAIN], {
      env: {
        ...env,
        PORT: String(instance.port),
        METRICS_PORT: String(instance.metricsPort),
        INSTANCE_ID: instance.id,
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    await waitForHttp(`${instance.url}/api/health`, () => instance.process?.exitCode !== null);
  }

  /** Sends a signal and resolves when the process has exited. @param {Instance} instance @param {NodeJS.Signals} signal */
  async function stop(instance, signal = 'SIGTERM') {
    const child = instance.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    instance.process = null;
  }

  try {
    await Promise.all(instances.map(start));
  } catch (error) {
    await Promise.all(instances.map((instance) => stop(instance, 'SIGKILL')));
    throw error;
  }

  const nginxConf = path.join(workDir, 'nginx.conf');
  fs.writeFileSync(
    nginxConf,
    fs
      .readFileSync(TEMPLATE, 'utf8')
      .replaceAll(
        '${API_UPSTREAM}',
        instances.map((i) => `server 127.0.0.1:${i.port} max_fails=1 fail_timeout=2s;`).join('\n    '),
      )
      .replaceAll('${LISTEN_PORT}', `127.0.0.1:${port}`)
      .replaceAll('${ACCESS_LOG}', path.join(workDir, 'logs/access.log')),
  );
  const nginx = spawn(
    'nginx',
    [
      '-p',
      workDir,
      '-c',
      nginxConf,
      '-g',
      `daemon off; pid ${path.join(workDir, 'nginx.pid')}; error_log ${path.join(workDir, 'logs/error.log')};`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const nginxFailed = new Promise((_, reject) =>
    nginx.once('error', (e) =>
      reject(new Error(`nginx could not start: ${e.message} (apt-get install nginx)`)),
    ),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitForHttp(`${url}/api/health`, () => nginx.exitCode !== null), nginxFailed]);
  } catch (error) {
    nginx.kill('SIGKILL');
    await Promise.all(instances.map((instance) => stop(instance, 'SIGKILL')));
    throw error;
  }

  return {
    url,
    instances,
    workDir,
    start,
    stop,
    /** kill -9, as a crash would. @param {Instance} instance */
    crash: (instance) => stop(instance, 'SIGKILL'),
    async close() {
      await Promise.all(instances.map((instance) => stop(instance, 'SIGTERM')));
      if (nginx.exitCode === null) {
        const exited = new Promise((resolve) => nginx.once('exit', resolve));
        nginx.kill('SIGQUIT');
        await exited;
      }
    },
  };
}

/** Polls until the URL answers 200; fails fast if the process behind it died. */
async function waitForHttp(url, died) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (died()) throw new Error(`the process serving ${url} exited during start-up`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready within ${READY_TIMEOUT_MS / 1000} s`);
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = inline ?? argv[++i];
    if (flag === '--instances') options.instances = Number(value);
    else if (flag === '--port') options.port = Number(value);
    else if (flag === '--base-port') options.basePort = Number(value);
    else if (flag === '--adapter') options.adapter = value;
    else
      throw new Error(
        `Unknown option ${flag}. Usage: npm run cluster -- --instances N [--port 8080] [--base-port 3101] [--adapter redis]`,
      );
  }
  if (!Number.isInteger(options.instances ?? 3) || (options.instances ?? 3) < 1)
    throw new Error('--instances must be a positive integer');
  return options;
}

if (require.main === module) {
  (async () => {
    if (spawnSync('nginx', ['-v']).error)
      throw new Error('nginx is not installed (Debian: apt-get install nginx)');
    const cluster = await startCluster(parseArgs(process.argv.slice(2)));
    console.log(`Cluster ready: ${cluster.url}`);
    for (const instance of cluster.instances)
      console.log(`  ${instance.id}  ${instance.url}  (metrics ${instance.metricsUrl}/metrics)`);
    console.log(`Logs: ${cluster.workDir}. Ctrl-C stops everything.`);
    const shutdown = () => cluster.close().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  })().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}

module.exports = { startCluster };
