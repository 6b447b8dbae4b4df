// An echo bot: answers "/echo <text>" in one room with "<text>", once per command.
//
//   CHAT_URL=http://localhost:3000 BOT_API_KEY=chatbot_... ROOM_ID=<uuid> node bot.mjs
//
// BOT_API_KEY is a bot's API key (the room's owner creates the bot: POST /api/rooms/:id/bots, or the
// web app's Integrations panel); it must be scoped to ROOM_ID. A key does not expire, so there is no
// token to refresh; it ends only when revoked, and then the bot stops.
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
  apiKey: required('BOT_API_KEY'),
  roomId: required('ROOM_ID'),
  stateFile: process.env.STATE_FILE ?? `./echo-bot-${process.env.ROOM_ID}.json`,
};

const client = new ChatClient({ baseUrl: config.url, token: config.apiKey });
const socket = client.socket({ reconnectionDelay: 200, reconnectionDelayMax: 2_000 });
let handledSeq = await loadHandledSeq();
let saving = Promise.resolve();

socket.onState((state) => log({ event: 'state', state }));
socket.onError((error) => log({ event: 'error', code: error.code, message: error.message }));
socket.on('session:ended', async (event) => {
  // The key was revoked (or the bot suspended): no reconnect can succeed with it, so stop.
  log({ event: 'session-ended', reason: event.reason, message: event.message });
  await saving;
  process.exit(1);
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

async function joinRoom() {
  // The bot is a member of the room its owner created it in; the key must be scoped to the room too.
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
