// The dashboard's flows in Chromium against a real server holding the
// sample ICS (tests/browser/run.sh sets it up). Every expected value comes
// from the API; each state-changing test owns its own practices (OWNERS in
// support.mjs), so the tests do not depend on one another's order.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { approveAndQuery, bulkWithStalePreview, signInAndRoster } from './flows.mjs';
import {
  collapse,
  env,
  formatFigure,
  isHeadline,
  latestMonth,
  launchBrowser,
  newContext,
  ownedPractice,
  returnPath,
  summaryList,
  tableRows,
  withApi,
  withSignedIn,
} from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('sign in: a wrong token is refused, the right one opens the roster, which matches the API', async () => {
  await signInAndRoster(browser, { token: env.tokens.pcn, code: env.pcn, period: await latestMonth() });
});

test('a return is approved at the revision shown and another is queried with a comment', async () => {
  await approveAndQuery(browser, { owned: await ownedPractice('pcn', 'approveAndQuery') });
});

test('bulk approval: a stale preview approves nothing, the fresh one approves them all', async () => {
  await bulkWithStalePreview(browser, { owned: await ownedPractice('pcn', 'bulk') });
});

test('every return the roster lists opens as its return page', async () => {
  const period = await latestMonth();
  const { returns } = await withApi(env.tokens.pcn, (api) => api.returns(env.pcn, period));
  await withSignedIn(browser, env.tokens.pcn, {}, async (page) => {
    await page.goto(`/returns?period=${period}`);
    const links = await page.locator('#returns tbody tr td:first-child a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.equal(links.length, returns.length, 'a link for each of the API\'s returns');
    const failures = [];
    for (const href of links) {
      const response = await page.goto(href);
      const h1 = collapse(await page.locator('h1').innerText());
      const [, , , dataset, month] = href.split('/');
      if (response.status() !== 200 || !h1.endsWith(`${decodeURIComponent(dataset)} return, ${month}`)) {
        const why = collapse(await page.locator('main p').first().innerText());
        failures.push(`${href}: ${response.status()} "${h1}": ${why}`);
      }
    }
    assert.deepEqual(failures, [], `return pages that do not open:\n${failures.join('\n')}`);
  });
});

// ------------------------------------------------------------------ rollups

// The headline measures' names on the page (the page's wording, not figures).
const HEADLINE_LABELS = {
  Headcount: 'headcount',
  'Full-time equivalent (FTE)': 'fte',
  'ARRS headcount': 'arrs_headcount',
  'ARRS FTE': 'arrs_fte',
  'GP FTE per 10,000 patients': 'gp_fte_per_10k',
  Appointments: 'appointments',
  'Appointments per 1,000 patients': 'appointments_per_1000',
  'Did not attend (DNA) rate': 'dna_rate',
  'Face-to-face share': 'face_to_face_share',
  'Same-day share': 'same_day_share',
};

// The API's headline rows (no breakdown) of one organisation, by measure
// then period.
async function headlinesOf(level, code) {
  const { rows } = await withApi(env.tokens.ics, (api) => api.rollups(level, code));
  const byMeasure = {};
  for (const row of rows.filter(isHeadline)) {
    assert.equal(row.code, code, `the API answered for ${code}`);
    (byMeasure[row.measure] ??= {})[row.period] = row;
  }
  return byMeasure;
}

// The rollups page of `level` `code` shows the API's headline figures and a
// chart (with an accessible name) and table for each headline measure.
async function checkRollupsPage(page, level, code, period) {
  const h1 = collapse(await page.locator('h1').innerText());
  assert.ok(h1.endsWith(`Rollups, ${period}`), `the page is titled "Rollups, ${period}": "${h1}"`);
  assert.ok(h1.includes(code) && h1.includes(level), `the caption names ${code} and its level ${level}: "${h1}"`);
  const api = await headlinesOf(level, code);
  const current = (measure) => api[measure]?.[period];

  const shown = await tableRows(page, '#headlines');
  const expected = Object.entries(HEADLINE_LABELS)
    .filter(([, measure]) => current(measure))
    .map(([label, measure]) => [label, formatFigure(current(measure).value), String(current(measure).practices_covered)]);
  assert.ok(expected.length > 0, `the API has headline figures for ${code} ${period}`);
  assert.deepEqual(
    shown.map(([label, value, covers]) => [label, value, covers.replace(/ of .*| practices?$/, '').replace(/,/g, '')]),
    expected,
    `the headline figures of ${code} are the API's`,
  );

  const coverage = await summaryList(page);
  for (const [key, measure] of [['Practices expected', 'practices_expected'], ['Submitted', 'practices_submitted'], ['Approved', 'practices_approved']]) {
    assert.equal(coverage[key], current(measure) ? formatFigure(current(measure).value) : 'None', `coverage: ${key}`);
  }

  // Trends: a chart per headline measure the API has any month of.
  const measures = Object.entries(HEADLINE_LABELS).filter(([, m]) => api[m]);
  const figures = page.locator('figure.tributary-figure');
  assert.equal(await figures.count(), measures.length, 'one trend chart per headline measure');
  const months = (await page.locator('figure.tributary-figure').first().locator('details tbody tr').count());
  assert.equal(months, 12, 'each trend covers 12 months');
  for (let i = 0; i < measures.length; i++) {
    const [label, measure] = measures[i];
    const figure = figures.nth(i);
    assert.equal(collapse(await figure.locator('h3').innerText()), label);
    const svg = figure.locator('svg.tributary-chart');
    assert.equal(await svg.getAttribute('role'), 'img', `the ${label} chart has role=img`);
    assert.ok(collapse(await svg.locator('title').textContent()).length > 0, `the ${label} chart has a <title>`);
    const snapshot = await svg.ariaSnapshot();
    const name = /\bimg "([^"]+)"/.exec(snapshot)?.[1] ?? '';
    assert.ok(name.startsWith(`${label}, 12 months to ${period}`), `the ${label} chart's accessible name names it: ${snapshot}`);
    // The same numbers as a table.
    for (const [month, value] of await tableRows(page, `figure.tributary-figure >> nth=${i} >> details table`)) {
      const row = api[measure][month];
      assert.equal(value, row ? formatFigure(row.value) : 'None', `${label} in ${month}`);
    }
  }
}

async function drillInto(page, childLevel, childCode, period) {
  const href = `/rollups?level=${childLevel}&code=${encodeURIComponent(childCode)}&period=${period}`;
  const link = page.locator(`#drill-down a[href="${href}"]`);
  assert.equal(await link.count(), 1, `the drill-down links to ${childCode}`);
  await Promise.all([page.waitForURL((u) => u.searchParams.get('code') === childCode), link.click()]);
}

// The drill-down rows are the API's figures of the organisations below.
async function checkDrillDown(page, childLevel, period) {
  const { rows } = await withApi(env.tokens.ics, (api) => api.get(`/v1/rollups?level=${childLevel}&period=${period}`));
  const links = await page.locator('#drill-down tbody tr td:first-child a').evaluateAll((as) => as.map((a) => new URL(a.href).searchParams.get('code')));
  const cells = await tableRows(page, '#drill-down');
  assert.ok(links.length > 0, 'the drill-down lists organisations');
  links.forEach((code, i) => {
    const value = (m) => {
      const row = rows.find((r) => r.code === code && r.period === period && r.measure === m && isHeadline(r));
      return row ? formatFigure(row.value) : 'None';
    };
    assert.deepEqual(cells[i].slice(1, 4), [value('headcount'), value('fte'), value('appointments')], `drill-down figures of ${code}`);
  });
  return links;
}

test('rollups: headline figures, drill-down from ICS to practice, accessible charts, CSV download', async () => {
  const period = await latestMonth();
  await withSignedIn(browser, env.tokens.ics, { acceptDownloads: true }, async (page) => {
    await page.getByRole('link', { name: 'Rollups', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/rollups');
    await checkRollupsPage(page, 'ics', env.ics, period);
    assert.ok((await checkDrillDown(page, 'place', period)).includes(env.place), `the ICS drill-down lists ${env.place}`);

    // Download CSV: the API's CSV for the organisation and month.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Download CSV/ }).click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const apiCsv = await withApi(env.tokens.ics, (api) => api.rollupsCsv('ics', env.ics, period));
    assert.ok(apiCsv.split('\n').length > 2, 'the API CSV has rows');
    assert.equal(csv, apiCsv, 'the downloaded CSV is the API\'s');
    assert.match(download.suggestedFilename(), new RegExp(`${env.ics}.*${period}.*\\.csv$`), 'the download is named after the organisation and month');

    await drillInto(page, 'place', env.place, period);
    await checkRollupsPage(page, 'place', env.place, period);
    assert.ok((await checkDrillDown(page, 'pcn', period)).includes(env.pcn), `the place drill-down lists ${env.pcn}`);

    await drillInto(page, 'pcn', env.pcn, period);
    await checkRollupsPage(page, 'pcn', env.pcn, period);
    const practices = await checkDrillDown(page, 'practice', period);
    const { returns } = await withApi(env.tokens.ics, (api) => api.returns(env.pcn, period));
    assert.deepEqual(practices.sort(), [...new Set(returns.map((r) => r.practice))].sort(), `the PCN drill-down lists ${env.pcn}'s practices`);

    await drillInto(page, 'practice', practices[0], period);
    await checkRollupsPage(page, 'practice', practices[0], period);
    assert.equal(await page.locator('#drill-down').count(), 0, 'a practice has nothing to drill into');
  });
});

// ------------------------------------------------------------------ months

test('months: the ICS manager closes and publishes the latest month', async () => {
  const period = await latestMonth();
  const monthOf = async () => (await withApi(env.tokens.ics, (api) => api.periods())).periods.find((p) => p.period === period);
  await withSignedIn(browser, env.tokens.ics, {}, async (page) => {
    await page.getByRole('link', { name: 'Months', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/periods');
    const row = () => page.locator('#months tbody tr').filter({ has: page.locator('td', { hasText: new RegExp(`^\\s*(Month )?${period}\\s*$`) }) });
    assert.equal(await row().count(), 1, `the months table has a row for ${period}`);

    let month = await monthOf();
    if (month.state === 'closed') {
      // Left closed by an earlier run: open it first, as a person would.
      await page.getByRole('button', { name: `Reopen month ${period}` }).click();
      await page.waitForURL((u) => u.searchParams.get('done') === 'reopen');
    }
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'close'),
      page.getByRole('button', { name: `Close month ${period}` }).click(),
    ]);
    assert.equal(collapse(await page.locator('.nhsuk-notification-banner__heading').innerText()), `${period} is closed`);
    month = await monthOf();
    assert.equal(month.state, 'closed', `the API has ${period} closed`);
    assert.match(collapse(await row().innerText()), /Closed/, 'the row shows the month closed');

    const versionsBefore = month.versions.map((v) => v.version);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'publish'),
      page.getByRole('button', { name: `Publish ${period}` }).click(),
    ]);
    assert.equal(collapse(await page.locator('.nhsuk-notification-banner__heading').innerText()), `${period} is published`);
    month = await monthOf();
    const added = month.versions.map((v) => v.version).filter((v) => !versionsBefore.includes(v));
    assert.equal(added.length, 1, `the API lists one new version of ${period}`);
    assert.equal(added[0], Math.max(0, ...versionsBefore) + 1, 'the new version follows the last');
    assert.match(collapse(await row().innerText()), new RegExp(`Version ${added[0]}, `), `the row lists Version ${added[0]}`);

    // Leave the month open for the other tests, as it was.
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('done') === 'reopen'),
      page.getByRole('button', { name: `Reopen month ${period}` }).click(),
    ]);
    assert.equal(collapse(await page.locator('.nhsuk-notification-banner__heading').innerText()), `${period} is open again`);
    assert.equal((await monthOf()).state, 'open');
  });
});

// ---------------------------------------------------------------- sign out

test('sign out ends the session on the server', async () => {
  await withSignedIn(browser, env.tokens.pcn, {}, async (page, context) => {
    const cookie = (await context.cookies()).find((c) => c.name === 'tributary_session');
    assert.ok(cookie, 'signed in');
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.getByRole('button', { name: 'Sign out' }).click()]);
    assert.equal(new URL(page.url()).search, '?signed_out=1');
    assert.equal(collapse(await page.locator('.nhsuk-notification-banner__heading').innerText()), 'You have signed out');
    assert.equal((await context.cookies()).find((c) => c.name === 'tributary_session'), undefined, 'the browser forgot the cookie');

    // The old cookie, sent again from elsewhere, no longer works.
    const replay = await newContext(browser);
    try {
      await replay.addCookies([cookie]);
      const again = await replay.newPage();
      await again.goto('/returns');
      assert.equal(new URL(again.url()).pathname, '/login', 'the old session cookie leads to the sign-in page');
      const response = await replay.request.get('/returns', { maxRedirects: 0 });
      assert.equal(response.status(), 303);
      assert.match(response.headers().location, /^\/login/);
    } finally {
      await replay.close();
    }
  });
});

// ----------------------------------------------------------- refusals

test('refusals: a form without its CSRF token, a stale revision, another PCN\'s pages, an unknown page', async () => {
  const period = await latestMonth();
  const owned = await ownedPractice('pcn', 'staleFixture');
  const dataset = owned.datasets[0];
  await withSignedIn(browser, env.tokens.pcn, {}, async (page) => {
    const target = returnPath(owned.practice, dataset, period);
    const stateBefore = (await withApi(env.tokens.ics, (api) => api.returnOf(owned.practice, dataset, period))).state;
    await page.goto(target);
    const revision = await page.locator('form[action$="/approve"] input[name="revision"]').inputValue();
    const forged = await page.request.post(`${target}/approve`, { form: { revision } });
    assert.equal(forged.status(), 403, 'a POST without the csrf_token is refused with 403');
    const wrong = await page.request.post(`${target}/approve`, { form: { revision, csrf_token: '0'.repeat(64) } });
    assert.equal(wrong.status(), 403, 'a POST with a wrong csrf_token is refused with 403');
    // A revision the return no longer has (as when it changed after the
    // page was drawn): 409, saying so.
    await page.locator('form[action$="/approve"] input[name="revision"]').evaluate((input) => {
      input.value = String(Number(input.value) + 1000);
    });
    const [stale] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${target}/approve`),
      page.getByRole('button', { name: 'Approve', exact: true }).click(),
    ]);
    assert.equal(stale.status(), 409, 'a stale revision is refused with 409');
    await page.waitForLoadState();
    const problem = collapse(await page.locator('.nhsuk-error-summary').innerText());
    assert.match(problem, /There is a problem/);
    assert.match(problem, new RegExp(`now at revision ${revision}\\b`), `the error summary says the return is at another revision: "${problem}"`);
    assert.equal((await summaryList(page)).Revision, revision, 'the 409 page shows the return as it is now');

    const after = await withApi(env.tokens.ics, (api) => api.returnOf(owned.practice, dataset, period));
    assert.equal(after.state, stateBefore, 'the refused forms changed nothing');

    const { returns } = await withApi(env.tokens.otherPcn, (api) => api.returns(env.otherPcn, period));
    const other = returns[0];
    for (const path of [returnPath(other.practice, other.dataset, period), `/rollups?code=${env.otherPcn}`, `/returns?code=${env.otherPcn}&period=${period}`]) {
      const response = await page.goto(path);
      assert.equal(response.status(), 403, `${path} is refused with 403`);
      assert.equal(collapse(await page.locator('h1').innerText()), 'You cannot see this page', `${path} shows the 403 page`);
    }

    for (const path of ['/no-such-page', `/returns/${owned.practice}/${dataset}/${period}/nonsense`]) {
      const response = await page.goto(path);
      assert.equal(response.status(), 404, `${path} answers 404`);
      assert.equal(collapse(await page.locator('h1').innerText()), 'Page not found', `${path} shows the 404 page`);
    }
    // A PCN manager is not offered the ICS's pages, and cannot open them.
    assert.equal(await page.getByRole('link', { name: 'Agents', exact: true }).count(), 0, 'no Agents link for a PCN manager');
    const agents = await page.goto('/agents');
    assert.equal(agents.status(), 403, '/agents is refused to a PCN manager');
  });
});
