// At 320 CSS pixels wide (WCAG 1.4.10 Reflow) no kind of page scrolls
// sideways as a whole (a wide table may scroll inside its own container),
// and each page's primary action can be seen without scrolling sideways.
import assert from 'node:assert/strict';
import { testEachPageKind } from './pages.mjs';

const WIDTH = 320;
await testEachPageKind(`at ${WIDTH} px wide the page reflows and shows its primary action`, { viewport: { width: WIDTH, height: 640 } }, async (page, kind) => {
  const { scrollWidth, clientWidth, sticking } = await page.evaluate((width) => {
    const name = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`;
    // Whatever reaches past the viewport's edges must be inside a
    // container that scrolls and holds nothing but a table: a wide table
    // may scroll on its own, the page's text and forms may not.
    const sticking = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || (box.right <= width + 0.5 && box.left >= -0.5)) continue;
      let scroller = el.parentElement;
      while (scroller && scroller !== document.body && getComputedStyle(scroller).overflowX === 'visible') {
        scroller = scroller.parentElement;
      }
      // Clipped by an ancestor (e.g. the responsive tables' visually hidden
      // heads): that ancestor is judged on its own.
      if (scroller && scroller !== document.body && /hidden|clip/.test(getComputedStyle(scroller).overflowX)) continue;
      const own = scroller && scroller !== document.body && scroller.children.length === 1 && scroller.firstElementChild.tagName === 'TABLE';
      if (own || sticking.some((outer) => outer.el.contains(el))) continue;
      const where = scroller && scroller !== document.body ? `inside ${name(scroller)}, which is not a table's own scrolling container` : 'on the page';
      // What widens it: the longest word that cannot wrap, in a cell.
      let widest = '';
      for (const cell of el.querySelectorAll('td, th')) {
        const copy = cell.cloneNode(true);
        copy.querySelectorAll('[aria-hidden="true"]').forEach((h) => h.remove());
        for (const word of copy.textContent.split(/\s+/)) if (word.length > widest.length) widest = word;
      }
      sticking.push({
        el,
        text:
          `${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px ${where}` +
          (widest ? `; its longest unbreakable word is "${widest}" (${widest.length} characters)` : `: "${el.textContent.replace(/\s+/g, ' ').trim().slice(0, 50)}"`),
      });
    }
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, sticking: sticking.map((x) => x.text) };
  }, WIDTH);
  assert.ok(scrollWidth <= WIDTH, `the page is ${scrollWidth} px wide in a ${clientWidth} px viewport: it scrolls sideways`);
  assert.ok(
    sticking.length === 0,
    `content reaches past the ${WIDTH} px viewport outside a table's own container (its values are cut off unless the whole main area is scrolled sideways):\n  ${sticking.join('\n  ')}`,
  );

  const primary = kind.primary(page).first();
  assert.equal(await primary.count(), 1, 'the page has its primary action');
  await primary.scrollIntoViewIfNeeded();
  assert.ok(await primary.isVisible(), 'the primary action is visible');
  const box = await primary.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, 'the primary action has a size');
  assert.ok(box.x >= 0 && box.x + box.width <= WIDTH + 0.5, `the primary action is within the ${WIDTH} px (x ${box.x}, width ${box.width})`);
  // And nothing covers it: the element at its centre is it or inside it.
  const onTop = await primary.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
  assert.ok(onTop, 'the primary action is not covered by anything');
});
