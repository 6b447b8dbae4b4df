import { Locator } from 'playwright-core';

import { uniqueName } from '../../api/test/support/users';
import { ChatUser } from './support/browser';
import { useBrowserCluster } from './support/browser-cluster';
import {
  allowTabHiding,
  clickNotification,
  notificationsShown,
  permissionRequests,
  recordNotifications,
  setTabHidden,
} from './support/page-emulation';

const FLOW_MS = 90_000;

/**
 * The readable timeline, formatting, reactions and notifications in real Chromium: Alice is
 * connected straight to one instance and Bob to the other, so everything between them crosses
 * instances through Redis.
 */
describe('timeline, formatting, reactions and notifications, across two instances', () => {
  const flow = useBrowserCluster();
  let alice: ChatUser;
  let bob: ChatUser;
  const room = uniqueName('Design');

  /** The stored message whose text contains `text` (rendered from markdown, so not the typed source). */
  function article(user: ChatUser, text: string): Locator {
    return user.page.locator('app-message-bubble article', {
      has: user.page.getByTestId('message-body').filter({ hasText: text }),
    });
  }

  beforeAll(async () => {
    const [one, two] = flow.cluster.instances;
    alice = await flow.open(one.url, uniqueName('alice'));
    bob = await flow.open(two.url, uniqueName('bob'));
    // Bob's tab can be sent to the background, and the notifications it raises are kept to look at.
    await allowTabHiding(bob.context);
    await recordNotifications(bob.context);
    await bob.page.reload();
    await alice.register();
    await bob.register();
    expect(await alice.instanceId()).toBe(one.id);
    expect(await bob.instanceId()).toBe(two.id);
    await alice.createRoom(room);
    await bob.joinPublicRoom(room);
  }, FLOW_MS);

  it(
    'renders the markdown subset the other person sent, with links that open safely in a new tab',
    async () => {
      await alice.send(
        '**Ship it** _today_ ~~tomorrow~~ with `npm start`, notes at https://example.com/notes',
      );
      await alice.send('> quoted\n\n- one\n- two\n\n```\nconst x = 1 < 2;\n```');
      const formatted = article(bob, 'Ship it');
      await formatted.waitFor();
      expect(await formatted.locator('strong').textContent()).toBe('Ship it');
      expect(await formatted.locator('em').textContent()).toBe('today');
      expect(await formatted.locator('s').textContent()).toBe('tomorrow');
      expect(await formatted.locator('code').textContent()).toBe('npm start');
      const link = formatted.getByRole('link', { name: 'https://example.com/notes' });
      expect(await link.getAttribute('href')).toBe('https://example.com/notes');
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');

      const blocks = article(bob, 'quoted');
      await blocks.waitFor();
      expect(await blocks.locator('blockquote').textContent()).toContain('quoted');
      expect(await blocks.locator('li').count()).toBe(2);
      expect(await blocks.locator('pre code').textContent()).toBe('const x = 1 < 2;\n');
    },
    FLOW_MS,
  );

  it(
    'runs nothing from markdown attacks, keeps only safe links, and stays responsive after emphasis bombs',
    async () => {
      const attacks = [
        '[click me](javascript:window.__pwned=1)',
        '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)',
        '**<img src=x onerror="window.__pwned=1">** and <script>window.__pwned=1</script>',
        '> <iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
        '[![x](https://example.com/a.png)](javascript:window.__pwned=1)',
        '<a href="javascript:window.__pwned=1">raw link</a>',
      ];
      const bombs = [
        '*a **b '.repeat(570),
        '_'.repeat(3999),
        '['.repeat(1999) + '('.repeat(1999),
        '>'.repeat(3999),
      ];
      for (const body of [...attacks, ...bombs]) await alice.send(body);
      // Sent after all of them: when Bob sees it, he has rendered every attack and bomb before it.
      await alice.send('after the storm');
      await article(bob, 'after the storm').waitFor();

      const log = bob.page.getByRole('log', { name: 'Messages' });
      expect(await log.locator('a[href^="javascript:"], a[href^="data:"]').count()).toBe(0);
      expect(await log.locator('[data-testid="message-body"] :is(img, script, iframe)').count()).toBe(0);
      // The attack's text shows as typed instead.
      await article(bob, 'click me').waitFor();
      await log.getByText('<script>window.__pwned=1</script>').waitFor();
      expect(
        await bob.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
      ).toBeUndefined();

      // The page still answers: Bob types and sends, and Alice gets it.
      await bob.send('still responsive');
      await article(alice, 'still responsive').waitFor();
    },
    FLOW_MS,
  );

  it(
    'groups one sender’s consecutive messages under one header, separates days and marks new messages',
    async () => {
      await alice.send('first of three');
      await alice.send('second of three');
      await alice.send('third of three');
      await article(bob, 'third of three').waitFor();
      expect(await article(bob, 'first of three').locator('.bubble__sender').count()).toBe(1);
      expect(await article(bob, 'second of three').locator('.bubble__sender').count()).toBe(0);
      expect(await article(bob, 'third of three').locator('.bubble__sender').count()).toBe(0);
      // Every message still names the instance that accepted it.
      expect(
        await article(bob, 'third of three').getByText(`via ${flow.cluster.instances[0].id}`).count(),
      ).toBe(1);
      await bob.page.getByTestId('day-separator').filter({ hasText: 'Today' }).waitFor();

      // Bob leaves the room's page; what Alice sends meanwhile is new to him when he is back.
      await bob.page.getByRole('link', { name: 'Browse', exact: true }).click();
      await alice.send('while you were away');
      await alice.send('and one more');
      await bob.page
        .getByRole('link', { name: new RegExp(room) })
        .getByTestId('unread')
        .filter({ hasText: '2' })
        .waitFor();
      await bob.page.getByRole('link', { name: new RegExp(room) }).click();
      const divider = bob.page.getByTestId('unread-divider');
      await divider.waitFor();
      // The divider sits right before the first unread message.
      const next = divider.locator('xpath=following-sibling::app-message-bubble[1]');
      expect(await next.getByTestId('message-body').textContent()).toBe('while you were away');

      // Scrolled up, Bob is offered the way back down.
      await bob.page.getByRole('log', { name: 'Messages' }).evaluate((log) => log.scrollTo({ top: 0 }));
      const jump = bob.page.getByRole('button', { name: 'Jump to latest' });
      await jump.click();
      await jump.waitFor({ state: 'detached' });
      await bob.screenshot('timeline-desktop');
    },
    FLOW_MS,
  );

  it(
    'edits your last message with Up, cancels with Escape, and the edit reaches the other instance',
    async () => {
      await bob.send('my typo mesage');
      await article(alice, 'my typo mesage').waitFor();
      await bob.composer.focus();
      await bob.composer.press('ArrowUp');
      const editor = bob.page.getByRole('textbox', { name: 'Edit message' });
      expect(await editor.inputValue()).toBe('my typo mesage');
      await editor.fill('never saved');
      await editor.press('Escape');
      await editor.waitFor({ state: 'detached' });
      expect(await article(bob, 'my typo mesage').count()).toBe(1);

      await bob.composer.press('ArrowUp');
      await editor.fill('my typo message');
      await editor.press('Enter');
      await article(alice, 'my typo message').waitFor();
      expect(await article(alice, 'never saved').count()).toBe(0);
    },
    FLOW_MS,
  );

  it(
    'a reaction made on one instance shows on the other, toggles, and names who reacted',
    async () => {
      const target = article(bob, 'after the storm');
      await target.hover();
      await target.getByRole('button', { name: 'React', exact: true }).click();
      await target.getByRole('button', { name: 'React with 👍' }).click();

      const alicesView = article(alice, 'after the storm');
      const thumbs = alicesView.getByTestId('reaction').filter({ hasText: '👍' });
      await thumbs.filter({ hasText: '1' }).waitFor();
      expect(await thumbs.getAttribute('aria-pressed')).toBe('false');
      expect(await thumbs.getAttribute('title')).toBe(`${bob.username} (@${bob.username}) reacted with 👍`);
      await thumbs.click();
      await thumbs.filter({ hasText: '2' }).waitFor();
      expect(await thumbs.getAttribute('aria-pressed')).toBe('true');
      await target.getByTestId('reaction').filter({ hasText: '👍2' }).waitFor();

      // Bob takes his back; Alice's stays.
      await target.getByTestId('reaction').filter({ hasText: '👍' }).click();
      await thumbs.filter({ hasText: '1' }).waitFor();
      expect(await thumbs.getAttribute('title')).toBe('You reacted with 👍');

      // The full picker works offline: its data comes from the app itself.
      await alicesView.hover();
      await alicesView.getByRole('button', { name: 'React', exact: true }).click();
      await alicesView.getByRole('button', { name: 'More emoji' }).click();
      const picker = alice.page.locator('emoji-picker');
      await picker.getByRole('combobox').fill('party popper');
      await picker.getByRole('option', { name: /party popper/i }).click();
      await target.getByTestId('reaction').filter({ hasText: '🎉1' }).waitFor();
      await target.scrollIntoViewIfNeeded();
      await bob.screenshot('reactions-desktop');
    },
    FLOW_MS,
  );

  it(
    'a mention raises a notification in the background tab of the other instance; clicking it opens the room',
    async () => {
      expect(await permissionRequests(bob.page)).toBe(0); // never asked on load
      await bob.context.grantPermissions(['notifications']);
      await bob.page.getByRole('button', { name: 'Enable notifications' }).click();
      await bob.page.getByRole('button', { name: 'Enable notifications' }).waitFor({ state: 'detached' });
      expect(await permissionRequests(bob.page)).toBe(1);

      await bob.page.getByRole('link', { name: 'Browse', exact: true }).click();
      await setTabHidden(bob.page, true);
      await alice.send(`@${bob.username} can you review?`);
      await bob.page.waitForFunction(
        () => (window as unknown as { __notifications: unknown[] }).__notifications.length > 0,
      );
      expect(await notificationsShown(bob.page)).toEqual([
        { title: `${alice.username} mentioned you in ${room}`, body: `@${bob.username} can you review?` },
      ]);
      await bob.page.waitForFunction(() => /^\(\d+\) /.test(document.title));
      await bob.page
        .getByRole('link', { name: new RegExp(room) })
        .getByTestId('unread-mentions')
        .waitFor();

      await setTabHidden(bob.page, false);
      await clickNotification(bob.page, 0);
      await bob.roomHeading(room).waitFor();
      const mention = article(bob, 'can you review?');
      await mention.locator('.mention--me').waitFor();
      expect(await mention.evaluate((node) => node.classList.contains('bubble--mentions-me'))).toBe(true);
      await bob.page.waitForFunction(() => document.title === 'Chat');
    },
    FLOW_MS,
  );
});
