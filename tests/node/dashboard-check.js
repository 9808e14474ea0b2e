// Opens the ArbBot dashboard in headless Chromium (Debian's chromium, driven by playwright-core),
// checks that the books and edges it shows are those in Redis, clicks the kill switch (accepting
// the confirmation), waits until every engine shows it engaged, checks the opportunity filters and
// the 24-hour times, then at 1280 and 2560 px wide checks that no panel scrolls sideways and the
// strategies show their status, and saves a screenshot at each width (SCREENSHOT-1280.png, ...).
// Usage: node dashboard-check.js URL REDIS_PORT KEY_PREFIX SCREENSHOT_PATH
// Prints one JSON line with what it checked; exits 1 with the reason on stderr when a check fails.
"use strict";

const { chromium } = require("playwright-core");
const Redis = require("ioredis");

const [url, redisPort, prefix, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

function micros(text) {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text || "");
  if (!m) throw new Error(`not a decimal: "${text}"`);
  const value = BigInt(m[2]) * 1000000n + BigInt((m[3] || "").padEnd(6, "0"));
  return m[1] === "-" ? -value : value;
}

/** price x size in micros, rounded up as the engine charges costs (exact for cent prices and whole sizes). */
function cost(price, size) {
  const product = micros(price) * micros(size);
  return (product + 999999n) / 1000000n;
}

async function pageBooks(page) {
  return page.$$eval("#pairs tbody tr[data-event]", (rows) =>
    rows.map((row) => ({
      event: row.dataset.event,
      venue: row.dataset.venue,
      market: row.dataset.market,
      prices: Object.fromEntries([...row.querySelectorAll("td[data-outcome]")].map((td) => [`${td.dataset.outcome}_${td.dataset.field}`, td.dataset.price])),
      edge: (() => {
        const td = row.querySelector("td.edge");
        return td && td.dataset.edge ? { ...td.dataset } : null;
      })(),
    }))
  );
}

async function compare(page, redis) {
  const rows = await pageBooks(page);
  const problems = [];
  const books = {};
  // Every book in one pipeline, right after reading the page: one moment on both sides, as near as can be.
  const pipeline = redis.pipeline();
  for (const row of rows) for (const outcome of ["yes", "no"]) pipeline.hgetall(`${prefix}:book:${row.venue}:${row.market}:${outcome}`);
  const hashes = (await pipeline.exec()).map(([err, hash]) => {
    if (err) throw err;
    return hash;
  });
  let next = 0;
  for (const row of rows) {
    for (const outcome of ["yes", "no"]) {
      const hash = hashes[next++];
      books[`${row.venue}|${row.market}|${outcome}`] = hash;
      for (const field of ["bid", "ask"]) {
        const shown = row.prices[`${outcome}_${field}`] ?? "";
        if ((hash[field] ?? "") !== shown) problems.push({ key: `${row.event} ${row.venue} ${outcome} ${field}`, text: `page ${shown}, redis ${hash[field]}` });
      }
    }
  }

  // A row shows an edge exactly when Redis has a live YES ask on its venue and a live NO ask on the
  // other (a book not snapshotted yet, or an ask side the engine's own orders took, shows none).
  let expectedEdges = 0;
  for (const row of rows) {
    const other = rows.find((r) => r.event === row.event && r.venue !== row.venue);
    const yes = books[`${row.venue}|${row.market}|yes`];
    const no = other ? books[`${other.venue}|${other.market}|no`] : undefined;
    const live = (hash) => hash && hash.ask && hash.ask_size && hash.stale !== "1";
    const expected = Boolean(live(yes) && live(no));
    expectedEdges += expected ? 1 : 0;
    if (expected !== Boolean(row.edge)) problems.push({ key: `${row.event} ${row.venue} edge shown`, text: `page ${row.edge ? "shows" : "shows no"} edge, redis asks ${yes?.ask}/${no?.ask}` });
  }

  let edges = 0;
  for (const row of rows.filter((r) => r.edge)) {
    const e = row.edge;
    const other = rows.find((r) => r.event === row.event && r.venue === e.noVenue);
    const yes = books[`${row.venue}|${row.market}|yes`];
    const no = books[`${other.venue}|${other.market}|no`];
    if (e.yesAsk !== yes.ask || e.noAsk !== no.ask) problems.push({ key: `${row.event} ${row.venue} edge asks`, text: `page ${e.yesAsk}+${e.noAsk}, redis ${yes.ask}+${no.ask}` });
    const size = micros(yes.ask_size) < micros(no.ask_size) ? yes.ask_size : no.ask_size;
    if (micros(e.size) !== micros(size)) problems.push({ key: `${row.event} ${row.venue} edge size`, text: `page ${e.size}, redis top sizes ${yes.ask_size}/${no.ask_size}` });
    // edge = size x $1 - what both legs cost - the fees shown
    const expected = micros(e.size) - cost(e.yesAsk, e.size) - cost(e.noAsk, e.size) - micros(e.fees);
    // The page's own figures must add up whatever moved: a mismatch here is a bug, not timing.
    if (micros(e.edge) !== expected) throw new Error(`${row.event} ${row.venue}: edge ${e.edge} shown, but ${e.size} - cost of ${e.yesAsk} + ${e.noAsk} - fees ${e.fees} is ${expected} micros`);
    edges++;
  }

  return { rows: rows.length, edges, expectedEdges, problems };
}

/** Waits until the page has rendered a snapshot newer than the one it shows now. */
async function nextSnapshot(page) {
  const shown = await page.evaluate(() => Number(document.body.dataset.snapshotTs || 0));
  await page.waitForFunction((ts) => Number(document.body.dataset.snapshotTs || 0) > ts, shown, { timeout: 30000 });
}

/**
 * At this width no panel (nor the page) scrolls sideways, and the Strategies panel shows each
 * strategy's status before its file path.
 */
async function checkFits(page, width) {
  const overflowing = await page.evaluate(() => {
    const wide = (el) => el.scrollWidth > el.clientWidth + 1;
    const found = [...document.querySelectorAll("main > section")].filter(wide).map((el) => `${el.querySelector("h2")?.firstChild?.textContent?.trim()} (${el.scrollWidth} > ${el.clientWidth} px)`);
    if (wide(document.documentElement)) found.push(`the page (${document.documentElement.scrollWidth} > ${document.documentElement.clientWidth} px)`);
    return found;
  });
  if (overflowing.length > 0) throw new Error(`at ${width} px these scroll sideways: ${overflowing.join("; ")}`);
  const headers = await page.$$eval("#strategies thead th", (ths) => ths.map((th) => th.textContent));
  if (!(headers.indexOf("status") >= 0 && headers.indexOf("status") < headers.indexOf("file"))) throw new Error(`strategies columns: ${headers.join(", ")}`);
  const statuses = await page.$$eval("#strategies tbody td.status", (cells) => cells.map((c) => ({ text: c.textContent, width: c.getBoundingClientRect().width })));
  if (statuses.length === 0 || statuses.some((s) => !/^(running|off)/.test(s.text) || s.width < 20)) throw new Error(`strategy status column at ${width} px: ${JSON.stringify(statuses)}`);
}

/** Each filter of recent opportunities shows only what it names; "all" brings every row back. */
async function checkFilters(page) {
  await page.waitForSelector("#opportunities tbody tr", { timeout: 60000 });
  const strategies = await page.$$eval("#opp-strategy option", (options) => options.map((o) => o.value).filter(Boolean));
  if (strategies.length < 2) throw new Error(`the strategy filter offers ${JSON.stringify(strategies)}`);
  const checked = [];
  for (const [select, field] of [["#opp-strategy", "strategy"], ["#opp-outcome", "outcome"]]) {
    // Filter on what the first row shows: at least that row must stay.
    const value = await page.$eval("#opportunities tbody tr", (row, f) => row.dataset[f], field);
    await page.selectOption(select, value);
    await nextSnapshot(page);
    const shown = await page.$$eval("#opportunities tbody tr", (rows, f) => rows.map((r) => r.dataset[f]), field);
    if (shown.length === 0 || shown.some((v) => v !== value)) throw new Error(`filter ${select}=${value} shows ${JSON.stringify(shown)}`);
    checked.push(`${field}=${value}: ${shown.length} rows`);
    await page.selectOption(select, "");
  }
  return checked;
}

async function main() {
  const redis = new Redis({ port: Number(redisPort), host: "127.0.0.1", lazyConnect: false, maxRetriesPerRequest: 2 });
  const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    await page.goto(url);
    await page.waitForSelector("#connection.good", { timeout: 30000 });
    await page.waitForSelector("#pairs tbody tr[data-event] td.edge[data-edge]", { timeout: 30000 });

    // Books move while we read (the page is up to half a second old): each row must match Redis
    // exactly in some view; rows that moved in between are compared again on the next one.
    let result;
    const open = new Map();
    for (let attempt = 0; attempt < 60; attempt++) {
      result = await compare(page, redis);
      if (attempt === 0) for (const problem of result.problems) open.set(problem.key, problem.text);
      const failing = new Map(result.problems.map((p) => [p.key, p.text]));
      for (const key of [...open.keys()]) {
        if (failing.has(key)) open.set(key, failing.get(key));
        else open.delete(key);
      }
      if (open.size === 0) break;
      await page.waitForTimeout(250);
    }
    if (open.size > 0) throw new Error(`these never matched Redis:\n${[...open].map(([k, v]) => `${k}: ${v}`).join("\n")}`);

    const engines = await redis.smembers(`${prefix}:engines`);
    const pairs = await redis.hgetall(`${prefix}:engine:${engines[0]}:pairs`);
    const legs = Object.values(pairs).reduce((n, legList) => n + legList.split(" ").filter(Boolean).length, 0);
    if (result.rows !== legs) throw new Error(`the page shows ${result.rows} pair legs, the engine runs ${legs}`);

    page.once("dialog", (dialog) => dialog.accept());
    await page.click("#kill");
    await page.waitForSelector('#kill-state[data-engaged="1"]', { timeout: 30000 });
    const killText = await page.textContent("#kill-state");
    // Every engine acknowledges the global command in Redis, and the page shows it.
    await page.waitForFunction(() => [...document.querySelectorAll("#engines td.kill-ack")].some((td) => /^command \d+: halt at /.test(td.textContent)), null, { timeout: 30000 });
    const killAck = await page.textContent("#engines td.kill-ack");
    const filters = await checkFilters(page);
    const times = await page.$$eval("td.time", (cells) => cells.map((c) => c.textContent));
    const notTwentyFourHour = times.filter((t) => !/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}$/.test(t));
    if (times.length === 0 || notTwentyFourHour.length > 0) throw new Error(`times not as the logs write them (HH:mm:ss.fff): ${notTwentyFourHour.slice(0, 3).join(", ") || "none shown"}`);

    const screenshots = [];
    for (const width of [1280, 2560]) {
      await page.setViewportSize({ width, height: 1100 });
      await nextSnapshot(page);
      await checkFits(page, width);
      const path = screenshot.replace(/\.png$/, `-${width}.png`);
      await page.screenshot({ path, fullPage: true });
      screenshots.push(path);
    }
    console.log(JSON.stringify({ rows: result.rows, edges: result.edges, expectedEdges: result.expectedEdges, kill: killText, killAck, filters, times: times.length, screenshots }));
  } finally {
    await browser.close();
    redis.disconnect();
  }
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
