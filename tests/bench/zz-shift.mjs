import { execSync, spawn } from 'node:child_process';
const { startLocalSupabase } = await import('/work/main/supabase/local/start.js');
const { chromium, devices } = await import('@playwright/test');
const { chromiumLaunchOptions } = await import('/work/main/tests/chromium.js');
process.env.LOCAL_API_PORT = '55421'; process.env.LOCAL_DB_PORT = '55422'; process.env.LOCAL_DB_DIR = 'supabase/.local/pgdata-bench';
const local = await startLocalSupabase({ fresh: true });
const server = spawn('node', ['tests/static-server.js', 'build-bench', '4180'], { stdio: 'ignore' });
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  await new Promise(r => setTimeout(r, 500));
  for (const path of ['/', '/courses/a-family-approach']) {
    const context = await browser.newContext({ ...devices['Pixel 7'] });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__shifts.push({ t: Math.round(e.startTime), v: e.value.toFixed(3), s: e.sources.map(s => `${s.node?.nodeName}.${s.node?.className} ${JSON.stringify(s.previousRect)}->${JSON.stringify(s.currentRect)}`) }); }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`http://127.0.0.1:4180${path}`);
    await page.waitForTimeout(4000);
    console.log(path, JSON.stringify(await page.evaluate(() => window.__shifts), null, 1).slice(0, 3000));
    await context.close();
  }
} finally { await browser.close(); server.kill(); await local.stop(); }
