import { chromium, devices } from 'playwright-core';
import { createSiteServer } from './lib/static-server.mjs';
const server = createSiteServer('/work/main/dist');
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext({ ...devices['Moto G4'] ?? {}, viewport: { width: 412, height: 823 } });
for (const path of process.argv.slice(2)) {
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__shifts.push({ v: e.value, t: Math.round(e.startTime), src: e.sources.map(s => (s.node?.outerHTML ?? '').slice(0, 120) + ' ' + JSON.stringify(s.previousRect) + '->' + JSON.stringify(s.currentRect)) }); }).observe({ type: 'layout-shift', buffered: true });
    document.addEventListener('securitypolicyviolation', (e) => console.log('CSP', e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample));
  });
  page.on('console', (m) => console.log(path, 'console', m.type(), m.text().slice(0, 300)));
  await page.goto(`http://127.0.0.1:${server.address().port}${path}`, { waitUntil: 'load' });
  await page.waitForTimeout(4000);
  console.log(path, JSON.stringify(await page.evaluate(() => window.__shifts), null, 1).slice(0, 2500));
  await page.close();
}
await browser.close(); server.close();
