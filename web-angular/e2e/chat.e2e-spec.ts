import { ClusterInstance } from '../../api/test/support/cluster';
import { uniqueName } from '../../api/test/support/users';
import { ChatUser } from './support/browser';
import { useBrowserCluster } from './support/browser-cluster';

const FLOW_MS = 90_000;

/**
 * The web app in real Chromium against `npm run cluster` (2 instances behind nginx). Bob goes
 * through nginx; Alice connects straight to the other instance, so everything between them
 * crosses instances through Redis.
 */
describe('web app in a browser, across two instances', () => {
  const flow = useBrowserCluster();
  let alice: ChatUser;
  let bob: ChatUser;
  let bobInstance: ClusterInstance;
  let aliceInstance: ClusterInstance;
  const room = uniqueName('Lobby');

  it(
    'two people on different instances register, meet in a room, chat, and see typing, receipts and presence',
    async () => {
      bob = await flow.signUp(flow.cluster.url, 'bob');
      const bobInstanceId = await bob.instanceId();
      bobInstance = flow.cluster.instances.find((instance) => instance.id === bobInstanceId)!;
      expect(bobInstance).toBeDefined();
      aliceInstance = flow.cluster.instances.find((instance) => instance !== bobInstance)!;

      alice = await flow.signUp(aliceInstance.url, 'alice');
      expect(await alice.instanceId()).toBe(aliceInstance.id);

      await alice.createRoom(room);
      await bob.joinPublicRoom(room);

      await alice.send('Hello Bob, from the other instance');
      const bubble = await bob.waitForMessage('Hello Bob, from the other instance');
      // Each bubble names the instance that accepted it: Alice's, not the one Bob is on.
      await bob.page.getByText(`via ${aliceInstance.id}`).first().waitFor();
      expect(await bubble.count()).toBe(1);
      // Display names are not unique: every bubble also shows the sender's handle.
      await bob.page
        .getByRole('article', { name: `Message from ${alice.username} (@${alice.username})` })
        .first()
        .waitFor();
      await bob.page
        .getByTestId('sender-handle')
        .filter({ hasText: `@${alice.username}` })
        .first()
        .waitFor();

      // Bob has the room open at the bottom: Alice sees that he read it.
      await alice.page
        .getByTestId('seen-by')
        .filter({ hasText: `Seen by ${bob.username} (@${bob.username})` })
        .waitFor();

      await bob.composer.pressSequentially('Hi Al');
      await alice.page
        .getByTestId('typing')
        .filter({ hasText: `${bob.username} (@${bob.username}) is typing…` })
        .waitFor();
      await bob.composer.press('Enter');
      await alice.waitForMessage('Hi Al');
      await alice.page.getByTestId('typing').filter({ hasText: /^$/ }).waitFor();

      await alice.showMembers();
      await alice.page
        .locator(`[data-user="${bob.username}"]`)
        .getByTestId('presence')
        .filter({ hasText: 'online' })
        .waitFor();
      await alice.page
        .locator(`[data-user="${bob.username}"]`)
        .getByTestId('handle')
        .filter({ hasText: `@${bob.username}` })
        .waitFor();
      // The header's count comes from /api/stats, polled: wait for it to include both of them.
      await alice.page.waitForFunction(
        () =>
          Number.parseInt(document.querySelector('[data-testid="online-count"]')?.textContent ?? '0', 10) >=
          2,
      );
      await alice.screenshot('chat-desktop');
      await bob.screenshot('chat-desktop-other-instance');
    },
    FLOW_MS,
  );

  it(
    'shows hostile text verbatim, and carries edits and deletions across instances',
    async () => {
      const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script> & <b>bold</b>`;
      await alice.send(hostile);
      await bob.waitForMessage(hostile);
      expect(
        await bob.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
      ).toBeUndefined();
      expect(
        await bob.page.locator('[data-testid="message-body"] img, [data-testid="message-body"] b').count(),
      ).toBe(0);

      const bobs = alice.page.locator('app-message-bubble', { has: alice.messages('Hi Al') });
      expect(await bobs.count()).toBe(1);
      expect(await bobs.getByRole('button', { name: 'Edit' }).count()).toBe(0); // not hers to edit
      // By seq: the body this bubble is found by is replaced by the editor.
      const seq = await alice.page
        .locator('article', { has: alice.messages(hostile) })
        .getAttribute('data-seq');
      const own = alice.page.locator(`article[data-seq="${seq}"]`);
      await own.getByRole('button', { name: 'Edit' }).click();
      const editor = own.getByRole('textbox', { name: 'Edit message' });
      await editor.fill('Edited: nothing to see');
      await editor.press('Enter');
      await bob.waitForMessage('Edited: nothing to see');
      expect(await bob.messages(hostile).count()).toBe(0);

      await own.getByRole('button', { name: 'Delete' }).click();
      await own.getByRole('button', { name: 'Yes, delete' }).click();
      await bob.page.getByRole('log', { name: 'Messages' }).getByText('Message deleted').waitFor();
      expect(await bob.messages('Edited: nothing to see').count()).toBe(0);
    },
    FLOW_MS,
  );

  it(
    'the user on a killed instance reconnects to the other one and sees what was sent meanwhile',
    async () => {
      await flow.cluster.crash(bobInstance);
      await bob.waitForState('Reconnecting…');
      // Sent while Bob has no connection at all: only history can bring it to him.
      await alice.send('Sent while your instance was down');
      await bob.waitForState('Online');
      expect(await bob.instanceId()).toBe(aliceInstance.id);
      await bob.waitForMessage('Sent while your instance was down');

      await bob.send('Back, on the surviving instance');
      await alice.waitForMessage('Back, on the surviving instance');
      expect(await alice.messages('Sent while your instance was down').count()).toBe(1);
      expect(await bob.messages('Sent while your instance was down').count()).toBe(1);
    },
    FLOW_MS,
  );

  it(
    'a message written offline waits in the outbox and is delivered once when the network returns',
    async () => {
      await bob.context.setOffline(true);
      await bob.waitForState('Offline');
      await bob.send('Written on the train');
      await bob.page.getByTestId('pending-message').filter({ hasText: 'Waiting for connection…' }).waitFor();
      await bob.page.getByTestId('outbox-size').filter({ hasText: '1 waiting to send' }).waitFor();
      await bob.screenshot('offline-outbox');

      await bob.context.setOffline(false);
      await bob.waitForState('Online');
      await alice.waitForMessage('Written on the train');
      await bob.waitForMessage('Written on the train');
      await bob.page.getByTestId('pending-message').waitFor({ state: 'detached' });

      // A later message proves nothing more is coming: the offline one exists exactly once on both sides.
      await alice.send('Got it');
      await bob.waitForMessage('Got it');
      expect(await alice.messages('Written on the train').count()).toBe(1);
      expect(await bob.messages('Written on the train').count()).toBe(1);
    },
    FLOW_MS,
  );

  it(
    'private rooms and direct messages appear for the people added, with unread badges',
    async () => {
      const carol = await flow.signUp(aliceInstance.url, 'carol');

      const secret = uniqueName('Secret');
      await alice.createRoom(secret, 'Private');
      await alice.page.getByRole('button', { name: 'Add member' }).click();
      await alice.page.getByRole('searchbox', { name: 'Find someone to add' }).fill(carol.username);
      await alice.page.getByRole('button', { name: `Add ${carol.username}` }).click();
      await alice.send('Welcome to the secret room');

      // Carol never reloads: the room arrives live, with its unread count.
      const link = carol.page.getByRole('link', { name: new RegExp(secret) });
      await link.getByTestId('unread').filter({ hasText: '1' }).waitFor();
      await link.click();
      await carol.waitForMessage('Welcome to the secret room');
      await link.getByTestId('unread').waitFor({ state: 'detached' });

      await bob.page.getByRole('link', { name: 'Message someone' }).click();
      await bob.page.getByRole('searchbox', { name: 'Find people' }).fill(carol.username);
      await bob.page.getByRole('button', { name: `Message ${carol.username}` }).click();
      await bob.send('Psst, Carol');
      await carol.page.getByRole('link', { name: new RegExp(bob.username) }).click();
      await carol.waitForMessage('Psst, Carol');
      await carol.screenshot('direct-message');

      await flow.closeUser(carol);
      await alice.showMembers();
      await alice.page
        .locator(`[data-user="${carol.username}"]`)
        .getByTestId('presence')
        .filter({ hasText: 'offline' })
        .waitFor();
    },
    FLOW_MS,
  );

  it(
    'keeps the session across a reload, and sends an expired one back to sign-in with a reason',
    async () => {
      await alice.page.reload();
      await alice.waitForState('Online');
      await alice.page.getByRole('link', { name: new RegExp(room) }).waitFor();

      await alice.page.evaluate(() => {
        const session = JSON.parse(localStorage.getItem('chat.session')!);
        localStorage.setItem('chat.session', JSON.stringify({ ...session, token: `${session.token}x` }));
      });
      await alice.page.reload();
      await alice.page.getByRole('heading', { name: 'Sign in to Chat' }).waitFor();
      await alice.page.getByRole('status').filter({ hasText: 'Your session has expired' }).waitFor();
    },
    FLOW_MS,
  );

  it(
    'lists the sign-in sessions and signs another device out from there',
    async () => {
      const laptop = await flow.signUp(flow.cluster.url, 'erin');
      const phone = await flow.open(flow.cluster.url, laptop.username);
      await phone.page.getByLabel('Username').fill(laptop.username);
      await phone.page.getByLabel('Password').fill('correct horse battery staple');
      await phone.page.getByRole('button', { name: 'Sign in' }).click();
      await phone.waitForState('Online');

      await laptop.page.getByRole('link', { name: 'Your sessions' }).click();
      const sessions = laptop.page.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
      await sessions.nth(1).waitFor();
      expect(await sessions.count()).toBe(2);
      await sessions.filter({ hasText: 'this browser' }).waitFor();
      await sessions.getByRole('button', { name: 'Sign out' }).click();

      // The phone's session ended on the server: its socket is closed and it is back at sign-in.
      await phone.page.getByRole('heading', { name: 'Sign in to Chat' }).waitFor();
      await sessions.nth(1).waitFor({ state: 'detached' });
      await laptop.page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await laptop.page.getByRole('heading', { name: 'Sign in to Chat' }).waitFor();
    },
    FLOW_MS,
  );

  it(
    'works on a phone-sized screen',
    async () => {
      const phone = await flow.signUp(flow.cluster.url, 'dana', { width: 390, height: 844 });
      // On a phone the room list is folded away: start from the welcome page's actions.
      await phone.page.getByRole('link', { name: 'Browse public rooms' }).click();
      await phone.joinPublicRoom(room, { fromBrowsePage: true });
      await phone.waitForMessage('Got it');
      await phone.screenshot('chat-phone');
      await phone.page.getByRole('button', { name: /^Rooms/ }).click();
      await phone.page.getByRole('link', { name: new RegExp(room) }).waitFor();
      await phone.screenshot('rooms-phone');
    },
    FLOW_MS,
  );
});
