#!/usr/bin/env node
// Sends an example from seeds/ to the local host as its real sender would, whatever today's date and wherever you run it:
//   node seeds/send.mjs seeds/calls/breathless-syringe-driver.json     a signed NHS 111 webhook (new callId, received now)
//   node seeds/send.mjs seeds/bars/new-referral.json                   a signed BaRS message (every time shifted to now)
// Options: --url http://127.0.0.1:7071 (else LocalHost__Urls), --keep-id (send the example's own callId again).
// The app key and intake secret come from local.settings.json, else local.settings.sample.json, as the local host reads them.
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i < 0 ? null : args.splice(i, 2)[1]; };
const flag = (name) => { const i = args.indexOf(name); return i >= 0 && args.splice(i, 1).length > 0; };
const url = option("--url");
const keepId = flag("--keep-id");
if (args.length !== 1) {
  console.error("usage: node seeds/send.mjs <example.json> [--url http://127.0.0.1:7071] [--keep-id]");
  process.exit(2);
}

const settingsFile = [join(root, "local.settings.json"), join(root, "local.settings.sample.json")].find(existsSync);
// The environment wins over the file, as it does for the host (LocalHost__FunctionsKey, Intake__Secret, LocalHost__Urls).
const settings = { ...JSON.parse(readFileSync(settingsFile, "utf8")).Values, ...process.env };
const base = (url ?? settings.LocalHost__Urls ?? "http://127.0.0.1:7071").split(";")[0].replace(/\/$/, "");
const file = existsSync(args[0]) ? args[0] : join(root, args[0]);
const example = JSON.parse(readFileSync(file, "utf8"));
const now = new Date();
const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, "+00:00");

let route, body, contentType, extraHeaders = {};
if (example.resourceType === "Bundle") {
  // BaRS refuses a referral authored more than 7 days ago: move every time by one delta, so the message keeps its
  // own intervals and its ServiceRequest was authored a minute ago.
  const request = example.entry?.find((e) => e.resource?.resourceType === "ServiceRequest")?.resource;
  const anchor = Date.parse(request?.authoredOn ?? example.timestamp);
  const delta = now.getTime() - 60_000 - anchor;
  const dateTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;
  const shift = (node) => {
    if (Array.isArray(node)) return node.map(shift);
    if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, shift(v)]));
    return typeof node === "string" && dateTime.test(node) ? iso(new Date(Date.parse(node) + delta)) : node;
  };
  body = JSON.stringify(shift(example));
  route = "/api/intake/bars/$process-message";
  contentType = "application/fhir+json";
  extraHeaders = { "X-Request-ID": randomUUID(), "X-Correlation-ID": randomUUID() };
} else if (example.callId !== undefined) {
  if (!keepId) example.callId = `111-${iso(now).slice(0, 10).replaceAll("-", "")}-${randomUUID().slice(0, 6)}`;
  example.receivedAt = iso(now);
  body = JSON.stringify(example);
  route = "/api/intake/111";
  contentType = "application/json";
} else {
  console.error(`${file} is neither a 111 call (callId) nor a BaRS Bundle.`);
  process.exit(2);
}

// The 111 signature: HMAC-SHA256 over "<unix seconds>.<raw body>" with the intake secret.
const ts = Math.floor(now.getTime() / 1000).toString();
const signature = createHmac("sha256", settings.Intake__Secret ?? "").update(`${ts}.${body}`).digest("hex");
const response = await fetch(base + route, {
  method: "POST",
  headers: {
    "content-type": contentType,
    "x-functions-key": settings.LocalHost__FunctionsKey ?? "",
    "X-Signature-Timestamp": ts,
    "X-Signature": `sha256=${signature}`,
    ...extraHeaders,
  },
  body,
}).catch((e) => {
  console.error(`Could not reach ${base} (${e.cause?.code ?? e.message}): is ./run-local.sh running?`);
  process.exit(1);
});
console.log(`${response.status} ${response.statusText}`);
console.log(await response.text());
process.exit(response.ok ? 0 : 1);
