import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ChatClient, ChatSocket } from '@chat/sdk';

import { BuiltApp, startBuiltApp } from '../../../api/test/support/built-app';
import { EventRecorder } from '../../../api/test/support/events';
import { TcpProxy } from '../../../api/test/support/tcp-proxy';
import {
  RUN_DATABASE_URL_VAR,
  RUN_REDIS_PREFIX_VAR,
  TEST_REDIS_URL,
} from '../../../api/test/support/test-env';
import { registerUser } from '../../../api/test/support/users';
import {
  JsonLinesProcess,
  REPO_ROOT,
  createConsumerProject,
  packPackages,
  runNode,
  runTypeScript,
} from './support/consumer-project';

const FIXTURES = join(__dirname, 'fixtures');

/**
 * What a user of the published packages gets: both tarballs from `npm pack`, installed into a new
 * project outside the repository, used from CommonJS, ES modules and TypeScript against a live instance.
 */
describe('@chat/contracts and @chat/sdk as installed packages', () => {
  let work: string;
  let consumer: string;
  let app: BuiltApp;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'chat-packages-'));
    consumer = join(work, 'consumer');
    // Assigned before anything else can fail, so afterAll stops it.
    app = await startBuiltApp({
      NODE_ENV: 'test',
      DATABASE_URL: process.env[RUN_DATABASE_URL_VAR],
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:packages`,
      JWT_SECRET: 'packages-e2e-secret-that-is-long-enough-for-hs256',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chat-packages-data-')),
      WEB_DIST_DIR: '/nonexistent',
      LOG_LEVEL: 'warn',
    });
    const tarballs = await packPackages(work);
    await createConsumerProject(consumer, tarballs);
    for (const file of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, file), join(consumer, file));
    copyFileSync(join(REPO_ROOT, 'examples/node-bot/bot.mjs'), join(consumer, 'bot.mjs'));
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs only the build, the manifest and the README, and leaves no build in the repository', () => {
    const installed = (name: string) => readdirSync(join(consumer, 'node_modules/@chat', name)).sort();
    expect(installed('contracts')).toEqual(['README.md', 'dist', 'package.json']);
    expect(installed('sdk')).toEqual(['README.md', 'dist', 'package.json']);
    expect(readdirSync(join(consumer, 'node_modules/@chat/sdk/dist')).sort()).toEqual([
      'chat-sdk.browser.mjs',
      'chat-sdk.browser.mjs.map',
      'index.cjs',
      'index.cjs.map',
      'index.d.cts',
      'index.d.mts',
      'index.mjs',
      'index.mjs.map',
    ]);
    // postpack removed it: a lingering build would be what the compiled API loads (scripts/build-package.js).
    expect(readdirSync(join(REPO_ROOT, 'libs/contracts'))).not.toContain('dist');
    expect(readdirSync(join(REPO_ROOT, 'libs/sdk'))).not.toContain('dist');
  });

  it.each(['run-cjs.cjs', 'run-esm.mjs'])(
    'two users talk through the installed packages (%s)',
    async (script) => {
      const result = JSON.parse(await runNode(consumer, script, { CHAT_URL: app.url }));
      const conversation = [
        [1, 'hello'],
        [2, 'how are you?'],
        [3, 'still there?'],
        [4, 'fine, thanks'],
      ];
      expect(result).toEqual({
        format: script.endsWith('.mjs') ? 'esm' : 'cjs',
        alice: conversation,
        bob: conversation,
        refusal: { code: 'VALIDATION', isSocketError: true },
        validationCode: 'VALIDATION',
      });
    },
    60_000,
  );

  it('type-checks a consumer against the installed declarations (import and require conditions)', async () => {
    await expect(runTypeScript(consumer)).resolves.toBeUndefined();
  }, 120_000);

  describe('the echo bot example (examples/node-bot)', () => {
    let proxy: TcpProxy;
    let alice: ChatClient;
    let aliceSocket: ChatSocket;
    let roomId: string;
    let aliceId: string;
    let replies: EventRecorder<'message:new'>;
    const bots: JsonLinesProcess[] = [];
    let botEnv: Record<string, string>;

    beforeAll(async () => {
      proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(app.url).port) });
      const owner = await registerUser(app.url, 'echoowner');
      alice = owner.client;
      roomId = (await alice.http.createRoom({ name: 'echo', visibility: 'public' })).id;
      aliceSocket = alice.socket();
      await aliceSocket.connect();
      await aliceSocket.join(roomId);
      aliceId = owner.id;
      replies = new EventRecorder(aliceSocket, 'message:new');
      botEnv = {
        CHAT_URL: proxy.proxiedUrl(app.url).replace(/\/$/, ''),
        BOT_USERNAME: `echo_${roomId.slice(0, 8)}`,
        BOT_PASSWORD: 'echo bot password',
        ROOM_ID: roomId,
        STATE_FILE: join(consumer, 'echo-state.json'),
      };
    });

    afterAll(async () => {
      await Promise.all(bots.map((bot) => bot.kill('SIGKILL')));
      aliceSocket?.disconnect();
      await proxy?.close();
    });

    const startBot = async (): Promise<JsonLinesProcess> => {
      const bot = new JsonLinesProcess(consumer, 'bot.mjs', botEnv);
      bots.push(bot);
      await bot.waitFor((line) => line.event === 'ready', 'the bot to be ready');
      return bot;
    };
    const replyArrives = (text: string) =>
      replies.next((message) => message.senderId !== aliceId && message.body === text, `the reply "${text}"`);

    it('answers /echo once, through a dropped connection, a kill -9 and a restart from an old state', async () => {
      let bot = await startBot();
      await aliceSocket.send(roomId, '/echo one');
      await replyArrives('one');

      // The connection drops; a command sent meanwhile is answered after the reconnect (catch-up).
      proxy.cut('refuse');
      await bot.waitFor((line) => line.event === 'state' && line.state === 'reconnecting', 'reconnecting');
      await aliceSocket.send(roomId, '/echo two');
      proxy.restore();
      await replyArrives('two');

      // Killed outright: the next run starts from the saved seq and answers what it missed.
      await bot.kill('SIGKILL');
      await aliceSocket.send(roomId, '/echo three');
      bot = await startBot();
      await replyArrives('three');

      // Restarted from a state that forgot everything: every command is handled again, and every
      // reply is acked as a duplicate of the stored one instead of being posted twice.
      await bot.kill('SIGTERM');
      writeFileSync(botEnv.STATE_FILE, JSON.stringify({ handledSeq: 0 }));
      bot = await startBot();
      await bot.waitFor(
        () => bot.lines.filter((line) => line.event === 'answered' && line.duplicate === true).length === 3,
        'three duplicate answers',
      );
      await aliceSocket.send(roomId, '/echo four');
      await replyArrives('four');

      const history = await alice.http.history(roomId, { after: 0, limit: 100 });
      expect(history.messages.map((message) => message.body)).toEqual([
        '/echo one',
        'one',
        '/echo two',
        'two',
        '/echo three',
        'three',
        '/echo four',
        'four',
      ]);
      // Delivered to the room once each, too.
      const delivered = replies.events.filter((message) => message.senderId !== aliceId);
      expect(delivered.map((message) => message.body)).toEqual(['one', 'two', 'three', 'four']);
    }, 120_000);
  });
});
