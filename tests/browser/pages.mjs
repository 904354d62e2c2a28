// Every kind of page the dashboard shows, each with how to reach it, who
// reaches it, the status it answers with and its primary action: the
// accessibility, keyboard and small-screen tests walk the same list.
// Reaching a page changes nothing on the server (the stale bulk approval is
// provoked with an out-of-date revision, which approves nothing).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { env, latestMonth, launchBrowser, ownedPractice, returnPath, signIn, withApi, withContext } from './support.mjs';

// Facts the page kinds need, read from the API once.
export async function pageFacts() {
  const period = await latestMonth();
  const fixture = await ownedPractice('pcn', 'staleFixture');
  const other = await withApi(env.tokens.otherPcn, (api) => api.returns(env.otherPcn, period));
  assert.ok(other.returns.length > 0, `${env.otherPcn} has no returns for ${period}`);
  const practices = await withApi(env.tokens.pcn, (api) => api.returns(env.pcn, period));
  return {
    period,
    fixture,
    otherReturn: other.returns[0],
    pcnPractice: [...new Set(practices.returns.map((r) => r.practice))].sort()[0],
  };
}

const goto = (path, status = 200) => async (page) => {
  const response = await page.goto(path);
  assert.equal(response.status(), status, `${path} answered ${response.status()}, not ${status}`);
};

// The kinds, in the order a person meets them. `token` null: signed out.
export function pageKinds(facts) {
  const { period, fixture, otherReturn, pcnPractice } = facts;
  const fixtureReturn = returnPath(fixture.practice, fixture.datasets[0], period);
  const preview = `/returns/approve-all?code=${encodeURIComponent(fixture.practice)}&period=${period}`;
  const button = (name) => (page) => page.getByRole('button', { name, exact: true });
  return [
    { name: 'sign-in', token: null, open: goto('/login'), primary: button('Sign in') },
    {
      name: 'sign-in with an error',
      token: null,
      open: async (page) => {
        await page.goto('/login');
        await page.getByLabel('Access token').fill('trb_not-a-real-token');
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
          page.getByRole('button', { name: 'Sign in' }).click(),
        ]);
        assert.equal(response.status(), 401, 'a wrong token is refused with 401');
        await page.waitForLoadState();
      },
      primary: button('Sign in'),
    },
    {
      name: 'returns roster',
      token: env.tokens.pcn,
      open: goto(`/returns?period=${period}`),
      primary: (page) => page.getByRole('button', { name: 'Approve all submitted' }),
    },
    { name: 'return', token: env.tokens.pcn, open: goto(fixtureReturn), primary: button('Approve') },
    {
      name: 'return with an error',
      token: env.tokens.pcn,
      open: async (page) => {
        await goto(fixtureReturn)(page);
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/query') && r.request().method() === 'POST'),
          page.getByRole('button', { name: 'Query', exact: true }).click(),
        ]);
        assert.equal(response.status(), 400, 'an empty query comment is refused with 400');
        await page.waitForLoadState();
      },
      primary: button('Query'),
    },
    { name: 'bulk approval preview', token: env.tokens.pcn, open: goto(preview), primary: button('Confirm approval') },
    {
      name: 'stale bulk approval',
      token: env.tokens.pcn,
      open: async (page) => {
        await goto(preview)(page);
        // An out-of-date revision in the preview's form: the server refuses
        // the whole approval, as it does when a return moved meanwhile.
        await page.locator('form[action="/returns/approve-all"] input[name="r0"]').evaluate((input) => {
          const [p, d, revision] = input.value.split('|');
          input.value = `${p}|${d}|${Number(revision) + 1000}`;
        });
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/returns/approve-all') && r.request().method() === 'POST'),
          page.getByRole('button', { name: 'Confirm approval' }).click(),
        ]);
        assert.equal(response.status(), 409, 'a stale preview is refused with 409');
        await page.waitForLoadState();
        assert.match(await page.locator('h1').innerText(), /Nothing was approved/, 'the stale page says nothing was approved');
      },
      primary: button('Confirm approval'),
    },
    { name: 'rollups, ICS', token: env.tokens.ics, open: goto('/rollups'), primary: downloadLink },
    { name: 'rollups, place', token: env.tokens.ics, open: goto(`/rollups?level=place&code=${env.place}&period=${period}`), primary: downloadLink },
    { name: 'rollups, PCN', token: env.tokens.ics, open: goto(`/rollups?level=pcn&code=${env.pcn}&period=${period}`), primary: downloadLink },
    {
      name: 'rollups, practice',
      token: env.tokens.ics,
      open: goto(`/rollups?level=practice&code=${pcnPractice}&period=${period}`),
      primary: downloadLink,
    },
    {
      name: 'months',
      token: env.tokens.ics,
      open: goto('/periods'),
      primary: (page) => page.locator('#months').getByRole('button').first(),
    },
    // No action on this page: its table (by its caption) is what it is for.
    { name: 'agents', token: env.tokens.admin, open: goto('/agents'), primary: (page) => page.locator('#agents caption') },
    {
      name: 'forbidden',
      token: env.tokens.pcn,
      open: goto(returnPath(otherReturn.practice, otherReturn.dataset, period), 403),
      primary: (page) => page.getByRole('link', { name: 'Go to the returns' }),
    },
    {
      name: 'not found',
      token: env.tokens.pcn,
      open: goto('/no-such-page', 404),
      primary: (page) => page.getByRole('link', { name: 'Go to the returns' }),
    },
  ];
}

function downloadLink(page) {
  return page.getByRole('link', { name: /^Download CSV/ });
}

// Defines, inside describe(title), one test per page kind: each opens the
// page in a fresh context (signed in as the kind's person) and runs
// check(page, kind). Call with top-level await: the kinds come from the API.
export async function testEachPageKind(title, contextOptions, check) {
  const kinds = pageKinds(await pageFacts());
  describe(title, () => {
    let browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });
    for (const kind of kinds) {
      test(kind.name, async () => {
        await withContext(browser, contextOptions, async (context, page) => {
          if (kind.token) await signIn(page, kind.token);
          await kind.open(page);
          await check(page, kind);
        });
      });
    }
  });
}
