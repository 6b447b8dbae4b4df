import { randomUUID } from 'node:crypto';

import { ChatClient } from '@chat/sdk';

import { uniqueName } from '../../api/test/support/users';
import { useBrowserCluster } from './support/browser-cluster';

const FLOW_MS = 90_000;

/**
 * Search in the web app, in real Chromium against 2 instances behind nginx: Ctrl-K opens the box,
 * hits come grouped by room with the matched words marked (hostile text stays text), and a hit opens
 * its room scrolled to the message with the history around it loaded, older and newer on demand.
 */
describe('web app search in a browser', () => {
  // The test writes its history over REST, faster than the default per-user message budget.
  const flow = useBrowserCluster({ env: { MESSAGE_RATE_LIMIT: '100000' } });

  it(
    'finds a message with Ctrl-K and opens its room around it',
    async () => {
      const alice = await flow.signUp(flow.cluster.url, 'alice');
      const roomName = uniqueName('Archive');
      await alice.createRoom(roomName);

      // 100 messages written through the other route (the SDK over REST, through nginx); the 60th is the one to find.
      const word = `kraken${randomUUID().slice(0, 6)}`;
      const api = new ChatClient({ baseUrl: flow.cluster.url });
      await api.http.login({ username: alice.username, password: 'correct horse battery staple' });
      const roomId = (await api.http.myRooms()).find((room) => room.name === roomName)!.id;
      const seqs: number[] = [];
      for (let n = 1; n <= 100; n++) {
        const body =
          n === 60
            ? `the ${word} release notes are ready`
            : n === 61
              ? `<img src=x onerror="window.__pwned=1"><b>${word}</b> 1 < 2 & spotted`
              : `filler message ${n}`;
        seqs.push((await api.http.postMessage(roomId, body, `search-e2e-${n}`)).message.seq);
      }
      const [target, first, last] = [seqs[59], seqs[0], seqs[99]];
      const bubble = (seq: number) => alice.page.locator(`article[data-seq="${seq}"]`);
      // Somewhere else, so the room is opened by the search and not already on screen.
      await alice.page.getByRole('link', { name: 'Browse', exact: true }).click();

      await alice.page.keyboard.press('Control+k');
      const input = alice.page.getByTestId('search-input');
      await input.waitFor();
      await input.fill(word);

      const group = alice.page.getByTestId('search-group').filter({ hasText: roomName });
      await group.waitFor();
      const hits = group.getByTestId('search-hit');
      await hits.nth(1).waitFor();
      expect(await hits.count()).toBe(2);
      expect(await group.locator('mark').allTextContents()).toEqual([word, word]);
      // The hostile body is text inside the snippet: no element is made from it (ts_headline leaves
      // out what its parser reads as tags; the rest shows verbatim).
      const hostile = hits.filter({ hasText: 'spotted' });
      expect(await hostile.textContent()).toContain('1 < 2 & spotted');
      expect(await group.locator('img, b').count()).toBe(0);
      expect(await alice.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      await alice.screenshot('search-dialog');

      await hits.filter({ hasText: 'release notes' }).click();
      await alice.page.waitForURL(
        (url) => url.pathname === `/rooms/${roomId}` && url.searchParams.get('around') === String(target),
      );
      await alice.roomHeading(roomName).waitFor();
      await bubble(target).waitFor();
      // Scrolled to it: the message is inside the timeline's visible area.
      await alice.page.waitForFunction((seq) => {
        const element = document.querySelector(`article[data-seq="${seq}"]`);
        const viewport = element?.closest('.viewport');
        if (!element || !viewport) return false;
        const box = element.getBoundingClientRect();
        const view = viewport.getBoundingClientRect();
        return box.top >= view.top && box.bottom <= view.bottom;
      }, target);
      // The history around it is loaded (25 older, 25 from it on), not the newest page nor the first.
      expect(await bubble(target - 25).count()).toBe(1);
      expect(await bubble(target + 24).count()).toBe(1);
      expect(await bubble(last).count()).toBe(0);
      expect(await bubble(first).count()).toBe(0);

      await alice.screenshot('search-opened-around');

      // Newer pages load as the user scrolls down (or with the button shown until then).
      await alice.page.getByRole('button', { name: 'Load newer messages' }).waitFor();
      await alice.page.getByRole('log', { name: 'Messages' }).evaluate((viewport) => {
        viewport.scrollTop = viewport.scrollHeight;
      });
      await bubble(last).waitFor();
      await alice.page.getByRole('button', { name: 'Load newer messages' }).waitFor({ state: 'detached' });

      // Live messages still arrive in a room opened around an old message.
      await alice.send('live after the search');
      await alice.waitForMessage('live after the search');
    },
    FLOW_MS,
  );
});
