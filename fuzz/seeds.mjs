// Writes the fuzz targets' seed inputs into fuzz/corpus/TARGET/seed-*: real
// messages from stock Yjs clients (yjs, y-protocols, as the web app and
// y-websocket use them) editing a recommendation, real tokens, and the
// API's request bodies. Run once the tests' packages are installed:
//
//   (cd tests && npm ci) && node fuzz/seeds.mjs
//
// Seeds are only a starting point: `fuzz/run` adds what it finds, and
// `fuzz/run merge` keeps the smallest set with the same coverage.

import { createHmac } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/package.json", import.meta.url));
const Y = require("yjs");
const encoding = require("lib0/encoding");
const syncProtocol = require("y-protocols/sync");
const awarenessProtocol = require("y-protocols/awareness");

const corpus = new URL("corpus/", import.meta.url);
function seed(target, name, bytes) {
  const dir = new URL(`${target}/`, corpus);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`seed-${name}`, dir), bytes);
}

// The recommendation the targets' room holds, written as the server
// writes it, under client id 1 (see `fuzzing.rs`).
const server = new Y.Doc();
server.clientID = 1;
server.transact(() => {
  const meta = server.getMap("meta");
  meta.set("id", "c-1");
  meta.set("title", "Funding");
  meta.set("topic", "C");
  meta.set("number", 1);
  meta.set("status", "draft");
  server.getText("text").insert(0, "Fund the IGF.");
  for (const field of ["tasks", "implementation", "responsible", "timeline", "monitoring"]) {
    server.getText(field);
  }
  const alternative = new Y.Map();
  server.getMap("alternatives").set("alt-1", alternative);
  alternative.set("label", "B");
  alternative.set("text", new Y.Text("Voluntary only."));
  alternative.set("proponents", Y.Array.from(["ana"]));
  alternative.set("based_on", "Fund the IGF.");
  alternative.set("created_by", "ana");
  alternative.set("created_at", "t");
  server.getMap("support");
});

// Each change a member's client makes, as the update it sends, each made
// on a fresh copy of the server's document (so each applies on its own).
function member() {
  const client = new Y.Doc();
  client.clientID = 2;
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
}
const updates = [];
function edit(change) {
  const client = member();
  const text = client.getText("text");
  change(client, text);
  updates.push(Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)));
}
edit((_, text) => text.insert(0, "Agreed: "));
edit((_, text) => text.insert(text.length, " Soon."));
edit((_, text) => text.delete(0, 5));
edit((_, text) => text.format(0, 4, { bold: true }));
edit((_, text) => text.insert(4, "é😀\n", { italic: true }));
edit((_, text) => text.insertEmbed(0, { image: "x.png" }));
edit((client) => client.getText("tasks").insert(0, "Write it down."));
edit((client) => client.getMap("alternatives").get("alt-1").get("text").insert(0, "Mostly "));
edit((client) => client.getMap("meta").set("status", "adopted"));
edit((client) => client.getMap("support").set("member-1", "majority"));
edit((client) => {
  const nested = new Y.Map();
  client.getMap("other").set("deep", nested);
  nested.set("list", Y.Array.from([1, 2.5, "three", null, true, { a: [1, { b: 2 }] }, new Uint8Array([1, 2])]));
});
edit((client) => client.getXmlFragment("xml").insert(0, [new Y.XmlElement("p"), new Y.XmlText("hi")]));
edit((client) => client.getArray("array").insert(0, [2 ** 60, -1, 0.5]));
// Two changes in one update: typing, then deleting it all.
edit((_, text) => {
  text.insert(0, "Typed. ");
  text.delete(0, text.length);
});
const client = member();
client.getText("text").insert(0, "Synced. ");

function message(write) {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const syncMessage = 0;
const awarenessMessage = 1;
const queryAwarenessMessage = 3;

updates.forEach((update, i) => {
  seed("update", `edit-${i}`, update);
  seed("frame", `update-${i}`, message((e) => {
    encoding.writeVarUint(e, syncMessage);
    syncProtocol.writeUpdate(e, update);
  }));
});
seed("update", "empty", Y.encodeStateAsUpdate(new Y.Doc()));
seed("update", "whole", Y.encodeStateAsUpdate(client));
seed("update", "merged", Y.mergeUpdates(updates.slice(0, 3)));

const vectors = {
  empty: Y.encodeStateVector(new Y.Doc()),
  server: Y.encodeStateVector(server),
  client: Y.encodeStateVector(client),
};
for (const [name, vector] of Object.entries(vectors)) {
  seed("state_vector", name, vector);
}
seed("frame", "sync-step-1", message((e) => {
  encoding.writeVarUint(e, syncMessage);
  syncProtocol.writeSyncStep1(e, client);
}));
seed("frame", "sync-step-2", message((e) => {
  encoding.writeVarUint(e, syncMessage);
  syncProtocol.writeSyncStep2(e, client, Y.encodeStateVector(server));
}));
seed("frame", "query-awareness", message((e) => encoding.writeVarUint(e, queryAwarenessMessage)));

// Awareness as y-websocket and the web app set it: a user, a cursor, then
// leaving.
const awareness = new awarenessProtocol.Awareness(client);
awareness.setLocalState({
  user: { name: "Ana Ñ", color: "#30bced", page: "/s/igf/r/c-1" },
  cursor: { anchor: { type: null, tname: "text", item: { client: 2, clock: 3 } }, head: null },
});
const states = [];
states.push(awarenessProtocol.encodeAwarenessUpdate(awareness, [client.clientID]));
awareness.setLocalStateField("cursor", null);
states.push(awarenessProtocol.encodeAwarenessUpdate(awareness, [client.clientID]));
awareness.setLocalState(null);
states.push(awarenessProtocol.encodeAwarenessUpdate(awareness, [client.clientID]));
awareness.destroy();
states.forEach((state, i) => {
  seed("awareness", `state-${i}`, state);
  seed("frame", `awareness-${i}`, message((e) => {
    encoding.writeVarUint(e, awarenessMessage);
    encoding.writeVarUint8Array(e, state);
  }));
});

// Tokens as `draftroom token` makes them, under the token target's secret.
const secret = "fuzzing secret, 32 bytes long..";
function token(claims) {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = createHmac("sha256", secret).update(payload).digest("base64url");
  return `${payload}.${signature}`;
}
const later = 1_900_000_000;
seed("token", "member", token({ space: "igf", user: "ana", role: "member", exp: later }));
seed("token", "chair", token({ space: "igf", user: "chair", role: "chair", exp: later }));
seed("token", "expired", token({ space: "igf", user: "bo", role: "observer", exp: 1 }));
seed("token", "other-space", token({ space: "other", user: "bo", role: "vice-chair", exp: later }));
seed("token", "claims", JSON.stringify({ space: "igf", user: "ana", role: "member", exp: later }));

// One body per route, in the order `request_body` numbers them.
const bodies = [
  { id: "igf", title: "IGF 2026", topics: [{ letter: "C", title: "Funding" }] },
  { topic: "C", title: "Funding", text: "Fund the IGF.", fields: { tasks: "Write.", timeline: "2027" } },
  { status: "adopted", consensus: "strong-support" },
  { label: "B", text: "Voluntary only." },
  { label: "B, revised" },
  { for: "majority" },
  { title: "Shorter", text: "Fund it.", topic: "C", branch_of: "c-1" },
  { topic: "C" },
  { into: "c-1", as: "majority", position: 4, partial: true },
  { reason: "Out of scope." },
  { name: "First reading", recommendation: "c-1" },
  { user: "ana", role: "vice-chair", days: 7 },
];
bodies.forEach((body, route) => {
  seed("rest_body", `route-${route}`, Buffer.concat([Buffer.from([route]), Buffer.from(JSON.stringify(body))]));
});
seed("rest_body", "merge-new", Buffer.concat([Buffer.from([8]), Buffer.from('{"as":"new","topic":null}')]));
