// An echo bot: answers "/echo <text>" in one room with "<text>", once per command.
//
//   CHAT_URL=http://localhost:3000 BOT_USERNAME=echo-bot BOT_PASSWORD=... ROOM_ID=<uuid> node bot.mjs
//
// Exactly once, across reconnects and restarts:
// - within one run the SDK delivers each message once, in seq order, filling every gap (lost events,
//   reconnects) from history;
// - across runs the bot keeps the seq it has handled in STATE_FILE and joins with `sinceSeq`, so commands
//   sent while it was away are answered when it is back;
// - each reply's clientMsgId is derived from the command's id, so a reply sent again (the bot crashed
//   before saving its state, or restarted from an older state file) is stored once: the server acks it
//   as a duplicate and broadcasts nothing.
//
// It prints one JSON line per event on stdout (what a process supervisor or a test reads).
import { readFile, rename, writeFile } from 'node:fs/promises';

import { ChatClient } from '@chat/sdk';

const config = {
  url: required('CHAT_URL'),
  username: required('BOT_USERNAME'),
  password: required('BOT_PASSWORD'),
  roomId: required('ROOM_ID'),
  stateFile: process.env.STATE_FILE ?? `./echo-bot-${process.env.ROOM_ID}.json`,
};

const client = new ChatClient({ baseUrl: config.url });
const socket = client.socket({ reconnectionDelay: 200, reconnectionDelayMax: 2_000 });
let handledSeq = await loadHandledSeq();
let saving = Promise.resolve();
let refreshTimer;

await signIn();
socket.onState((state) => log({ event: 'state', state }));
socket.onError((error) => log({ event: 'error', code: error.code, message: error.message }));
socket.on('session:ended', (event) => {
  // Revoked, expired or suspended: the server closes the connection. Sign in again and carry on.
  log({ event: 'session-ended', reason: event.reason });
  void restart();
});
// One command at a time, in seq order: the handled seq only moves past a command once it is answered.
let handling = Promise.resolve();
socket.on('message:new', (message) => {
  handling = handling.then(() => handle(message));
});

await socket.connect();
await joinRoom();
log({ event: 'ready', roomId: config.roomId, sinceSeq: handledSeq, instanceId: socket.instanceId });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    clearTimeout(refreshTimer);
    socket.disconnect();
    await saving;
    process.exit(0);
  });
}

async function handle(message) {
  if (message.roomId !== config.roomId || message.seq <= handledSeq) return;
  const command = /^\/echo(?:\s+([\s\S]*))?$/.exec(message.body);
  if (command && message.senderId !== socket.userId) {
    const text = command[1]?.trim() || '(nothing to echo)';
    try {
      const { message: reply, duplicate } = await socket.send(config.roomId, text, {
        clientMsgId: `echo:${message.id}`,
      });
      log({ event: 'answered', commandSeq: message.seq, replySeq: reply.seq, duplicate });
    } catch (error) {
      // Not answered (e.g. the bot lost access): leave the seq unhandled so a restart tries again.
      log({ event: 'error', code: error.code, message: error.message, commandSeq: message.seq });
      return;
    }
  }
  handledSeq = Math.max(handledSeq, message.seq);
  saving = saving.then(() => saveHandledSeq(handledSeq));
}

async function signIn() {
  let auth;
  try {
    auth = await client.http.login({ username: config.username, password: config.password });
  } catch (error) {
    if (error.code !== 'UNAUTHORIZED') throw error;
    // First run: the account does not exist yet.
    auth = await client.http.register({ username: config.username, password: config.password });
  }
  scheduleRefresh(auth.expiresIn);
}

function scheduleRefresh(expiresInSeconds) {
  // Renew at 80 % of the lifetime and hand the new token to the open connection: the server ends a
  // session whose token expires, and the SDK reads the new token on every reconnect.
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    try {
      const auth = await client.http.refresh();
      if (socket.connected) await socket.refreshAuth(auth.accessToken);
      scheduleRefresh(auth.expiresIn);
      log({ event: 'token-refreshed' });
    } catch (error) {
      log({ event: 'error', code: error.code, message: error.message });
      void restart();
    }
  }, expiresInSeconds * 800);
  refreshTimer.unref();
}

async function restart() {
  try {
    await signIn();
    await socket.connect();
    await joinRoom();
  } catch (error) {
    log({ event: 'fatal', code: error.code, message: error.message });
    process.exit(1);
  }
}

async function joinRoom() {
  // A public room is joined by subscribing; a private one needs its owner to add the bot first.
  await socket.join(config.roomId, { sinceSeq: handledSeq });
}

async function loadHandledSeq() {
  try {
    return JSON.parse(await readFile(config.stateFile, 'utf8')).handledSeq ?? 0;
  } catch (error) {
    if (error.code === 'ENOENT') return 0;
    throw error;
  }
}

async function saveHandledSeq(seq) {
  // Write then rename, so a crash mid-write never leaves a truncated state file.
  await writeFile(`${config.stateFile}.tmp`, JSON.stringify({ handledSeq: seq }));
  await rename(`${config.stateFile}.tmp`, config.stateFile);
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} is required\n`);
    process.exit(2);
  }
  return value;
}

function log(entry) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}
