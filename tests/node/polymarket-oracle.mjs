// The official Polymarket client (@polymarket/clob-client-v2) as an oracle for the plugin's wire
// bytes: builds and signs the orders, L1/L2 headers and heartbeat body described in the input
// file (argv[2], JSON) exactly as the client would send them, and prints them as JSON. Offline:
// nothing here talks to a server. Used by tests/ArbBot.Tests/Venues/PolymarketOfficialClientTests.cs.
import { readFileSync } from "node:fs";
import { OrderBuilder, orderToJsonV2, createL1Headers, createL2Headers, Side } from "@polymarket/clob-client-v2";
import { Wallet } from "@ethersproject/wallet";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const wallet = new Wallet(input.privateKey);
const out = { address: await wallet.getAddress(), orders: [] };
for (const o of input.orders) {
  const builder = new OrderBuilder(wallet, input.chainId, o.signatureType, o.funder ?? undefined);
  const signed = await builder.buildOrder(
    { tokenID: o.tokenId, price: o.price, size: o.size, side: o.side === "BUY" ? Side.BUY : Side.SELL },
    { tickSize: o.tickSize, negRisk: o.negRisk },
    o.version);
  out.orders.push({ signed, body: JSON.stringify(orderToJsonV2(signed, input.owner, o.orderType, o.postOnly)) });
}

const heartbeatBody = JSON.stringify({ heartbeat_id: input.heartbeatId });
out.heartbeatBody = heartbeatBody;
out.l1 = await createL1Headers(wallet, input.chainId, input.l1Nonce, input.l1Timestamp);
out.l2 = await createL2Headers(wallet, { key: input.apiKey, secret: input.secret, passphrase: input.passphrase },
  { method: "POST", requestPath: "/v1/heartbeats", body: heartbeatBody }, input.l2Timestamp);
console.log(JSON.stringify(out));
