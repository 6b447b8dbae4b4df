#!/usr/bin/env node
// @ts-check
/**
 * Compares the three Socket.IO adapters on one machine: a 2-instance cluster per adapter, one room
 * with RECEIVERS sockets split over the instances, one sender on instance 1 sending MESSAGES at RATE/s.
 * Reports delivery latency (send → message:new on every receiver) from raw samples.
 *
 *   npm run build:api && node scripts/adapter-compare.js [--receivers 200] [--messages 400] [--rate 100]
 *
 * A quick comparison for choosing the default adapter, not the benchmark (that is `npm run bench`).
 */
'use strict';

const { randomBytes } = require('node:crypto');
const net = require('node:net');
const { io } = require('socket.io-client');
const { startCluster } = require('./cluster');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const RECEIVERS = arg('receivers', 200);
const MESSAGES = arg('messages', 400);
const RATE = arg('rate', 100);

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });

async function post(url, path, body, token) {
  const response = await fetch(`${url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return response.json();
}

function connect(url, token) {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(adapter) {
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const cluster = await startCluster({
    instances: 2,
    adapter,
    ports: ports.slice(0, 2),
    port: ports[2],
    env: { REDIS_KEY_PREFIX: `compare-${randomBytes(4).toString('hex')}`, LOG_LEVEL: 'warn' },
  });
  try {
    const { accessToken } = await post(cluster.url, '/auth/register', {
      username: `cmp_${randomBytes(6).toString('hex')}`,
      password: 'password-123',
    });
    const room = await post(cluster.url, '/rooms', { name: 'compare', visibility: 'public' }, accessToken);
    const samples = [];
    const receivers = await Promise.all(
      Array.from({ length: RECEIVERS }, (_, i) => connect(cluster.instances[i % 2].url, accessToken)),
    );
    await Promise.all(receivers.map((s) => s.timeout(10_000).emitWithAck('room:join', { roomId: room.id })));
    let delivered = 0;
    let allDelivered;
    const done = new Promise((resolve) => (allDelivered = resolve));
    for (const socket of receivers) {
      socket.on('message:new', (message) => {
        samples.push(Date.now() - Number(message.body.split(' ')[1]));
        if (++delivered === RECEIVERS * MESSAGES) allDelivered();
      });
    }
    const sender = await connect(cluster.instances[0].url, accessToken);
    const started = Date.now();
    for (let i = 0; i < MESSAGES; i++) {
      const due = started + (i * 1000) / RATE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      sender.emit('message:send', { roomId: room.id, body: `t ${Date.now()}`, clientMsgId: `m${i}` }, () => {});
    }
    await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
    const seconds = (Date.now() - started) / 1000;
    for (const socket of [...receivers, sender]) socket.close();
    samples.sort((a, b) => a - b);
    return {
      adapter,
      delivered: `${((100 * samples.length) / (RECEIVERS * MESSAGES)).toFixed(1)}%`,
      'deliveries/s': Math.round(samples.length / seconds),
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: samples[samples.length - 1],
    };
  } finally {
    await cluster.close();
  }
}

(async () => {
  console.log(`${RECEIVERS} receivers on 2 instances, ${MESSAGES} messages at ${RATE}/s, latency in ms`);
  const rows = [];
  const adapters = (process.env.ADAPTERS ?? 'redis,redis-sharded,redis-streams').split(',');
  for (const adapter of adapters) rows.push(await measure(adapter));
  console.table(rows);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
