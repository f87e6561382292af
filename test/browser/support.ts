// Shared pieces of the browser tests: Debian's Chromium, its flags on this sandboxed machine, where
// screenshots go, and what axe must not find.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

export const CHROMIUM = process.env.PULS_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, as root, and without the background connections this machine's network refuses. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'build', 'screenshots');

/** Waits until the view's heading is shown and nothing is loading any more. */
export async function waitForView(page: Page, heading: string): Promise<void> {
  await page.getByRole('heading', { level: 2, name: heading, exact: true }).waitFor({ timeout: 15000 });
  // Polled from here, not with waitForFunction: the page's CSP forbids the eval that needs.
  const spinners = page.locator('.fui-Spinner');
  for (let i = 0; i < 300 && (await spinners.count()) > 0; i++) await page.waitForTimeout(50);
  if ((await spinners.count()) > 0) throw new Error(`"${heading}" is still loading after 15 s`);
}

/**
 * axe (@axe-core/playwright, all of axe-core's rules) on the page, or on the part `include` selects.
 * Run in the page itself ("legacy mode": the tab has no frames to merge results from) and with full
 * details for violations only; the default runs each analysis through a fresh blank page and collects
 * every passing node too, about 3 s instead of 1 s per view on this machine, with the same violations.
 */
export function axeAnalyze(page: Page, include?: string): Promise<AxeResults> {
  const builder = new AxeBuilder({ page }).setLegacyMode().options({ resultTypes: ['violations'] });
  return (include ? builder.include(include) : builder).analyze();
}

/**
 * "rule-id (impact): target – html" for every serious or critical violation. Left out, as
 * Accessibility Insights does: aria-hidden-focus on Tabster's focus-redirecting dummy elements
 * (`data-tabster-dummy`), which Fluent UI v9 adds on purpose: aria-hidden so that screen readers skip
 * them, and they hand the focus on as soon as they get it.
 */
export function seriousViolations(results: AxeResults): string[] {
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes
        .filter((n) => !(v.id === 'aria-hidden-focus' && /^<i [^>]*data-tabster-dummy=/.test(n.html)))
        .map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} – ${n.html.slice(0, 300)}`),
    );
}

// Page-side expressions are strings: this project's TypeScript has no DOM library (Node code only).

/** Text of the focused element. */
export function activeText(page: Page): Promise<string | null> {
  return page.evaluate<string | null>('document.activeElement ? document.activeElement.textContent : null');
}

/** ARIA role of the focused element. */
export function activeRole(page: Page): Promise<string | null> {
  return page.evaluate<string | null>(
    "document.activeElement ? document.activeElement.getAttribute('role') : null",
  );
}

/** True when the focus is inside the view's panel. */
export function focusInPanel(page: Page): Promise<boolean> {
  return page.evaluate<boolean>("!!document.getElementById('view-panel')?.contains(document.activeElement)");
}

/** Milliseconds since navigation start, DOMContentLoaded, and the bundle's transfer and decoded sizes. */
export function pageTimings(
  page: Page,
): Promise<{ now: number; domContentLoaded: number; transfer: number; decoded: number }> {
  return page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const assets = performance.getEntriesByType('resource').filter((e) => e.name.includes('/tab/assets/'));
    return {
      now: performance.now(),
      domContentLoaded: nav ? nav.domContentLoadedEventEnd : 0,
      transfer: assets.reduce((s, e) => s + e.transferSize, 0),
      decoded: assets.reduce((s, e) => s + e.decodedBodySize, 0),
    };
  })()`);
}
