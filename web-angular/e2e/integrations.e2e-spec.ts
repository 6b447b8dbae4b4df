import { randomUUID } from 'node:crypto';

import type { WebhookPayload } from '@chat/contracts';

import { verifyWebhook } from '../../api/src/webhooks/webhook-signature';
import { rawRequest, uniqueName } from '../../api/test/support/users';
import { WebhookReceiver } from '../../api/test/support/webhook-receiver';
import { ChatUser } from './support/browser';
import { useBrowserCluster } from './support/browser-cluster';

const FLOW_MS = 90_000;

/**
 * A room owner's Integrations panel in real Chromium, against 2 built instances: the owner's browser
 * is on one, the bot posts and the member browses on the other, so what the panel sets up is seen
 * across instances.
 */
describe('Integrations panel in a browser, across two instances', () => {
  const flow = useBrowserCluster({ env: { WEBHOOK_BACKOFF_MS: '100' } });
  let receiver: WebhookReceiver;
  let owner: ChatUser;
  let member: ChatUser;
  const room = uniqueName('Builds');
  const botName = `ci_${randomUUID().slice(0, 8)}`;
  let apiKey = '';
  let roomPath = '';

  /** Over REST, to the instance the owner's browser is not on. */
  const postAsBot = (body: string) =>
    rawRequest(flow.cluster.instances[1].url, 'POST', `/api/${roomPath.slice(1)}/messages`, {
      token: apiKey,
      body: JSON.stringify({ body, clientMsgId: randomUUID() }),
    });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });

  afterAll(() => receiver?.close());

  it(
    'shows the panel to the owner only; a new bot’s key is shown once, and posts as the bot',
    async () => {
      owner = await flow.open(flow.cluster.instances[0].url, uniqueName('owner'));
      await owner.context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await owner.register();
      await owner.createRoom(room);
      roomPath = new URL(owner.page.url()).pathname;

      member = await flow.signUp(flow.cluster.instances[1].url, 'member');
      await member.joinPublicRoom(room);
      await member.page.getByRole('button', { name: 'Leave' }).waitFor();
      expect(await member.page.getByRole('link', { name: 'Integrations' }).count()).toBe(0);
      await member.page.goto(`${roomPath}/integrations`);
      await member.page.getByText('Only the room’s owner can manage its integrations.').waitFor();
      expect(await member.page.getByRole('button', { name: 'Create bot' }).count()).toBe(0);

      await owner.page.getByRole('link', { name: 'Integrations' }).click();
      await owner.page.getByRole('heading', { name: `Integrations · ${room}` }).waitFor();
      await owner.page.getByText('No bots in this room yet.').waitFor();
      await owner.page.getByLabel('Bot username').fill(botName);
      await owner.page.getByLabel('Display name (optional)').fill('CI bot');
      await owner.page.getByRole('button', { name: 'Create bot' }).click();

      const reveal = owner.page.getByRole('alert', { name: `API key for @${botName}` });
      await reveal.getByText('it is shown only this once').waitFor();
      apiKey = (await reveal.getByTestId('secret-value').textContent())?.trim() ?? '';
      expect(apiKey).toMatch(/^chatbot_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
      await reveal.getByRole('button', { name: 'Copy' }).click();
      await reveal.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await owner.page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey);
      await reveal.getByRole('button', { name: 'I have saved it' }).click();
      await reveal.waitFor({ state: 'detached' });

      // Gone for good: neither the page nor a fresh load of it has the secret any more.
      const keys = owner.page.getByRole('list', { name: 'API keys' });
      await keys.getByTestId('key-state').filter({ hasText: 'active' }).waitFor();
      await owner.page.reload();
      await keys.getByTestId('key-state').filter({ hasText: 'active' }).waitFor();
      expect(await owner.page.content()).not.toContain(apiKey.split('_').pop());

      const posted = await postAsBot('Build #7 passed');
      expect(posted.status).toBe(201);
      await owner.page.getByRole('link', { name: 'Back to the room' }).click();
      const bubble = owner.page.getByRole('article', { name: `Message from CI bot (@${botName}) (bot)` });
      await bubble.getByTestId('message-body').filter({ hasText: 'Build #7 passed' }).waitFor();
      await bubble.getByText('bot', { exact: true }).waitFor();
      await member.page.goto(roomPath);
      await member.waitForMessage('Build #7 passed');
    },
    FLOW_MS,
  );

  it(
    'adds an outgoing webhook that receives a signed delivery, shown in the panel’s delivery log',
    async () => {
      await owner.page.getByRole('link', { name: 'Integrations' }).click();
      await owner.page.getByRole('textbox', { name: 'Webhook URL' }).fill(receiver.url);
      await owner.page.getByRole('checkbox', { name: 'message.updated' }).uncheck();
      await owner.page.getByRole('button', { name: 'Add webhook' }).click();
      const reveal = owner.page.getByRole('alert', { name: `Signing secret for ${receiver.url}` });
      const secret = (await reveal.getByTestId('secret-value').textContent())?.trim() ?? '';
      expect(secret).toMatch(/^whsec_/);
      await reveal.getByRole('button', { name: 'I have saved it' }).click();
      const card = owner.page.getByRole('article', { name: `Webhook ${receiver.url}` });
      await card.getByText('message.created ·').waitFor();

      expect((await postAsBot('Deploy started')).status).toBe(201);
      const hook = await receiver.next(
        (received) => (JSON.parse(received.body) as WebhookPayload).message.body === 'Deploy started',
        'the delivery of "Deploy started"',
      );
      const signature = {
        signature: hook.headers['x-chat-signature'] as string,
        timestamp: hook.headers['x-chat-timestamp'] as string,
      };
      expect(verifyWebhook(secret, signature, hook.body)).toBe(true);

      // The panel re-reads the log while it is open.
      const row = card.locator(`[data-delivery="${hook.headers['x-chat-delivery'] as string}"]`);
      await row.filter({ hasText: 'delivered' }).waitFor();
      expect((await row.locator('td').allTextContents()).slice(1, 5)).toEqual([
        'message.created',
        'delivered',
        '200',
        '1',
      ]);
      await card.scrollIntoViewIfNeeded();
      await owner.screenshot('integrations-panel');
    },
    FLOW_MS,
  );

  it(
    'revokes the key from the panel, after which the API refuses it',
    async () => {
      const keys = owner.page.getByRole('list', { name: 'API keys' });
      await keys.getByRole('button', { name: /^Revoke key chatbot_/ }).click();
      await keys.getByTestId('key-state').filter({ hasText: 'revoked' }).waitFor();
      const refused = await postAsBot('after revoking');
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('UNAUTHORIZED');
    },
    FLOW_MS,
  );
});
