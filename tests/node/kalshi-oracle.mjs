// The official Kalshi client (kalshi-typescript, npm) as the oracle for the plugin's requests.
// Input (a JSON file): { "calls": [{ "name", "args": {...} }], "bodies": ["<order body JSON>", ...] }.
// Output (stdout): { "calls": ["<path and query the official client builds>", ...],
//                    "bodies": [{ "problems": ["..."] }, ...] }
// Each call is built with the client's own request builders (the *AxiosParamCreator of each API),
// offline: nothing is sent. Each order body is checked against the client's CreateOrderV2Request
// model, read from the package's TypeScript source: every field known, every required field there,
// each value of the declared type, enums within the client's values.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const kalshi = require('kalshi-typescript');
const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const configuration = new kalshi.Configuration({ basePath: 'https://oracle.invalid/trade-api/v2' });
const orders = kalshi.OrdersApiAxiosParamCreator(configuration);
const portfolio = kalshi.PortfolioApiAxiosParamCreator(configuration);
const market = kalshi.MarketApiAxiosParamCreator(configuration);

const builders = {
  createOrderV2: a => orders.createOrderV2(a.body),
  cancelOrderV2: a => orders.cancelOrderV2(a.orderId, undefined, undefined, a.marketTicker),
  getOrder: a => orders.getOrder(a.orderId),
  getOrders: a => orders.getOrders(a.ticker, undefined, undefined, undefined, a.status, a.limit, a.cursor),
  getFills: a => portfolio.getFills(a.ticker, a.orderId, a.minTs, undefined, a.limit, a.cursor),
  getPositions: a => portfolio.getPositions(a.cursor, a.limit, a.countFilter),
  getBalance: () => portfolio.getBalance(),
  getMarkets: a => market.getMarkets(a.limit, a.cursor, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, a.tickers),
};

const calls = [];
for (const call of input.calls) {
  const build = builders[call.name];
  if (!build) throw new Error(`no builder for ${call.name}`);
  const args = await build(call.args ?? {});
  calls.push({ method: args.options.method, url: args.url });
}

// The model as the client declares it: 'name'?: type; lines of models/create-order-v2-request.ts.
const packageDir = path.dirname(require.resolve('kalshi-typescript/package.json'));
const modelSource = readFileSync(path.join(packageDir, 'models', 'create-order-v2-request.ts'), 'utf8');
const fields = {};
for (const m of modelSource.matchAll(/^\s*'([a-z_]+)'(\?)?:\s*([A-Za-z0-9_]+);/gm)) {
  fields[m[1]] = { optional: m[2] === '?', type: m[3] };
}
const enums = {
  BookSide: Object.values(kalshi.BookSide),
  SelfTradePreventionType: Object.values(kalshi.SelfTradePreventionType),
  CreateOrderV2RequestTimeInForceEnum: Object.values(kalshi.CreateOrderV2RequestTimeInForceEnum),
};

const bodies = input.bodies.map(text => {
  const body = JSON.parse(text);
  const problems = [];
  for (const [name, value] of Object.entries(body)) {
    const field = fields[name];
    if (!field) { problems.push(`${name}: not a field of CreateOrderV2Request`); continue; }
    if (field.type in enums) {
      if (!enums[field.type].includes(value)) problems.push(`${name}: ${JSON.stringify(value)} is not one of ${enums[field.type].join(', ')}`);
    } else if (typeof value !== field.type) {
      problems.push(`${name}: ${typeof value}, the model says ${field.type}`);
    }
  }
  for (const [name, field] of Object.entries(fields)) {
    if (!field.optional && !(name in body)) problems.push(`${name}: required by the model, missing`);
  }
  return { problems };
});

process.stdout.write(JSON.stringify({ calls, bodies, modelFields: Object.keys(fields) }));
