import { Locator } from 'playwright-core';

import { uniqueName } from '../../api/test/support/users';
import { ChatUser } from './support/browser';
import { useBrowserCluster } from './support/browser-cluster';

const FLOW_MS = 90_000;

/**
 * Threads, mentions and the mute switch in real Chromium, Alice on one instance and Bob on the
 * other; then the same conversation on a phone-sized screen, light and dark, for the README.
 */
describe('threads, mentions and muting, across two instances', () => {
  const flow = useBrowserCluster();
  let alice: ChatUser;
  let bob: ChatUser;
  const room = uniqueName('Launch');

  function article(user: ChatUser, text: string, scope?: Locator): Locator {
    return (scope ?? user.page).locator('app-message-bubble article', {
      has: user.page.getByTestId('message-body').filter({ hasText: text }),
    });
  }

  function threadPanel(user: ChatUser): Locator {
    return user.page.getByRole('complementary', { name: 'Thread' });
  }

  beforeAll(async () => {
    alice = await flow.signUp(flow.cluster.instances[0].url, 'alice');
    bob = await flow.signUp(flow.cluster.instances[1].url, 'bob');
    await alice.createRoom(room);
    await bob.joinPublicRoom(room);
  }, FLOW_MS);

  it(
    'a reply in a thread reaches the other instance, counts under its root, and is unread for the root’s author',
    async () => {
      await alice.send('Release **v2.0** on Friday?');
      const root = article(bob, 'Release v2.0 on Friday?');
      await root.hover();
      await root.getByRole('button', { name: 'Reply', exact: true }).click();
      const bobsThread = threadPanel(bob);
      await article(bob, 'Release v2.0 on Friday?', bobsThread).waitFor();
      const reply = bobsThread.getByRole('textbox', { name: 'Reply in thread' });
      await reply.fill('Friday works, _after_ the freeze');
      await reply.press('Enter');
      await article(bob, 'Friday works, after the freeze', bobsThread).waitFor();

      // Alice, on the other instance, sees the count and that the reply is new to her.
      const summary = article(alice, 'Release v2.0 on Friday?').getByTestId('thread-summary');
      await summary.filter({ hasText: /1 reply · last reply (just now|\d+ min ago)/ }).waitFor();
      await summary.getByTestId('unread-replies').filter({ hasText: '1 new' }).waitFor();
      // Replies stay out of the main timeline.
      expect(await article(alice, 'Friday works').count()).toBe(0);

      await summary.click();
      const alicesThread = threadPanel(alice);
      await article(alice, 'Friday works, after the freeze', alicesThread).waitFor();
      await summary.getByTestId('unread-replies').waitFor({ state: 'detached' });
      const answer = alicesThread.getByRole('textbox', { name: 'Reply in thread' });
      await answer.fill('Great, shipping then');
      await answer.press('Enter');
      await article(bob, 'Great, shipping then', bobsThread).waitFor();
      await article(bob, 'Release v2.0 on Friday?')
        .getByTestId('thread-summary')
        .filter({ hasText: /2 replies/ })
        .waitFor();
      await alice.screenshot('thread-desktop');
      await alice.page.emulateMedia({ colorScheme: 'dark' });
      await alice.screenshot('thread-desktop-dark');
      await alice.page.emulateMedia({ colorScheme: 'light' });

      await alicesThread.getByRole('button', { name: 'Close thread' }).click();
      await alicesThread.waitFor({ state: 'detached' });
    },
    FLOW_MS,
  );

  it(
    'suggests room members after @, and the mention is highlighted for the person on the other instance',
    async () => {
      await alice.composer.pressSequentially(`Thanks @${bob.username.slice(0, 4)}`);
      const suggestions = alice.page.getByRole('listbox', { name: 'Mention someone' });
      await suggestions.getByRole('option', { name: new RegExp(`@${bob.username}`) }).waitFor();
      await alice.composer.press('Enter'); // picks the suggestion, does not send
      expect(await alice.composer.inputValue()).toBe(`Thanks @${bob.username} `);
      await alice.composer.pressSequentially('for the review');
      await alice.composer.press('Enter');

      const mention = article(bob, 'for the review');
      await mention
        .locator('.mention--me')
        .filter({ hasText: `@${bob.username}` })
        .waitFor();
      expect(await mention.evaluate((node) => node.classList.contains('bubble--mentions-me'))).toBe(true);
      // Alice's own view marks the mention, not as hers.
      expect(await article(alice, 'for the review').locator('.mention--me').count()).toBe(0);
    },
    FLOW_MS,
  );

  it(
    'mutes a room on the server: the switch holds after a reload, and unmuting restores it',
    async () => {
      const mute = bob.page.getByRole('switch', { name: 'Mute' });
      await mute.click();
      await bob.page.waitForFunction(
        () => document.querySelector('[role="switch"]')?.getAttribute('aria-checked') === 'true',
      );
      await bob.page.reload();
      await bob.roomHeading(room).waitFor();
      expect(await bob.page.getByRole('switch', { name: 'Mute' }).getAttribute('aria-checked')).toBe('true');
      await bob.page.getByRole('switch', { name: 'Mute' }).click();
      await bob.page.waitForFunction(
        () => document.querySelector('[role="switch"]')?.getAttribute('aria-checked') === 'false',
      );
    },
    FLOW_MS,
  );

  it(
    'on a phone, in dark mode, the thread takes the whole screen and the header stays above the messages',
    async () => {
      const phone = await flow.open(flow.cluster.instances[1].url, bob.username, {
        width: 390,
        height: 844,
      });
      await phone.page.emulateMedia({ colorScheme: 'dark' });
      await phone.page.getByLabel('Username').fill(bob.username);
      await phone.page.getByLabel('Password').fill('correct horse battery staple');
      await phone.page.getByRole('button', { name: 'Sign in' }).click();
      await phone.waitForState('Online');
      await phone.page.getByRole('button', { name: /^Rooms/ }).click();
      await phone.page.getByRole('link', { name: new RegExp(room) }).click();
      await article(phone, 'for the review').waitFor();
      await phone.screenshot('timeline-phone-dark');
      // Enough messages to overflow the timeline: that is when, in the phone's column layout, it grew
      // upwards over the room header and its buttons.
      for (let index = 1; index <= 12; index++) await alice.send(`filler ${index}`);
      await article(phone, 'filler 12').waitFor();
      const header = (await phone.page.locator('.room__header').boundingBox())!;
      const log = (await phone.page.getByRole('log', { name: 'Messages' }).boundingBox())!;
      expect(log.y).toBeGreaterThanOrEqual(header.y + header.height - 1);
      expect(log.y + log.height).toBeLessThanOrEqual(844);

      await article(phone, 'Release v2.0 on Friday?').getByTestId('thread-summary').click();
      const panel = threadPanel(phone);
      await article(phone, 'Great, shipping then', panel).waitFor();
      const panelBox = (await panel.boundingBox())!;
      expect(panelBox.width).toBe(390);
      await phone.screenshot('thread-phone-dark');
      await panel.getByRole('button', { name: 'Close thread' }).click();
      await panel.waitFor({ state: 'detached' });
    },
    FLOW_MS,
  );
});
