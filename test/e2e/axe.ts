// Accessibility checks in the browser tests: axe-core run inside the page, the WCAG 2.x A and
// AA rules (WCAG 2.2 AA, which GB/T 37668 follows), failing on any serious or critical
// violation with what and where. Not a test file itself.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource: string = createRequire(import.meta.url)('axe-core').source;

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

export async function assertAccessible(page: Page, what: string): Promise<void> {
  // Injected as a script the page's own CSP does not govern (playwright evaluates it in the page's world).
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`),
    [],
    `${what}: axe-core found serious or critical violations`,
  );
}
