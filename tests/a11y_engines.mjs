// Runs the accessibility engines the Python tests do not run themselves, against a site served on
// 127.0.0.1 by the test (tests/test_a11y_engines.py): Lighthouse (accessibility, best practices, SEO)
// and pa11y with its HTML_CodeSniffer runner (WCAG2AA; axe-core is run by tests/test_browser.py). Debian's Chromium, one browser for
// each tool, reused for every page; the two tools run side by side (both spend most of their time waiting).
//
// Usage: node tests/a11y_engines.mjs '{"lighthouse": [url, ...], "pa11y": [url, ...]}'
// Prints JSON: {"lighthouse": {url: {scores, failed}}, "pa11y": {url: [issue, ...]}}.

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import pa11y from "pa11y";
import puppeteer from "puppeteer";

const CHROMIUM = process.env.CHROME_PATH || "/usr/bin/chromium";
const FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const CATEGORIES = ["accessibility", "best-practices", "seo"];
const LIGHTHOUSE_CONFIG = {
  extends: "lighthouse:default",
  settings: {
    onlyCategories: CATEGORIES,
    // Lighthouse's default. It throttles nothing while loading (it only models load times, which these
    // categories do not score) and waits for 1-second quiet windows; "provided" would stretch each wait to
    // 5.25 s, about 11 s a page for nothing.
    throttlingMethod: "simulate",
    disableFullPageScreenshot: true,
  },
};

async function runLighthouse(urls) {
  const results = {};
  if (!urls.length) return results;
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: FLAGS });
  try {
    for (const url of urls) {
      const { lhr } = await lighthouse(url, { port: chrome.port, logLevel: "error" }, LIGHTHOUSE_CONFIG);
      const scores = {};
      const failed = [];
      for (const id of CATEGORIES) {
        const category = lhr.categories[id];
        scores[id] = category.score;
        for (const ref of category.auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
            failed.push(`${id}/${ref.id}: ${audit.title}`);
          }
        }
      }
      if (lhr.runtimeError) failed.push(`runtime error: ${lhr.runtimeError.message}`);
      results[url] = { scores, failed };
    }
  } finally {
    await chrome.kill();
  }
  return results;
}

async function runPa11y(urls) {
  const results = {};
  if (!urls.length) return results;
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: FLAGS.slice(1), headless: true });
  const page = await browser.newPage();
  try {
    for (const url of urls) {
      const report = await pa11y(url, {
        browser,
        page,
        runners: ["htmlcs"], // axe-core: our own tests run it on every page (tests/test_browser.py)
        standard: "WCAG2AA",
        includeWarnings: false,
        includeNotices: false,
        timeout: 60000,
      });
      results[url] = report.issues.map((issue) => ({
        runner: issue.runner,
        code: issue.code,
        selector: issue.selector,
        message: issue.message,
      }));
    }
  } finally {
    await browser.close();
  }
  return results;
}

const request = JSON.parse(process.argv[2] || "{}");
const [lighthouseResults, pa11yResults] = await Promise.all([
  runLighthouse(request.lighthouse || []),
  runPa11y(request.pa11y || []),
]);
const output = { lighthouse: lighthouseResults, pa11y: pa11yResults };
process.stdout.write(JSON.stringify(output, null, 1) + "\n");
