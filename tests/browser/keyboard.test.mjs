// Keyboard only: Tab reaches every visible interactive element of every
// kind of page, in the order they are read; and a person can sign in and
// approve a return with Tab and Enter alone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testEachPageKind } from './pages.mjs';
import { collapse, env, launchBrowser, newContext, ownedPractice, returnPath, withApi } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const INTERACTIVE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';

// Numbers the page's interactive elements in document order (data-kb) and
// returns the visible ones as "TAG name" labels.
async function interactiveElements(page) {
  return page.evaluate((selector) => {
    const label = (el) => {
      const text = (el.getAttribute('aria-label') || el.textContent || el.id || el.name || '').replace(/\s+/g, ' ').trim();
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${text.slice(0, 60)}"`;
    };
    return [...document.querySelectorAll(selector)].flatMap((el, i) => {
      el.dataset.kb = String(i);
      const visible = el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && !el.disabled && !el.closest('[inert]');
      return visible ? [{ index: i, label: label(el) }] : [];
    });
  }, INTERACTIVE);
}

// What has focus: its data-kb number (-1 for none), label, and whether it
// is a scrolling container (Chromium lets Tab stop on one that holds
// nothing focusable, so a keyboard can scroll it: not a stray).
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const text = (el.getAttribute('aria-label') || el.textContent || el.id || el.name || '').replace(/\s+/g, ' ').trim();
    const label = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${text.slice(0, 60)}"`;
    const style = getComputedStyle(el);
    const scroller =
      (el.scrollWidth > el.clientWidth && /auto|scroll/.test(style.overflowX)) ||
      (el.scrollHeight > el.clientHeight && /auto|scroll/.test(style.overflowY));
    return { index: el.dataset.kb === undefined ? -1 : Number(el.dataset.kb), label, scroller };
  });
}

// Presses Tab until focus comes round again, and returns what it visited
// in order, starting from the top of the page (wherever focus was at first,
// e.g. an error summary that took it, the tour goes round the whole page).
async function tabTour(page, limit) {
  const seen = [];
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now === null) continue; // past the end: focus left the page, the next Tab starts at the top
    if (seen.length > 0 && now.index === seen[0].index && now.index !== -1) break;
    seen.push(now);
  }
  const top = seen.reduce((best, e, i) => (e.index >= 0 && (best < 0 || e.index < seen[best].index) ? i : best), -1);
  return top < 0 ? seen : [...seen.slice(top), ...seen.slice(0, top)];
}

await testEachPageKind('Tab visits every visible interactive element in reading order', {}, async (page, kind) => {
  const expected = await interactiveElements(page);
  const primary = await kind.primary(page).first().evaluate((el) => (el.dataset.kb === undefined ? null : Number(el.dataset.kb)));
  if (primary !== null) assert.ok(expected.some((e) => e.index === primary), 'the primary action is among the elements Tab must reach');
  assert.ok(expected.length > 0, 'the page has interactive elements');
  const tour = await tabTour(page, expected.length * 2 + 10);
  const visited = tour.filter((v) => !(v.index < 0 && v.scroller));
  const missed = expected.filter((e) => !visited.some((v) => v.index === e.index)).map((e) => e.label);
  const strays = visited.filter((v) => v.index < 0).map((v) => v.label);
  assert.deepEqual({ missed, strays }, { missed: [], strays: [] }, 'Tab reaches exactly the interactive elements');
  assert.deepEqual(
    visited.map((v) => v.label),
    expected.map((e) => e.label),
    'Tab visits them in document order',
  );
});

// Presses Tab until the focused element matches `selector`.
async function tabTo(page, selector, what) {
  for (let presses = 0; presses < 200; presses++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`Tab never reached ${what} (${selector})`);
}

test('keyboard only: sign in, open a return from the roster and approve it', async () => {
  const owned = await ownedPractice('pcn', 'keyboard');
  const dataset = owned.datasets[0];
  const href = returnPath(owned.practice, dataset, owned.period);
  const before = await withApi(env.tokens.pcn, (api) => api.returnOf(owned.practice, dataset, owned.period));
  assert.equal(before.state, 'submitted', `${owned.practice} ${dataset} is submitted before the test`);
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await tabTo(page, '#token', 'the Access token field');
    await page.keyboard.type(env.tokens.pcn);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Sign in', 'Tab goes from the token to Sign in');
    await Promise.all([page.waitForURL((u) => u.pathname === '/returns'), page.keyboard.press('Enter')]);

    // The PCN's roster, latest month: Tab to the return's link.
    await page.waitForLoadState();
    await tabTo(page, `#returns a[href="${href}"]`, `the link to ${href}`);
    await Promise.all([page.waitForURL((u) => u.pathname === href), page.keyboard.press('Enter')]);
    await page.waitForLoadState();
    await tabTo(page, 'form[action$="/approve"] button', 'the Approve button');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Approve');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('done') === 'approved'), page.keyboard.press('Enter')]);
    assert.equal(
      collapse(await page.locator('.nhsuk-notification-banner__heading').innerText()),
      `Return approved at revision ${before.revision}`,
    );
    const now = await withApi(env.tokens.pcn, (api) => api.returnOf(owned.practice, dataset, owned.period));
    assert.equal(now.state, 'approved', `the API has ${owned.practice} ${dataset} approved`);
    assert.equal(now.approved_revision, before.revision, 'at the revision the page showed');
  } finally {
    await context.close();
  }
});
