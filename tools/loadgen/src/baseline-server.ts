/**
 * The bare baselines the project is measured against, one per process:
 *   ws            B1: a `ws` server broadcasting each message to the clients of its room
 *   sio           B2: Socket.IO, one process
 *   sio-redis     B3: Socket.IO with @socket.io/redis-adapter (run two of them)
 *   sio-jwt       B2j: Socket.IO whose handshake verifies a JWT (BASELINE_JWT_SECRET), as the
 *                 project's must: the baseline of the connection scenario
 * Same transport settings as the project: websocket, perMessageDeflate off, bufferutil present.
 * Usage: node baseline-server.js <mode> <port> [redisUrl]
 */
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { verify } from 'jsonwebtoken';
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { WebSocket, WebSocketServer } from 'ws';

import { baselineMessage } from './protocol';

const [mode, portText, redisUrl] = process.argv.slice(2);
const port = Number(portText);
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

// The orchestrator asks for event-loop lag p99 (ms) per step; each answer starts a new window.
process.on('message', (message: { type: string }) => {
  if (message.type !== 'lag') return;
  process.send?.({ type: 'lag', p99Ms: lag.percentile(99) / 1e6 });
  lag.reset();
});

/** Not a per-room sequence as the project keeps: only there so the payload has the same fields. */
let seq = 0;

const http = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
});

if (mode === 'ws') {
  const rooms = new Map<string, Set<WebSocket>>();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    let joined: Set<WebSocket> | undefined;
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; room: string; body?: string };
      if (message.type === 'join') {
        joined = rooms.get(message.room) ?? new Set();
        rooms.set(message.room, joined);
        joined.add(ws);
      } else if (message.type === 'send' && message.body !== undefined) {
        const frame = JSON.stringify(baselineMessage(message.body, message.room, ++seq));
        for (const member of rooms.get(message.room) ?? []) member.send(frame);
      }
    });
    ws.on('close', () => joined?.delete(ws));
  });
} else {
  const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
  if (mode === 'sio-redis') {
    const pub = new Redis(redisUrl);
    io.adapter(createAdapter(pub, pub.duplicate()));
  }
  if (mode === 'sio-jwt') {
    // As the project verifies: HS256 only, the secret as a KeyObject (a string secret makes
    // jsonwebtoken try to parse it as a PEM key on every call).
    const key = createSecretKey(Buffer.from(process.env.BASELINE_JWT_SECRET ?? '', 'utf8'));
    io.use((socket, next) => {
      try {
        const claims = verify(String(socket.handshake.auth.token), key, { algorithms: ['HS256'] });
        socket.data.userId = typeof claims === 'object' ? claims.sub : undefined;
        next();
      } catch {
        next(new Error('unauthorized'));
      }
    });
  }
  io.on('connection', (socket) => {
    socket.on('join', (room: string, ack: (result: object) => void) => {
      void socket.join(room);
      ack({ ok: true });
    });
    socket.on('send', (payload: { room: string; body: string }, ack: (result: object) => void) => {
      io.to(payload.room).emit('msg', baselineMessage(payload.body, payload.room, ++seq));
      ack({ ok: true });
    });
  });
}

http.listen(port, '127.0.0.1', () => process.send?.({ type: 'ready' }));
// An orderly exit on SIGTERM, so `--cpu-prof` (through NODE_OPTIONS) writes the profile.
process.on('SIGTERM', () => process.exit(0));
