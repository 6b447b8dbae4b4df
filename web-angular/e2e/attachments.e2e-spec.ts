import { Route } from 'playwright-core';
import sharp from 'sharp';

import { uniqueName } from '../../api/test/support/users';
import { useBrowserCluster } from './support/browser-cluster';

const FLOW_MS = 120_000;

/**
 * Files in the web app, in real Chromium against two built instances behind nginx: Alice (straight
 * on one instance) pastes a screenshot, drops a file and picks another; Bob (through nginx) sees the
 * image inline, opens it in the lightbox and downloads the file through its signed link.
 */
describe('attachments in the web app, across two instances', () => {
  const flow = useBrowserCluster({ adapter: 'redis' });

  it(
    'a pasted screenshot and dropped and picked files wait for their uploads, then show inline and download for the other member',
    async () => {
      const alice = await flow.signUp(flow.cluster.instances[0].url, 'alice');
      const bob = await flow.signUp(flow.cluster.url, 'bob');
      const room = uniqueName('Files');
      await alice.createRoom(room);
      await bob.joinPublicRoom(room);
      await alice.page.getByRole('link', { name: room }).first().click();
      await alice.roomHeading(room).waitFor();

      // The uploads are held at the network until the pending message has been seen waiting for them.
      const held: Route[] = [];
      await alice.page.route('**/api/rooms/*/attachments', (route) => void held.push(route));

      const screenshot = await sharp({
        create: { width: 64, height: 48, channels: 3, background: '#2a9d8f' },
      })
        .png()
        .toBuffer();
      await alice.composer.click();
      await alice.page.evaluate((base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
        document
          .querySelector('textarea')!
          .dispatchEvent(
            new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
          );
      }, screenshot.toString('base64'));
      await alice.page.evaluate(() => {
        const data = new DataTransfer();
        data.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
        document
          .querySelector('form.composer')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      });
      const notes = 'minutes of the meeting\n'.repeat(100);
      await alice.page.getByTestId('file-input').setInputFiles({
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(notes),
      });
      const chips = alice.page.getByTestId('file-chip');
      await chips.nth(2).waitFor();
      expect((await chips.allTextContents()).map((text) => text.trim())).toEqual([
        expect.stringMatching(/^screenshot-\d+\.png\s*\d+ B\s*×$/),
        expect.stringMatching(/^dropped\.txt\s*13 B\s*×$/),
        expect.stringMatching(/^notes\.txt\s*2\.2 KB\s*×$/),
      ]);
      await alice.send('the whiteboard');

      const pending = alice.page.getByTestId('pending-message');
      await pending.getByText('Uploading…').waitFor();
      expect(await pending.getByRole('progressbar').count()).toBe(3);
      while (held.length < 3) await alice.page.waitForRequest('**/api/rooms/*/attachments');
      expect(await bob.messages('the whiteboard').count()).toBe(0);
      for (const route of held) await route.continue();

      // Bob, on the other instance: the image inline (its thumbnail loaded), the files as chips.
      const bubble = bob.page.getByRole('article').filter({ has: bob.messages('the whiteboard') });
      await bubble.waitFor();
      const thumbnail = bubble.getByRole('img');
      await thumbnail.waitFor();
      await bob.page.waitForFunction(
        (img) => (img as HTMLImageElement).naturalWidth > 0,
        await thumbnail.elementHandle(),
      );
      const files = bubble.getByTestId('attachment-file');
      expect((await files.allTextContents()).map((text) => text.trim())).toEqual([
        expect.stringMatching(/^dropped\.txt\s*13 B$/),
        expect.stringMatching(/^notes\.txt\s*2\.2 KB$/),
      ]);

      // The lightbox shows the full image; Escape closes it.
      await bubble.getByRole('button', { name: /^Open image screenshot-/ }).click();
      const lightbox = bob.page.getByRole('dialog');
      const full = lightbox.getByRole('img');
      await full.waitFor();
      await bob.page.waitForFunction(
        (img) => (img as HTMLImageElement).naturalWidth === 64,
        await full.elementHandle(),
      );
      await bob.screenshot('attachments-lightbox');
      await bob.page.keyboard.press('Escape');
      await lightbox.waitFor({ state: 'detached' });

      // The file chip's link is signed for Bob: the page fetches it without a token.
      const href = (await files.nth(1).getAttribute('href'))!;
      expect(href).toMatch(/^\/api\/attachments\/[0-9a-f-]+\?user=.+&expires=\d+&sig=/);
      const downloaded = await bob.page.evaluate(async (url) => {
        const response = await fetch(url);
        return {
          status: response.status,
          disposition: response.headers.get('content-disposition'),
          text: await response.text(),
        };
      }, href);
      expect(downloaded).toEqual({
        status: 200,
        disposition: expect.stringMatching(/^attachment; filename="notes.txt"/),
        text: notes,
      });
      await bob.screenshot('attachments');
    },
    FLOW_MS,
  );
});
