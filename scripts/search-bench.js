#!/usr/bin/env node
/*
 * Search latency over 1,000,000 stored messages in 1,000 rooms (`npm run bench:search`).
 *
 * 1. Seeds a database of its own (`chat_search_bench` on DATABASE_URL's server, kept between runs;
 *    `--reseed` starts over) straight in SQL: the migrations, 1,000 users each a member of 50 of the
 *    1,000 rooms (50 members a room), then 1,000 messages a room from generate_series (words drawn
 *    from a vocabulary with a skewed, Zipf-like frequency, 2 % with a rare ticket number), with the GIN
 *    index dropped during the load and built once after it. Nothing goes through the API.
 * 2. Starts the built API (`npm run build:api` first) on that database and times `GET /api/search`
 *    from one client, one request at a time, for typical queries of users in 50 rooms: p50/p99 per
 *    query and over all. The client runs on the same machine as the API and Postgres.
 *
 * Options: --reseed, --requests <per query, default 60>, --keep-running (leave the API up).
 */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { loadavg, cpus } = require('node:os');
const { Client } = require('pg');
const { sign } = require('jsonwebtoken');

const ROOT = join(__dirname, '..');
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'chat_search_bench';
const DB_URL = Object.assign(new URL(ADMIN_URL), { pathname: `/${DB_NAME}` }).toString();
const ROOMS = 1000;
const USERS = 1000;
const ROOMS_PER_USER = 50;
const MESSAGES_PER_ROOM = 1000;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const REQUESTS = Number(option('--requests', '60'));

/** Chat-like words, most frequent first: the draw below favours the head of the list. */
const WORDS = `ok thanks meeting today tomorrow deploy release build test fix bug review merge branch
  please check update issue ticket customer call lunch coffee morning afternoon week friday monday
  server database cache queue latency error timeout retry config staging production rollback
  design draft document notes agenda budget plan roadmap sprint standup demo feedback question
  answer idea proposal sure great cool nice awesome done working blocked waiting ready shipped
  login password account session token api endpoint client mobile web android ios browser
  invoice payment order refund shipping report dashboard metrics alert incident outage postmortem
  holiday vacation office remote team project launch marketing sales support onboarding hiring
  interview candidate contract legal security audit compliance backup migration schema index query
  performance memory cpu disk network kubernetes docker container pipeline ci flaky green red
  weekend birthday party pizza train flight hotel conference talk slides recording video screen
  share link file image screenshot attachment upload download sync offline online status presence
  typing message channel thread reaction emoji mention notification settings profile avatar theme
  dark light font layout button modal dialog form input validation translation language locale
  timezone calendar invite reminder deadline estimate priority urgent blocker severity owner assignee
  quarter revenue growth churn retention survey research prototype experiment hypothesis analysis
  chart table spreadsheet export import csv json yaml markdown wiki readme changelog version tag
  hotfix patch minor major breaking deprecated legacy refactor cleanup lint format typo rename
  kraken zephyr quasar nebula obsidian saffron tundra mistral juniper halcyon`
  .split(/\s+/)
  .filter(Boolean);

/** [label, q, scoped to one room?] — what people type: a frequent word, a rarer one, two words, a phrase, an exclusion, a ticket. */
const QUERIES = [
  ['frequent word', 'deploy', false],
  ['mid-frequency word', 'postmortem', false],
  ['least frequent vocabulary word', 'halcyon', false],
  ['two words', 'release tomorrow', false],
  ['phrase', '"meeting today"', false],
  ['word minus word', 'budget -draft', false],
  ['rare token (a ticket number)', 'ticket4242', false],
  ['no match', 'xylophone', false],
  ['frequent word, one room', 'deploy', true],
];

async function main() {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  if (args.includes('--reseed')) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount > 0;
  if (!exists) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();

  const db = new Client({ connectionString: DB_URL });
  await db.connect();
  if (!exists) await seed(db);
  else console.log(`Reusing ${DB_NAME} (--reseed to start over)`);
  const [{ count }] = (await db.query('SELECT count(*)::int AS count FROM messages')).rows;
  if (count !== ROOMS * MESSAGES_PER_ROOM)
    throw new Error(`${DB_NAME} has ${count} messages: run with --reseed`);
  await measure(db);
  await db.end();
}

async function seed(db) {
  const started = Date.now();
  const step = (what) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
  process.env.DATABASE_URL = DB_URL;
  const dataSource = require(join(ROOT, 'dist/api/api/src/database/data-source.js')).default;
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  step('migrations');

  await db.query(`SET maintenance_work_mem = '512MB'`);
  await db.query(
    `INSERT INTO users (username, password_hash, display_name)
     SELECT 'user' || i, 'seeded-no-login', initcap(($2::text[])[1 + i % $3]) || ' ' || initcap(($2::text[])[1 + (i * 7) % $3]) || ' ' || i
     FROM generate_series(0, $1 - 1) AS i`,
    [USERS, WORDS, WORDS.length],
  );
  await db.query(
    `INSERT INTO rooms (name, kind, visibility, last_seq)
     SELECT 'team-' || ($2::text[])[1 + i % $3] || '-' || i, 'group', CASE WHEN i % 10 < 7 THEN 'public' ELSE 'private' END, $4
     FROM generate_series(0, $1 - 1) AS i`,
    [ROOMS, WORDS, WORDS.length, MESSAGES_PER_ROOM],
  );
  // Room r's members: the users u with u ≡ r (mod 20), so every user is in 50 rooms and every room has 50 members.
  await db.query(
    `CREATE TEMP TABLE seed_users AS SELECT id, (substring(username from 5))::int AS i FROM users`,
  );
  await db.query(
    `CREATE TEMP TABLE seed_rooms AS SELECT id, (substring(name from '-(\\d+)$'))::int AS i FROM rooms`,
  );
  await db.query(
    `INSERT INTO memberships (room_id, user_id, role)
     SELECT r.id, u.id, 'member' FROM seed_rooms r JOIN seed_users u ON u.i % 20 = r.i % 20`,
  );
  await db.query(
    `CREATE TEMP TABLE seed_members AS
     SELECT r.id, r.i, array_agg(u.id ORDER BY u.i) AS members
     FROM seed_rooms r JOIN seed_users u ON u.i % 20 = r.i % 20 GROUP BY r.id, r.i`,
  );
  await db.query(`CREATE TEMP TABLE seed_words AS SELECT $1::text[] AS words, $2::int AS n`, [
    WORDS,
    WORDS.length,
  ]);
  step(`${USERS} users, ${ROOMS} rooms, ${USERS * ROOMS_PER_USER} memberships`);

  // One GIN build after the load is far cheaper than maintaining the index row by row.
  await db.query('DROP INDEX messages_room_search_idx');
  const chunk = 100;
  for (let first = 0; first < ROOMS; first += chunk) {
    await db.query(
      `INSERT INTO messages (room_id, seq, sender_id, body, client_msg_id, instance_id, created_at)
       SELECT rm.id, g.seq, rm.members[1 + (g.seq * 7 + rm.i) % 50],
         (SELECT string_agg(w.words[1 + floor(power(random(), 2.5) * w.n)::int], ' ')
            FROM seed_words w, generate_series(1, 4 + (g.seq + rm.i) % 18) AS k(n))
         || CASE WHEN random() < 0.02 THEN ' ticket' || floor(random() * 10000)::int ELSE '' END,
         'seed-' || rm.i || '-' || g.seq, 'seed',
         now() - (($3 - g.seq) * interval '8 hours') - rm.i * interval '7 seconds'
       FROM seed_members rm CROSS JOIN generate_series(1, $3) AS g(seq)
       WHERE rm.i >= $1 AND rm.i < $2`,
      [first, first + chunk, MESSAGES_PER_ROOM],
    );
    step(`messages of rooms ${first}–${first + chunk - 1}`);
  }
  await db.query('CREATE INDEX messages_room_search_idx ON messages USING gin (room_id, search_vector)');
  step('GIN index built');
  await db.query('VACUUM ANALYZE');
  step('VACUUM ANALYZE');
}

async function measure(db) {
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const api = spawn(process.execPath, [join(ROOT, 'dist/api/api/src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: '0',
      DATABASE_URL: DB_URL,
      REDIS_URL: '',
      JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      SEARCH_RATE_LIMIT: '1000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${base}/api/health/live`, api);
    const users = (
      await db.query(
        `SELECT u.id, u.username, array_agg(m.room_id) AS rooms FROM users u
         JOIN memberships m ON m.user_id = u.id GROUP BY u.id HAVING count(*) = $1 ORDER BY random() LIMIT 20`,
        [ROOMS_PER_USER],
      )
    ).rows.map((u) => ({
      ...u,
      token: sign({ sub: u.id, username: u.username }, secret, { algorithm: 'HS256', expiresIn: '1h' }),
    }));
    console.log(
      `\nGET /api/search, ${REQUESTS} requests per query, one at a time, 20 users in ${ROOMS_PER_USER} rooms each ` +
        `(${ROOMS_PER_USER * MESSAGES_PER_ROOM} messages visible to each, ${ROOMS * MESSAGES_PER_ROOM} stored)`,
    );
    console.log(
      `load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${cpus().length} cores\n`,
    );
    const all = [];
    const rows = [];
    for (const [label, q, scoped] of QUERIES) {
      const times = [];
      let hits = 0;
      for (let i = 0; i < REQUESTS + 3; i++) {
        const user = users[i % users.length];
        const params = new URLSearchParams({
          q,
          ...(scoped && { roomId: user.rooms[i % user.rooms.length] }),
        });
        const started = performance.now();
        const response = await fetch(`${base}/api/search?${params}`, {
          headers: { authorization: `Bearer ${user.token}` },
        });
        const body = await response.json();
        const ms = performance.now() - started;
        if (response.status !== 200) throw new Error(`${label}: ${response.status} ${JSON.stringify(body)}`);
        if (i < 3) continue; // warm-up
        times.push(ms);
        hits += body.hits.length;
      }
      all.push(...times);
      const matches = await matchesOf(db, users[0], q);
      rows.push({ label, q, ...percentiles(times), hitsPerPage: (hits / REQUESTS).toFixed(1), matches });
    }
    console.table(rows);
    const overall = percentiles(all);
    console.log(`all queries: p50 ${overall.p50} ms, p99 ${overall.p99} ms (${all.length} requests)`);
    console.log(
      "matches: of q in the first user's 50 rooms (all of which the ranking reads; one room for the last row: fewer)",
    );
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    if (!args.includes('--keep-running')) api.kill('SIGTERM');
  }
}

/** How many messages q matches in one user's rooms: what the ranking has to read and sort. */
async function matchesOf(db, user, q) {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM messages m JOIN memberships mem ON mem.room_id = m.room_id AND mem.user_id = $1
     WHERE m.search_vector @@ websearch_to_tsquery('english', $2)`,
    [user.id, q],
  );
  return rows[0].n;
}

function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return {
    p50: Number(at(50).toFixed(1)),
    p99: Number(at(99).toFixed(1)),
    max: Number(sorted.at(-1).toFixed(1)),
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(url, child) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within 2 minutes`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
