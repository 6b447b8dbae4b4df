#!/usr/bin/env node
/**
 * Generates the AsyncAPI 3.0 document of the Socket.IO contract from the TypeScript types in
 * libs/contracts (the single source of the wire format), so a client in any language can be
 * written from it. `node scripts/asyncapi.js` rewrites libs/contracts/src/asyncapi.json; a unit
 * test fails when the committed file is out of date.
 */
const { writeFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { createGenerator } = require('ts-json-schema-generator');

const ROOT = resolve(__dirname, '..');
const OUTPUT = resolve(ROOT, 'libs/contracts/src/asyncapi.json');

/** Client → server events: payload type and the result type carried by a successful ack. */
const CLIENT_EVENTS = {
  'room:join': [
    'RoomJoinPayload',
    'RoomJoinResult',
    'Subscribe to a room’s events; the ack tells its last seq and who is online.',
  ],
  'room:leave': ['RoomLeavePayload', null, 'Stop receiving a room’s events (membership is unchanged).'],
  'message:send': [
    'MessageSendPayload',
    'MessageSendResult',
    'Store and broadcast a message. Acked only after it is stored; resending the same clientMsgId returns the original with duplicate: true.',
  ],
  'message:edit': ['MessageEditPayload', 'MessageUpdateResult', 'Edit one of your messages.'],
  'message:delete': [
    'MessageDeletePayload',
    'MessageUpdateResult',
    'Delete one of your messages (its body becomes empty).',
  ],
  'message:read': [
    'MessageReadPayload',
    'MessageReadResult',
    'Move your read marker forward; the room receives a receipt.',
  ],
  typing: ['TypingPayload', null, 'Say you are (not) typing; volatile, the ack is optional.'],
  'reaction:add': [
    'ReactionPayload',
    'ReactionResult',
    'React to a message of a room you are a member of. Idempotent (a second add changes nothing); at most Limits.REACTIONS_PER_MESSAGE_MAX distinct emoji per message (REACTION_LIMIT).',
  ],
  'reaction:remove': ['ReactionPayload', 'ReactionResult', 'Take your reaction back. Idempotent.'],
  'auth:refresh': [
    'AuthRefreshPayload',
    'AuthRefreshResult',
    'Give the connection a fresh token of the same user before its token expires (else the server ends the session at expiry).',
  ],
};

/** Server → client events and their payload types. */
const SERVER_EVENTS = {
  session: ['SessionEvent', 'Sent once after the handshake: who you are and which instance you reached.'],
  'message:new': [
    'Message',
    'A stored message of a joined room; seqs are contiguous per room, so a gap means something was missed (fill it with GET /api/rooms/:id/messages?after=). A thread reply carries threadRootId and threadRoot, its root\'s new counters (there is no message:updated for the root).',
  ],
  'message:updated': ['Message', 'A message of a joined room was edited or deleted.'],
  'message:reactions': [
    'MessageReactionsEvent',
    'The reactions of a message of a joined room changed; keep the highest version per message.',
  ],
  mention: [
    'MentionEvent',
    'A message mentions you (or was sent in one of your direct rooms): sent to all your sockets, joined to the room or not.',
  ],
  typing: ['TypingEvent', 'Someone in a joined room is (no longer) typing.'],
  receipt: ['ReceiptEvent', 'Someone in a joined room read up to seq.'],
  presence: [
    'PresenceEvent',
    'A member of one of your rooms came online (first connection) or went offline (last one).',
  ],
  'room:added': ['RoomAddedEvent', 'Someone added you to a room or opened a direct conversation with you.'],
  'room:removed': [
    'RoomRemovedEvent',
    'You were removed or banned from a room, or its owner deleted it: its events stop on every one of your sockets.',
  ],
  'room:updated': [
    'RoomUpdatedEvent',
    'A joined room changed (name, topic, owner, archive state, members); the system message that says so arrives as message:new.',
  ],
  'user:updated': ['UserUpdatedEvent', 'A member of one of your rooms (or you) changed their display name.'],
  'session:ended': [
    'SessionEndedEvent',
    'The token expired, was revoked (logout, password change, account deletion) or the account was suspended; the server closes the connection next.',
  ],
};

/**
 * Socket.IO's connection state recovery (on with the default redis-streams adapter) appends one
 * argument to the events the server emits through its adapter. AsyncAPI has no Socket.IO binding, so
 * the receive operations carry it as an extension; a client that expects one payload argument
 * (python-socketio, for one) fails on the second unless told.
 */
const RECOVERY_OFFSET = {
  argument: 2,
  schema: { type: 'string' },
  required: false,
  description:
    'With SOCKET_ADAPTER=redis-streams (the default) the event has a second argument after the payload: a string, ' +
    'the offset of this event in the recovery stream. Accept it (a handler taking exactly one argument fails) and keep ' +
    'the last one seen. It is absent with the redis or memory adapters and on the few events sent to one connection ' +
    'only (session:ended at token expiry), so treat it as optional.',
};

/** How a dropped connection resumes its session (see x-socketio-connection-state-recovery). */
const CONNECTION_STATE_RECOVERY = {
  adapters: ['redis-streams'],
  maxDisconnectionDurationMs: 120_000,
  connectReply: {
    description: "The server's CONNECT packet payload: keep pid, it names the session.",
    schema: {
      type: 'object',
      properties: { sid: { type: 'string' }, pid: { type: 'string' } },
      required: ['sid'],
    },
  },
  handshakeAuth: {
    description:
      'The CONNECT packet auth of a reconnect: the token (always checked again) plus pid and the last offset received. ' +
      'If the session is still known (disconnected for less than maxDisconnectionDurationMs) the server answers with the ' +
      'same sid, the socket keeps its rooms, and the room events emitted since that offset are delivered first. Otherwise ' +
      'a new session starts: join the rooms again and catch up with GET /api/rooms/{id}/messages?after=<last seq>.',
    schema: {
      type: 'object',
      properties: { token: { type: 'string' }, pid: { type: 'string' }, offset: { type: 'string' } },
      required: ['token'],
      additionalProperties: false,
    },
  },
};

const operationId = (event) =>
  event.replace(/:(\w)/g, (_, c) => c.toUpperCase()).replace(/^\w/, (c) => c.toLowerCase());

function buildAsyncApi() {
  const generator = createGenerator({
    path: resolve(ROOT, 'libs/contracts/src/index.ts'),
    tsconfig: resolve(ROOT, 'tsconfig.base.json'),
    expose: 'export',
    topRef: true,
    skipTypeCheck: true,
    additionalProperties: false,
  });
  // Only the types the events use (and what they reference), each under its own name.
  const wanted = new Set(['AckError']);
  for (const [payload, result] of Object.values(CLIENT_EVENTS)) {
    wanted.add(payload);
    if (result) wanted.add(result);
  }
  for (const [payload] of Object.values(SERVER_EVENTS)) wanted.add(payload);
  const definitions = {};
  for (const name of [...wanted].sort()) Object.assign(definitions, generator.createSchema(name).definitions);
  const sorted = Object.fromEntries(
    Object.keys(definitions)
      .sort()
      .map((key) => [key, definitions[key]]),
  );
  const schemas = JSON.parse(JSON.stringify(sorted).replaceAll('#/definitions/', '#/components/schemas/'));
  const ref = (name) => {
    if (!schemas[name]) throw new Error(`No schema for ${name}: is it exported from libs/contracts?`);
    return { $ref: `#/components/schemas/${name}` };
  };

  const messages = {};
  const operations = {};
  const ackOf = (result) => ({
    oneOf: [
      result
        ? { allOf: [{ type: 'object', properties: { ok: { const: true } }, required: ['ok'] }, ref(result)] }
        : { type: 'object', properties: { ok: { const: true } }, required: ['ok'] },
      ref('AckError'),
    ],
  });

  for (const [event, [payload, result, description]] of Object.entries(CLIENT_EVENTS)) {
    const id = operationId(event);
    messages[`${id}Request`] = { name: event, title: event, summary: description, payload: ref(payload) };
    messages[`${id}Ack`] = {
      name: `${event} ack`,
      title: `${event} ack`,
      summary:
        'The Socket.IO acknowledgement: {ok: true, …result} or {ok: false, error: {code, message, fields?, retryAfter?}}.',
      payload: ackOf(result),
    };
    operations[id] = {
      action: 'send',
      channel: { $ref: '#/channels/chat' },
      summary: description,
      messages: [{ $ref: `#/channels/chat/messages/${id}Request` }],
      reply: {
        channel: { $ref: '#/channels/chat' },
        messages: [{ $ref: `#/channels/chat/messages/${id}Ack` }],
      },
    };
  }
  for (const [event, [payload, description]] of Object.entries(SERVER_EVENTS)) {
    const id = `on${operationId(event).replace(/^\w/, (c) => c.toUpperCase())}`;
    messages[id] = { name: event, title: event, summary: description, payload: ref(payload) };
    operations[id] = {
      action: 'receive',
      channel: { $ref: '#/channels/chat' },
      summary: description,
      messages: [{ $ref: `#/channels/chat/messages/${id}` }],
      'x-socketio-recovery-offset': RECOVERY_OFFSET,
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Chat gateway — Socket.IO events',
      version: '1',
      description: [
        'Socket.IO v4 (Engine.IO protocol 4), default namespace, path /socket.io, transports websocket and polling.',
        'Each message below is a Socket.IO event: its name is the event name, its payload the first argument.',
        'Client events take an acknowledgement callback; its argument is the "ack" message.',
        'Authenticate in the CONNECT packet: auth = {"token": "<JWT from POST /api/auth/login>"}, or a bot\'s API key (chatbot_..., which may join only the rooms it is scoped to; revoking it sends session:ended); never in the URL.',
        'A refused handshake is a connect_error whose message is the error code (UNAUTHORIZED, UNAVAILABLE) and whose data is {code, message}.',
        'Server events may carry one more argument after the payload, the recovery offset (x-socketio-recovery-offset on each receive operation); reconnecting with auth {token, pid, offset} resumes the session (x-socketio-connection-state-recovery).',
        'REST (history, rooms, auth) is documented in OpenAPI at /api/docs.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      gateway: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io/',
        description: 'Any instance, or the load balancer in front of them.',
      },
    },
    channels: { chat: { address: '/', title: 'Default Socket.IO namespace', messages } },
    'x-socketio-connection-state-recovery': CONNECTION_STATE_RECOVERY,
    operations,
    components: { schemas },
  };
}

module.exports = { buildAsyncApi, OUTPUT };

if (require.main === module) {
  writeFileSync(OUTPUT, `${JSON.stringify(buildAsyncApi(), null, 2)}\n`);
  process.stdout.write(`wrote ${OUTPUT}\n`);
}
