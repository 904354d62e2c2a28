// The returns flows (sign in and read the roster, approve and query a
// return, bulk approval with a stale preview), written once and run both
// with JavaScript (dashboard.test.mjs) and without (no-javascript.test.mjs).
// Every expectation comes from the API at the time of the check.
import assert from 'node:assert/strict';
import {
  CELL_HEADINGS,
  collapse,
  env,
  newContext,
  returnPath,
  signedIn,
  summaryList,
  tableRows,
  withApi,
} from './support.mjs';

// "not_started" -> "Not started", as the state tags read.
export function stateText(state) {
  const text = state.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function countOf(returns, ...states) {
  return String(returns.filter((r) => states.includes(r.state)).length);
}

// The roster's rows as "PRACTICE|DATASET|State|revision", from each row's
// link (the return page's address) and its cells.
async function rosterRows(page, period) {
  const rows = await page.locator('#returns tbody tr').evaluateAll(
    (trs, headings) =>
      trs.map((tr) => ({
        href: tr.cells[0].querySelector('a')?.getAttribute('href') ?? '',
        cells: [...tr.cells].map((cell) => {
          const copy = cell.cloneNode(true);
          copy.querySelectorAll(headings).forEach((h) => h.remove());
          return copy.textContent.replace(/\s+/g, ' ').trim();
        }),
      })),
    CELL_HEADINGS,
  );
  return rows.map(({ href, cells }) => {
    const match = /^\/returns\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(href);
    assert.ok(match, `the roster row "${cells.join(' | ')}" has no link to its return page (href "${href}")`);
    assert.equal(decodeURIComponent(match[3]), period, `the roster row links to the month shown: ${href}`);
    assert.equal(cells[1], decodeURIComponent(match[2]), `the Dataset cell matches its link ${href}`);
    return `${decodeURIComponent(match[1])}|${cells[1]}|${cells[2]}|${cells[3]}`;
  });
}

const apiRows = (returns) => returns.map((r) => `${r.practice}|${r.dataset}|${stateText(r.state)}|${r.revision}`).sort();

// 1. Sign in (a wrong token refused, then the right one); the roster's rows
// and counts are the API's.
export async function signInAndRoster(browser, { javaScriptEnabled = true, token, code, period }) {
  const context = await newContext(browser, { javaScriptEnabled });
  try {
    const page = await context.newPage();
    await page.goto('/returns');
    assert.equal(new URL(page.url()).pathname, '/login', 'signed out, /returns leads to the sign-in page');
    await page.getByLabel('Access token').fill('trb_this-token-does-not-exist');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    assert.equal(refused.status(), 401, 'a wrong token is refused with 401');
    await page.waitForLoadState();
    assert.equal(collapse(await page.locator('.nhsuk-error-summary h2').innerText()), 'There is a problem');
    assert.match(await page.locator('#token-error').innerText(), /not recognised/, 'the field says what is wrong');
    assert.equal((await context.cookies()).find((c) => c.name === 'tributary_session'), undefined, 'no session after a wrong token');

    await page.getByLabel('Access token').fill(token);
    await Promise.all([page.waitForURL((u) => u.pathname === '/returns'), page.getByRole('button', { name: 'Sign in' }).click()]);
    const cookie = (await context.cookies()).find((c) => c.name === 'tributary_session');
    assert.ok(cookie, 'signing in sets the tributary_session cookie');
    assert.deepEqual(
      { httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite },
      { httpOnly: true, secure: true, sameSite: 'Strict' },
      'the session cookie is HttpOnly, Secure and SameSite=Strict',
    );

    await page.goto(`/returns?code=${encodeURIComponent(code)}&period=${period}`);
    // The pages' script marks the body when it runs: proof of which mode this is.
    assert.equal(await page.locator('body.js-enabled').count(), javaScriptEnabled ? 1 : 0, `JavaScript is ${javaScriptEnabled ? 'on' : 'off'}`);
    const { returns } = await withApi(token, (api) => api.returns(code, period));
    assert.ok(returns.length > 0, `the API has returns for ${code} ${period}`);
    const h1 = collapse(await page.locator('h1').innerText());
    assert.match(h1, /Returns$/, 'the roster is titled Returns');
    assert.ok(h1.includes(`(${code}), ${period}`), `the caption names ${code} and ${period}: "${h1}"`);
    assert.deepEqual((await rosterRows(page, period)).sort(), apiRows(returns), 'the roster lists exactly the API\'s returns');

    const summary = await summaryList(page);
    assert.deepEqual(
      summary,
      {
        Expected: String(returns.length),
        'Submitted, waiting for approval': countOf(returns, 'submitted'),
        Queried: countOf(returns, 'queried'),
        Approved: countOf(returns, 'approved', 'locked'),
        'Not yet submitted': countOf(returns, 'open'),
      },
      'the summary counts the API\'s states',
    );
    const bulk = page.getByRole('button', { name: 'Approve all submitted' });
    assert.equal(await bulk.count(), returns.some((r) => r.state === 'submitted') ? 1 : 0, '"Approve all submitted" is offered when something is submitted');

    // The filter (a GET form): only the submitted returns.
    await page.getByLabel('State').selectOption('submitted');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('state') === 'submitted'),
      page.getByRole('button', { name: 'Show returns' }).click(),
    ]);
    assert.equal(await page.getByLabel('Month').inputValue(), period, 'the filter keeps the month');
    assert.deepEqual(
      (await rosterRows(page, period)).sort(),
      apiRows(returns.filter((r) => r.state === 'submitted')),
      'filtered by state, the roster lists the API\'s submitted returns',
    );
  } finally {
    await context.close();
  }
}

async function openFromRoster(page, practice, dataset, period) {
  await page.goto(`/returns?code=${encodeURIComponent(practice)}&period=${period}`);
  const href = returnPath(practice, dataset, period);
  await Promise.all([page.waitForURL((u) => u.pathname === href), page.locator(`#returns a[href="${href}"]`).click()]);
}

async function postAndWait(page, pathEnd, click) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(pathEnd)),
    click(),
  ]);
  await page.waitForLoadState();
  return response;
}

// 2. Open a return and approve it; query another with a comment; an empty
// comment is refused.
export async function approveAndQuery(browser, { javaScriptEnabled = true, owned }) {
  const { practice, datasets, period, token } = owned;
  const [approveSet, querySet] = datasets;
  await withApi(env.tokens.ics, async (api) => {
    for (const d of [approveSet, querySet]) {
      assert.equal((await api.returnOf(practice, d, period)).state, 'submitted', `${practice} ${d} ${period} is submitted before the test`);
    }
  });
  const { context, page } = await signedIn(browser, token, { javaScriptEnabled });
  try {
    // Approve.
    await openFromRoster(page, practice, approveSet, period);
    let summary = await summaryList(page);
    assert.equal(summary.State, 'Submitted', 'the return page shows the state');
    const shown = summary.Revision;
    const before = await withApi(token, (api) => api.returnOf(practice, approveSet, period));
    assert.equal(shown, String(before.revision), 'the return page shows the API\'s revision');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'approved'),
      page.getByRole('button', { name: 'Approve', exact: true }).click(),
    ]);
    assert.equal(collapse(await page.locator('.nhsuk-notification-banner__heading').innerText()), `Return approved at revision ${shown}`);
    const approved = await withApi(token, (api) => api.returnOf(practice, approveSet, period));
    assert.equal(approved.state, 'approved', `the API has ${practice} ${approveSet} approved`);
    assert.equal(String(approved.approved_revision), shown, 'approved at the revision the page showed');
    summary = await summaryList(page);
    assert.equal(summary.State, 'Approved', 'the page shows the return approved');
    assert.equal(summary['Approved revision'], shown);

    // Query: an empty comment first.
    await openFromRoster(page, practice, querySet, period);
    const empty = await postAndWait(page, '/query', () => page.getByRole('button', { name: 'Query', exact: true }).click());
    assert.equal(empty.status(), 400, 'an empty comment is refused with 400');
    assert.equal(collapse(await page.locator('.nhsuk-error-summary h2').innerText()), 'There is a problem');
    assert.equal(await page.locator('.nhsuk-error-summary a').getAttribute('href'), '#comment', 'the error summary links to the comment');
    assert.match(await page.locator('#comment-error').innerText(), /Enter a comment/, 'the comment field says what is missing');
    assert.equal((await withApi(token, (api) => api.returnOf(practice, querySet, period))).state, 'submitted', 'nothing was queried');

    const comment = `Please check the ${querySet} figures (browser test, ${javaScriptEnabled ? 'with' : 'without'} JavaScript)`;
    await page.getByLabel('Comment').fill(comment);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'queried'),
      page.getByRole('button', { name: 'Query', exact: true }).click(),
    ]);
    assert.equal(collapse(await page.locator('.nhsuk-notification-banner__heading').innerText()), 'Query sent to the practice');
    const queried = await withApi(token, (api) => api.returnOf(practice, querySet, period));
    assert.equal(queried.state, 'queried', `the API has ${practice} ${querySet} queried`);
    assert.equal(queried.query_comment, comment, 'the API holds the comment sent');
    assert.equal((await summaryList(page)).Query, comment, 'the page shows the comment');

  } finally {
    await context.close();
  }
}

async function previewRows(page) {
  return (await tableRows(page, '#to-approve')).map(([p, d, r]) => `${p}|${d}|${r}`).sort();
}

async function apiPreview(token, code, period) {
  const { returns, count } = await withApi(token, (api) => api.post('/v1/returns/approve-bulk/preview', { code, period }));
  assert.equal(count, returns.length, 'the API preview counts what it lists');
  return returns;
}

// 3. Bulk approval: the preview goes stale (the ICS manager queries one of
// its returns), nothing is approved; then the fresh preview is confirmed.
export async function bulkWithStalePreview(browser, { javaScriptEnabled = true, owned }) {
  const { practice, period, token } = owned;
  const before = await apiPreview(token, practice, period);
  assert.ok(before.length >= 2, `${practice} has at least two returns waiting for approval (has ${before.length})`);
  const manager = await signedIn(browser, token, { javaScriptEnabled });
  const ics = await signedIn(browser, env.tokens.ics, { javaScriptEnabled });
  try {
    const { page } = manager;
    await page.goto(`/returns?code=${encodeURIComponent(practice)}&period=${period}`);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/returns/approve-all'),
      page.getByRole('button', { name: 'Approve all submitted' }).click(),
    ]);
    assert.equal(collapse(await page.locator('h1').innerText()).replace(/^.* - /, ''), 'Approve all submitted');
    assert.deepEqual(await previewRows(page), before.map((r) => `${r.practice}|${r.dataset}|${r.revision}`).sort(), 'the preview lists the API\'s preview');

    // Meanwhile the ICS manager queries one of the previewed returns.
    const moved = before.find((r) => r.dataset === owned.datasets[0]);
    assert.ok(moved, `the preview lists ${practice} ${owned.datasets[0]}`);
    await ics.page.goto(returnPath(moved.practice, moved.dataset, period));
    await ics.page.getByLabel('Comment').fill('Queried while a bulk approval was being previewed');
    await Promise.all([
      ics.page.waitForURL((u) => u.searchParams.get('done') === 'queried'),
      ics.page.getByRole('button', { name: 'Query', exact: true }).click(),
    ]);

    const refused = await postAndWait(page, '/returns/approve-all', () => page.getByRole('button', { name: 'Confirm approval' }).click());
    assert.equal(refused.status(), 409, 'confirming a stale preview is refused with 409');
    assert.equal(collapse(await page.locator('h1').innerText()).replace(/^.* - /, ''), 'Nothing was approved');
    const movedText = collapse(await page.locator('#moved').innerText());
    assert.ok(movedText.includes(`${moved.practice} ${moved.dataset}`), `#moved names ${moved.practice} ${moved.dataset}: "${movedText}"`);
    assert.match(movedText, /queried/, '#moved says it is now queried');
    await withApi(env.tokens.ics, async (api) => {
      for (const r of before) {
        const now = await api.returnOf(r.practice, r.dataset, period);
        assert.notEqual(now.state, 'approved', `${r.practice} ${r.dataset} was not approved by the stale confirmation`);
        assert.equal(now.state, r === moved ? 'queried' : 'submitted', `${r.practice} ${r.dataset} is as it was`);
      }
    });

    // The fresh preview, then its confirmation.
    const fresh = await apiPreview(token, practice, period);
    assert.deepEqual(await previewRows(page), fresh.map((r) => `${r.practice}|${r.dataset}|${r.revision}`).sort(), 'the 409 page offers the API\'s fresh preview');
    assert.ok(!fresh.some((r) => r.dataset === moved.dataset && r.practice === moved.practice), 'the fresh preview leaves out the queried return');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/returns' && u.searchParams.has('approved')),
      page.getByRole('button', { name: 'Confirm approval' }).click(),
    ]);
    assert.equal(new URL(page.url()).searchParams.get('approved'), String(fresh.length));
    assert.equal(collapse(await page.locator('.nhsuk-notification-banner__heading').innerText()), `${fresh.length} returns approved`);
    await withApi(env.tokens.ics, async (api) => {
      for (const r of fresh) {
        const now = await api.returnOf(r.practice, r.dataset, period);
        assert.equal(now.state, 'approved', `${r.practice} ${r.dataset} is approved`);
        assert.equal(now.approved_revision, r.revision, `${r.practice} ${r.dataset} is approved at the previewed revision`);
      }
    });
  } finally {
    await manager.context.close();
    await ics.context.close();
  }
}

