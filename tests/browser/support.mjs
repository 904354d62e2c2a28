// Shared by the dashboard's browser tests: the environment run.sh exports,
// Chromium, the API (to compute what a page should show independently of
// the page), signing in, and the practices each state-changing test owns.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

// ESM ignores NODE_PATH: resolve the web tooling's packages from web/.
const require = createRequire(new URL('../../web/package.json', import.meta.url));
const playwright = require('playwright-core');
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with tests/browser/run.sh BUILD_DIR`);
  return value;
}

export const env = {
  url: required('TRIBUTARY_URL').replace(/\/$/, ''),
  pcn: required('TRIBUTARY_PCN'),
  otherPcn: required('TRIBUTARY_OTHER_PCN'),
  place: required('TRIBUTARY_PLACE'),
  ics: required('TRIBUTARY_ICS'),
  chromium: process.env.TRIBUTARY_CHROMIUM || '/usr/bin/chromium',
  tokens: {
    pcn: required('TRIBUTARY_PCN_TOKEN'),
    otherPcn: required('TRIBUTARY_OTHER_PCN_TOKEN'),
    ics: required('TRIBUTARY_ICS_TOKEN'),
    admin: required('TRIBUTARY_ADMIN_TOKEN'),
    analyst: required('TRIBUTARY_ANALYST_TOKEN'),
  },
};

// The datasets every practice returns, in the order the tests use them: a
// test that acts on one return takes datasets[0], on a second datasets[1].
export const DATASETS = ['workforce', 'appointments', 'list_size'];
function byDatasetOrder(a, b) {
  const rank = (d) => (DATASETS.includes(d) ? DATASETS.indexOf(d) : DATASETS.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export function launchBrowser() {
  return playwright.chromium.launch({ executablePath: env.chromium, args: ['--no-sandbox'] });
}

// A fresh browser context (its own cookies), closed by the caller.
export function newContext(browser, options = {}) {
  return browser.newContext({ ignoreHTTPSErrors: true, baseURL: env.url, ...options });
}

// Runs fn(context, page) in a fresh context and always closes it.
export async function withContext(browser, options, fn) {
  const context = await newContext(browser, options);
  try {
    return await fn(context, await context.newPage());
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- the API

export class Api {
  static async open(token) {
    const api = new Api();
    api.ctx = await playwright.request.newContext({
      baseURL: env.url,
      ignoreHTTPSErrors: true,
      extraHTTPHeaders: { Authorization: `Bearer ${token}` },
    });
    return api;
  }

  async get(path) {
    const response = await this.ctx.get(path);
    assert.equal(response.status(), 200, `GET ${path} answered ${response.status()}: ${await response.text()}`);
    return response.json();
  }

  async text(path) {
    const response = await this.ctx.get(path);
    assert.equal(response.status(), 200, `GET ${path} answered ${response.status()}: ${await response.text()}`);
    return response.text();
  }

  async post(path, data) {
    const response = await this.ctx.post(path, { data });
    assert.equal(response.status(), 200, `POST ${path} answered ${response.status()}: ${await response.text()}`);
    return response.json();
  }

  returns(code, period) {
    return this.get(`/v1/returns?code=${encodeURIComponent(code)}&period=${encodeURIComponent(period)}`);
  }

  async returnOf(practice, dataset, period) {
    const all = await this.returns(practice, period);
    const found = all.returns.find((r) => r.dataset === dataset);
    assert.ok(found, `the API lists no ${dataset} return of ${practice} for ${period}`);
    return found;
  }

  detail(practice, dataset, period) {
    const q = new URLSearchParams({ practice, dataset, period });
    return this.get(`/v1/returns/detail?${q}`);
  }

  rollups(level, code, period) {
    const q = new URLSearchParams({ level, code });
    if (period) q.set('period', period);
    return this.get(`/v1/rollups?${q}`);
  }

  rollupsCsv(level, code, period) {
    return this.text(`/v1/rollups?${new URLSearchParams({ level, code, period, format: 'csv' })}`);
  }

  periods() {
    return this.get('/v1/periods');
  }

  dispose() {
    return this.ctx.dispose();
  }
}

// Runs fn(api) with an API client for `token` and disposes of it.
export async function withApi(token, fn) {
  const api = await Api.open(token);
  try {
    return await fn(api);
  } finally {
    await api.dispose();
  }
}

// The month the pages show by default: the API's latest.
export async function latestMonth() {
  const { periods } = await withApi(env.tokens.ics, (api) => api.periods());
  assert.ok(periods.length > 0, 'the API lists no month');
  return periods.map((p) => p.period).sort().at(-1);
}

// The practices of `code` whose every return was submitted when the server
// was set up, sorted by code. A return submitted once is never "open" again
// in these tests (they approve and query, never reopen), so the list is the
// same whichever tests ran before: the tests that change returns each take
// their own practice from it by index and do not disturb one another.
export async function submittedPractices(token, code, period) {
  const { returns } = await withApi(token, (api) => api.returns(code, period));
  const byPractice = new Map();
  for (const r of returns) {
    if (!byPractice.has(r.practice)) byPractice.set(r.practice, []);
    byPractice.get(r.practice).push(r);
  }
  return [...byPractice.entries()]
    .filter(([, rs]) => rs.length >= DATASETS.length && rs.every((r) => r.state !== 'open'))
    .map(([practice, rs]) => ({ practice, datasets: rs.map((r) => r.dataset).sort(byDatasetOrder) }))
    .sort((a, b) => a.practice.localeCompare(b.practice));
}

// Which practice of the PCNs each state-changing test owns (by index into
// submittedPractices); keep them distinct.
export const OWNERS = {
  pcn: { approveAndQuery: 0, bulk: 1, keyboard: 2, staleFixture: 3 },
  otherPcn: { approveAndQuery: 0, bulk: 1 },
};

export async function ownedPractice(which, role) {
  const [token, code] = which === 'pcn' ? [env.tokens.pcn, env.pcn] : [env.tokens.otherPcn, env.otherPcn];
  const period = await latestMonth();
  const list = await submittedPractices(token, code, period);
  const index = OWNERS[which][role];
  assert.ok(
    list.length > index,
    `${code} has ${list.length} practices whose returns were all submitted for ${period}; ` +
      `the ${role} test needs practice #${index + 1}`,
  );
  return { ...list[index], period, code, token };
}

// --------------------------------------------------------------- formats

function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// A figure as the pages write it: whole numbers with thousands separators,
// others with two decimals (rounded half to even on an exact tie, as C's
// printf does).
export function formatFigure(value) {
  const whole = Math.round(value);
  if (Math.abs(value - whole) < 1e-9 && Math.abs(whole) < 9e15) {
    return (whole < 0 ? '-' : '') + groupThousands(String(Math.abs(whole)));
  }
  const negative = value < 0;
  const exact = Math.abs(value).toFixed(100); // the double's exact decimal expansion
  const [intPart, frac] = exact.split('.');
  let cents = BigInt(intPart + frac.slice(0, 2));
  const rest = frac.slice(2);
  const tie = /^50*$/.test(rest);
  if ((tie && cents % 2n === 1n) || (!tie && rest[0] >= '5')) cents += 1n;
  const text = cents.toString().padStart(3, '0');
  const out = `${groupThousands(text.slice(0, -2))}.${text.slice(-2)}`;
  return (negative ? '-' : '') + out; // as printf: -0.004 is "-0.00"
}

export const BREAKDOWN_FIELDS = ['staff_group', 'staff_role', 'hcp_type', 'appt_mode', 'appt_status', 'booking_interval'];

export function isHeadline(row) {
  return BREAKDOWN_FIELDS.every((f) => row[f] === undefined || row[f] === null || row[f] === '');
}

// ------------------------------------------------------------- the pages

export function collapse(text) {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

// Signs in on /login with `token` (the form, as a person would).
export async function signIn(page, token, next) {
  const response = await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  assert.equal(response.status(), 200, 'the sign-in page answered');
  await page.getByLabel('Access token').fill(token);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

// A signed-in context and page for `token`, closed by the caller.
export async function signedIn(browser, token, options = {}) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  await signIn(page, token);
  return { context, page };
}

export async function withSignedIn(browser, token, options, fn) {
  const { context, page } = await signedIn(browser, token, options);
  try {
    return await fn(page, context);
  } finally {
    await context.close();
  }
}

// The rows of a table as arrays of cell texts, without the responsive
// headings the NHS.UK tables repeat inside each cell for small screens.
export const CELL_HEADINGS = '.nhsuk-table__heading, .nhsuk-table-responsive__heading';
export async function tableRows(page, selector) {
  return page.locator(`${selector} tbody tr`).evaluateAll(
    (rows, headings) =>
      rows.map((row) =>
        [...row.cells].map((cell) => {
          const copy = cell.cloneNode(true);
          copy.querySelectorAll(headings).forEach((h) => h.remove());
          return copy.textContent.replace(/\s+/g, ' ').trim();
        }),
      ),
    CELL_HEADINGS,
  );
}

// A summary list's rows as {key: value text}.
export async function summaryList(page, scope = page) {
  const rows = await scope.locator('dl.nhsuk-summary-list').first().locator('.nhsuk-summary-list__row').evaluateAll((rs) =>
    rs.map((r) => [
      r.querySelector('dt').textContent.replace(/\s+/g, ' ').trim(),
      r.querySelector('dd').textContent.replace(/\s+/g, ' ').trim(),
    ]),
  );
  return Object.fromEntries(rows);
}

export function returnPath(practice, dataset, period) {
  return `/returns/${encodeURIComponent(practice)}/${encodeURIComponent(dataset)}/${encodeURIComponent(period)}`;
}

// Runs axe-core with the WCAG 2.x A and AA rules; returns the violations.
// The pages' Content-Security-Policy allows no script but their own: the
// context must be made with bypassCSP: true for axe's script tag.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE_PATH });
  }
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }),
  );
  return result.violations;
}

export function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `  ${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.html}\n      ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n'),
    )
    .join('\n');
}
