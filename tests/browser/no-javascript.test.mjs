// The returns flows with JavaScript turned off: every page is plain HTML
// and forms, so signing in, the roster's filter, approving, querying and
// bulk approval (stale preview included) work the same. These use the other
// PCN's practices (OWNERS.otherPcn), so they leave dashboard.test.mjs's alone.
import { after, before, test } from 'node:test';
import { approveAndQuery, bulkWithStalePreview, signInAndRoster } from './flows.mjs';
import { env, latestMonth, launchBrowser, ownedPractice } from './support.mjs';

const options = { javaScriptEnabled: false };
let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('without JavaScript: sign in and the roster', async () => {
  await signInAndRoster(browser, { ...options, token: env.tokens.otherPcn, code: env.otherPcn, period: await latestMonth() });
});

test('without JavaScript: approve a return and query another', async () => {
  await approveAndQuery(browser, { ...options, owned: await ownedPractice('otherPcn', 'approveAndQuery') });
});

test('without JavaScript: bulk approval with a stale preview, then the fresh one', async () => {
  await bulkWithStalePreview(browser, { ...options, owned: await ownedPractice('otherPcn', 'bulk') });
});
