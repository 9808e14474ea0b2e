// ArbBot dashboard: renders the snapshots arbbot dashboard streams from Redis (server-sent events).
// Prices and money arrive as exact decimal strings and are compared as integer micros, never as floats.
"use strict";

const token = new URLSearchParams(location.search).get("token");
const withToken = (path) => (token ? `${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` : path);
const STALE_MS = 5000;
let latest = null;

/** "0.4512" -> 451200n (micros); "" or junk -> null. */
function micros(text) {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text || "");
  if (!m) return null;
  const value = BigInt(m[2]) * 1000000n + BigInt((m[3] || "").padEnd(6, "0"));
  return m[1] === "-" ? -value : value;
}

function cell(row, text, className, attrs) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) td.className = className;
  for (const [k, v] of Object.entries(attrs || {})) td.setAttribute(k, v);
  row.appendChild(td);
  return td;
}

/** A cell of free text (a reason, a message, a path): it wraps in its panel, and the whole text is its tooltip. */
function textCell(row, text, className) {
  return cell(row, text, className ? `text ${className}` : "text", { title: text ?? "" });
}

function fill(tableId, rows, render) {
  const body = document.querySelector(`#${tableId} tbody`);
  const fresh = document.createElement("tbody");
  for (const item of rows) render(fresh, item);
  body.replaceWith(fresh);
}

function age(ms) {
  if (ms === null || ms === undefined) return "-";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Local time, 24-hour, to the millisecond: as the engine's log lines write it (HH:mm:ss.fff). */
function time(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

function topOf(book, side) {
  if (!book) return "-";
  const price = book[side];
  return price ? `${price} (${book[side + "_size"]})` : "-";
}

function renderPairs(snapshot) {
  const threshold = micros(document.getElementById("threshold").value || "0") ?? 0n;
  fill("pairs", snapshot.pairs, (body, pair) => {
    pair.legs.forEach((leg, i) => {
      const row = document.createElement("tr");
      row.dataset.event = pair.event;
      row.dataset.venue = leg.venue;
      row.dataset.market = leg.market;
      if (i === 0) row.className = "pair-start";
      const stale = [leg.yes, leg.no].some((b) => !b || b.stale || b.age_ms > STALE_MS);
      if (stale) row.classList.add("stale");
      cell(row, i === 0 ? pair.event : "");
      cell(row, leg.venue);
      cell(row, leg.market.length > 24 ? `${leg.market.slice(0, 10)}..${leg.market.slice(-6)}` : leg.market, null, { title: leg.market });
      cell(row, topOf(leg.yes, "bid"), null, { "data-outcome": "yes", "data-field": "bid", "data-price": leg.yes?.bid ?? "" });
      cell(row, topOf(leg.yes, "ask"), null, { "data-outcome": "yes", "data-field": "ask", "data-price": leg.yes?.ask ?? "" });
      cell(row, topOf(leg.no, "bid"), null, { "data-outcome": "no", "data-field": "bid", "data-price": leg.no?.bid ?? "" });
      cell(row, topOf(leg.no, "ask"), null, { "data-outcome": "no", "data-field": "ask", "data-price": leg.no?.ask ?? "" });
      const ages = [leg.yes, leg.no].filter(Boolean).map((b) => b.age_ms);
      cell(row, stale ? `stale ${age(ages.length ? Math.max(...ages) : null)}` : age(ages.length ? Math.max(...ages) : null));
      const edge = pair.edges.find((e) => e.yes_venue === leg.venue);
      const td = cell(row, "", "edge text");
      if (edge && edge.edge) {
        const perContract = micros(edge.edge_per_contract);
        td.textContent = `YES ${edge.yes_ask} + NO ${edge.no_ask} on ${edge.no_venue}, x${edge.size}, fees $${edge.fees}: $${edge.edge} ($${edge.edge_per_contract}/contract)`;
        td.classList.add(edge.positive ? "positive" : "negative");
        if (perContract !== null && perContract > threshold && edge.positive) td.classList.add("above");
        Object.assign(td.dataset, { yesVenue: edge.yes_venue, noVenue: edge.no_venue, yesAsk: edge.yes_ask, noAsk: edge.no_ask, size: edge.size, fees: edge.fees, edge: edge.edge });
      } else {
        td.textContent = "-";
      }
      body.appendChild(row);
    });
  });
}

const OPPORTUNITY_ROWS = 30;

/** Keeps a filter's choices to the given names (plus "all"), leaving the operator's choice selected. */
function syncOptions(selectId, names) {
  const select = document.getElementById(selectId);
  const have = [...select.options].slice(1).map((o) => o.value);
  if (have.length === names.length && have.every((n, i) => n === names[i])) return;
  const chosen = select.value;
  select.replaceChildren(new Option("all", ""), ...names.map((n) => new Option(n, n)));
  select.value = names.includes(chosen) ? chosen : "";
}

function renderOpportunities(snapshot) {
  const configured = snapshot.engines.flatMap((e) => (e.status?.strategies || []).map((s) => s.name));
  syncOptions("opp-strategy", [...new Set([...configured, ...snapshot.opportunities.map((o) => o.strategy)])].sort());
  const strategy = document.getElementById("opp-strategy").value;
  const outcome = document.getElementById("opp-outcome").value;
  const shown = snapshot.opportunities.filter((o) => (!strategy || o.strategy === strategy) && (!outcome || o.outcome === outcome)).slice(0, OPPORTUNITY_ROWS);
  fill("opportunities", shown, (body, o) => {
    const row = document.createElement("tr");
    row.dataset.strategy = o.strategy;
    row.dataset.outcome = o.outcome;
    cell(row, time(o.ts), "time");
    cell(row, o.strategy);
    textCell(row, o.event);
    cell(row, `$${o.edge}`);
    cell(row, o.size);
    textCell(row, o.detail ? `${o.outcome}: ${o.detail}` : o.outcome, `outcome-${o.outcome}`);
    body.appendChild(row);
  });
}

function renderPositions(snapshot) {
  const statuses = snapshot.engines.filter((e) => e.status).map((e) => e.status);
  const sum = (field) => statuses.reduce((acc, s) => acc + (micros(s.execution?.[field]) ?? 0n), 0n);
  const dollars = (m) => {
    const sign = m < 0n ? "-" : "";
    const abs = m < 0n ? -m : m;
    return `${sign}$${abs / 1000000n}.${(abs % 1000000n).toString().padStart(6, "0").slice(0, 2)}`;
  };
  const totals = document.getElementById("totals");
  totals.replaceChildren(
    ...[["P&L", "pnl"], ["realised", "realised"], ["locked in", "locked_in"], ["unhedged", "unhedged"], ["unhedged at the bid", "unhedged_mark_to_market"], ["legged cost (positive: a loss, negative: a gain)", "legged_cost"]].map(([label, field]) => {
      const span = document.createElement("span");
      span.append(`${label} `);
      const b = document.createElement("b");
      b.textContent = dollars(sum(field));
      b.dataset.total = field;
      span.append(b);
      return span;
    })
  );
  const positions = statuses.flatMap((s) => s.positions || []);
  fill("positions", positions, (body, p) => {
    const row = document.createElement("tr");
    textCell(row, p.event);
    cell(row, p.yes);
    cell(row, p.no);
    cell(row, p.matched);
    cell(row, p.unhedged, micros(p.unhedged) > 0n ? "stale" : null);
    cell(row, `$${p.locked_in}`);
    cell(row, `$${p.unhedged_cost}`);
    body.appendChild(row);
  });
  renderChart(snapshot.pnl_history);
}

/**
 * The P&L over the dashboard's session, scaled to its own range (at least a cent, plus a margin), so
 * a change of a few cents fills the chart instead of a hair's width next to a zero line far away.
 * Floats here only place points on the screen; the figures written out are the exact strings.
 */
function renderChart(points) {
  const svg = document.getElementById("pnl-chart");
  const scale = document.getElementById("pnl-scale");
  svg.replaceChildren();
  if (points.length < 2) {
    scale.textContent = "";
    return;
  }
  const values = points.map((p) => Number(micros(p.pnl)) / 1e6); // drawing only
  let lo = Math.min(...values), hi = Math.max(...values);
  if (hi - lo < 0.01) {
    const mid = (hi + lo) / 2;
    lo = mid - 0.005;
    hi = mid + 0.005;
  }
  const margin = (hi - lo) * 0.08;
  lo -= margin;
  hi += margin;
  const digits = hi - lo < 1 ? 4 : 2;
  const dollars = (v) => `${v < 0 ? "-" : ""}$${Math.abs(v).toFixed(digits)}`;
  const t0 = points[0].ts, t1 = points[points.length - 1].ts;
  const x = (t) => ((t - t0) / Math.max(1, t1 - t0)) * 600;
  const y = (v) => 135 - ((v - lo) / (hi - lo)) * 130;
  const ns = "http://www.w3.org/2000/svg";
  const shapes = [];
  if (lo < 0 && hi > 0) {
    const zero = document.createElementNS(ns, "line");
    Object.entries({ x1: 0, x2: 600, y1: y(0), y2: y(0) }).forEach(([k, v]) => zero.setAttribute(k, v));
    shapes.push(zero);
  }
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", points.map((p, i) => `${x(p.ts).toFixed(1)},${y(values[i]).toFixed(1)}`).join(" "));
  shapes.push(line);
  svg.append(...shapes);
  const last = points[points.length - 1].pnl;
  scale.textContent = `P&L now $${last}; chart from ${dollars(lo)} (bottom) to ${dollars(hi)} (top)${lo < 0 && hi > 0 ? ", line at $0" : ""}, ${time(t0)} to ${time(t1)}`;
  scale.dataset.low = lo.toFixed(digits);
  scale.dataset.high = hi.toFixed(digits);
}

function renderEngines(snapshot) {
  const live = snapshot.engines.filter((e) => e.status);
  fill("feeds", live.flatMap((e) => e.status.venues.map((v) => ({ engine: e.id, ...v }))), (body, v) => {
    const row = document.createElement("tr");
    row.dataset.venue = v.name;
    if (v.status !== "connected" || v.last_update_age_ms === null || v.last_update_age_ms > STALE_MS) row.className = "stale";
    textCell(row, v.engine);
    textCell(row, v.name);
    textCell(row, v.status);
    cell(row, v.updates_per_s);
    cell(row, v.last_update_age_ms === null ? "never" : `${age(v.last_update_age_ms)} ago`, "words");
    cell(row, v.reconnects);
    cell(row, v.books);
    cell(row, v.stale);
    body.appendChild(row);
  });
  fill("engines", snapshot.engines, (body, e) => {
    const row = document.createElement("tr");
    row.dataset.engine = e.id;
    if (!e.alive) row.className = "stale";
    textCell(row, e.id);
    // Figures of any length (a busy machine's latencies are long) wrap at their spaces rather than widen the panel.
    cell(row, e.alive ? `${age(e.heartbeat_age_ms)} ago` : `lost (${age(e.heartbeat_age_ms)})`, "words");
    cell(row, e.book_updates);
    cell(row, e.status ? `${e.status.latency_p50_us} / ${e.status.latency_p99_us} us` : "-", "words");
    cell(row, `${e.mirror_lag_p50_ms} / ${e.mirror_lag_p99_ms} ms`, "words");
    textCell(row, e.ownership ?? "all", "ownership");
    textCell(row, e.status?.execution?.kill ?? "-").dataset.kill = e.status?.execution?.kill ?? "";
    textCell(row, e.kill_ack || "none", "kill-ack");
    body.appendChild(row);
  });
  fill("strategies", live.flatMap((e) => e.status.strategies.map((s) => ({ engine: e.id, ...s }))), (body, s) => {
    const row = document.createElement("tr");
    if (s.status !== "running") row.className = "stale";
    row.dataset.strategy = s.name;
    textCell(row, s.engine);
    textCell(row, s.name);
    cell(row, s.status, "status words", { title: s.status });
    [s.version, s.errors, s.reloads, s.calls, s.opportunities].forEach((v) => cell(row, String(v)));
    cell(row, s.file.split(/[\\/]/).pop(), "text", { title: s.file }); // the file's name; its path in the tooltip
    body.appendChild(row);
  });
  const kills = live.map((e) => e.status.execution?.kill ?? "off");
  const engaged = kills.filter((k) => k !== "off");
  const badge = document.getElementById("kill-state");
  badge.textContent = engaged.length ? `kill switch: ${engaged.join("; ")}` : "kill switch: off";
  badge.className = engaged.length ? "badge bad" : "badge good";
  badge.dataset.engaged = engaged.length ? "1" : "0";
}

function renderAlerts(snapshot) {
  fill("alerts", snapshot.alerts, (body, a) => {
    const row = document.createElement("tr");
    row.className = `level-${a.level}`;
    cell(row, time(a.ts), "time");
    [a.level, a.kind].forEach((v) => cell(row, v));
    textCell(row, a.event);
    textCell(row, a.message);
    body.appendChild(row);
  });
}

function render(snapshot) {
  latest = snapshot;
  const connection = document.getElementById("connection");
  const alive = snapshot.engines.filter((e) => e.alive).length;
  connection.textContent = `redis ${snapshot.redis}; ${alive} engine${alive === 1 ? "" : "s"} alive`;
  connection.className = snapshot.redis === "connected" && alive > 0 ? "badge good" : "badge bad";
  renderPairs(snapshot);
  renderOpportunities(snapshot);
  renderPositions(snapshot);
  renderEngines(snapshot);
  renderAlerts(snapshot);
  document.getElementById("updated").textContent = `Last update ${time(snapshot.ts)}.`;
  document.body.dataset.snapshotTs = String(snapshot.ts);
}

async function kill(mode, question) {
  if (!confirm(question)) return;
  const headers = { "Content-Type": "application/json", "X-ArbBot-CSRF": document.querySelector('meta[name="arbbot-csrf"]').content };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch("/api/kill", { method: "POST", headers, body: JSON.stringify({ mode, reason: "dashboard" }) });
  const answer = await response.json();
  if (!response.ok) alert(answer.error || `kill switch request failed: HTTP ${response.status}`);
}

document.getElementById("kill").addEventListener("click", () => kill("halt", "Halt new orders in every engine now? Resting orders stay until they are cancelled or filled."));
document.getElementById("clear").addEventListener("click", () => kill("clear", "Release the kill switch in every engine? New orders will be allowed again."));
document.getElementById("threshold").addEventListener("input", () => latest && renderPairs(latest));
for (const id of ["opp-strategy", "opp-outcome"]) document.getElementById(id).addEventListener("change", () => latest && renderOpportunities(latest));

const events = new EventSource(withToken("/api/events"));
events.onmessage = (e) => render(JSON.parse(e.data));
events.onerror = () => {
  const connection = document.getElementById("connection");
  connection.textContent = "dashboard not answering (retrying)";
  connection.className = "badge bad";
};
