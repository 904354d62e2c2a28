// axe-core's WCAG 2.0-2.2 A and AA rules on every kind of page the
// dashboard shows (pages.mjs). Violations caused by the pages' markup are
// the server's to fix (server/src/web/).
import assert from 'node:assert/strict';
import { testEachPageKind } from './pages.mjs';
import { axeViolations, describeViolations } from './support.mjs';

// bypassCSP: the pages allow only their own scripts; axe is added as one.
await testEachPageKind('axe-core finds no WCAG 2.2 A/AA violation', { bypassCSP: true }, async (page) => {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${violations.length} axe violations on ${page.url()}:\n${describeViolations(violations)}`);
});
