import { uniqueName } from '../../api/test/support/users';
import { useBrowserCluster } from './support/browser-cluster';

const FLOW_MS = 120_000;

/**
 * Running a room and an account in real Chromium, against 2 instances behind nginx: Alice (the
 * owner) connects straight to one instance, Bob straight to the other, so every change she makes
 * reaches him through Redis.
 */
describe('room administration and account in a browser, across two instances', () => {
  const flow = useBrowserCluster();

  it(
    'an owner renames, promotes, removes, archives and deletes; the member sees it live; an account is renamed and deleted',
    async () => {
      const [one, two] = flow.cluster.instances;
      const alice = await flow.signUp(one.url, 'alice');
      const bob = await flow.signUp(two.url, 'bob');
      const room = uniqueName('Team');
      await alice.createRoom(room);
      await bob.joinPublicRoom(room);

      // Rename and set a topic from the settings panel: Bob's heading, topic and timeline follow.
      await alice.page.getByRole('button', { name: 'Settings', exact: true }).click();
      const settings = alice.page.getByRole('complementary', { name: 'Room settings' });
      const renamed = `${room} HQ`;
      await settings.getByLabel('Room name').fill(renamed);
      await settings.getByLabel('Topic').fill('Plans for the quarter');
      await settings.getByRole('button', { name: 'Save', exact: true }).click();
      await bob.roomHeading(renamed).waitFor();
      await bob.page.getByTestId('room-topic').filter({ hasText: 'Plans for the quarter' }).waitFor();
      await bob.page
        .getByTestId('system-message')
        .filter({ hasText: `${alice.username} (@${alice.username}) renamed the room to “${renamed}”` })
        .waitFor();

      // Promoted, Bob gets the settings too; demoted, he loses them.
      const bobRow = settings.locator(`[data-user="${bob.username}"]`);
      await bobRow.getByRole('button', { name: 'Make admin' }).click();
      await bob.page.getByTestId('system-message').filter({ hasText: 'made you an admin' }).waitFor();
      await bob.page.getByRole('button', { name: 'Settings', exact: true }).waitFor();
      await bobRow.getByTestId('role').filter({ hasText: 'admin' }).waitFor();
      await alice.screenshot('room-settings');
      await bobRow.getByRole('button', { name: 'Remove admin' }).click();
      await bob.page.getByRole('button', { name: 'Settings', exact: true }).waitFor({ state: 'detached' });

      // Bob writes, then is removed: his page says so and the room leaves his list.
      await bob.send('Hello from the other instance');
      await alice.waitForMessage('Hello from the other instance');
      await bobRow.getByRole('button', { name: 'Remove', exact: true }).click();
      await bob.page.getByText('You were removed from this room').waitFor();
      await bob.page.getByRole('link', { name: new RegExp(renamed) }).waitFor({ state: 'detached' });
      await alice.page
        .getByTestId('system-message')
        .filter({ hasText: `You removed ${bob.username} (@${bob.username})` })
        .waitFor();

      // Bob's account: a new display name, then deletion behind the password.
      await bob.page.getByRole('link', { name: bob.username, exact: true }).click();
      await bob.page.getByRole('heading', { name: 'Your account' }).waitFor();
      await bob.page.getByRole('textbox', { name: 'Display name' }).fill('Bobby Tables');
      await bob.page.getByRole('button', { name: 'Save name' }).click();
      await bob.page.getByRole('link', { name: 'Bobby Tables', exact: true }).waitFor();
      await bob.page.getByRole('button', { name: 'Delete account…' }).click();
      await bob.page.getByLabel('Your password, to confirm').fill('not my password');
      await bob.page.getByRole('button', { name: 'Delete my account' }).click();
      await bob.page.getByRole('alert').filter({ hasText: 'The password is not correct' }).waitFor();
      await bob.page.getByLabel('Your password, to confirm').fill('correct horse battery staple');
      await bob.page.getByRole('button', { name: 'Delete my account' }).click();
      await bob.page.getByText('Your account was deleted.').waitFor();
      // His message stays, from "Deleted user".
      await alice.page.reload();
      await alice.page.getByRole('article', { name: 'Message from Deleted user' }).waitFor();
      expect(await alice.messages('Hello from the other instance').count()).toBe(1);

      // Archive: read-only, with the composer gone; then delete, behind a confirmation.
      await alice.page.getByRole('button', { name: 'Settings', exact: true }).click();
      await settings.getByRole('button', { name: 'Archive…' }).click();
      await settings.getByRole('button', { name: 'Archive room' }).click();
      await alice.page.getByTestId('archived-notice').waitFor();
      expect(await alice.composer.count()).toBe(0);
      await alice.screenshot('room-archived');
      await settings.getByRole('button', { name: 'Delete room…' }).click();
      await settings.getByRole('button', { name: 'Delete forever' }).click();
      await alice.page.getByRole('heading', { name: `Welcome, ${alice.username}` }).waitFor();
      await alice.page.getByRole('link', { name: new RegExp(renamed) }).waitFor({ state: 'detached' });
    },
    FLOW_MS,
  );
});
