// Drives the official @kintone/rest-api-client against a kintone server (the campuscard sandbox).
//
//   node tests/node/kintone_client.mjs compat < request.json
//   node tests/node/kintone_client.mjs bench  < request.json
//
// The request comes on STDIN as one JSON object, so API tokens and passwords never appear in
// argv; every secret it holds is also masked in anything this script prints.
//
// Common keys: baseUrl ("http://localhost:PORT"; the client accepts plain http only for
// localhost), auth ({"apiToken": [studentsToken, cardsToken]} or {"username", "password"}),
// guestSpaceId (optional), cardsApp, and for compat studentsApp.
//
// compat: addRecords (array of records), updateRecords (array of {id, revision?, record}),
//   queries (optional array of {app: "students"|"cards", query, fields?, totalCount?}).
//   Runs getFormFields on both apps, getAllRecords (no orderBy: seek by $id) on the students
//   and cards apps, getRecords for each query (one whose URL would pass 4 KB goes as a POST
//   with X-HTTP-Method-Override: GET), addAllRecords(addRecords),
//   updateAllRecords(updateRecords), then getAllRecords on cards again. Prints
//   {"formFields": {"students", "cards"}, "students", "cardsBefore", "queries", "added",
//   "updated", "cardsAfter"}: the apps' properties, record arrays and getRecords answers as the
//   client returned them, and the [{id, revision}] lists of the two writes.
// bench: records (array), statusField (default "status"), status (default "冻结").
//   addAllRecords(records), then updateAllRecords setting the status of every added record.
//   Prints {"add_seconds", "add_records", "update_seconds", "update_records"}; only the two
//   client calls are timed.
//
// Exit codes: 0 done; 3 a KintoneAllRecordsError, printed as {"error": "KintoneAllRecordsError",
// "step", "numOfProcessedRecords", "numOfAllRecords", "errorIndex", "processedRecords",
// "message", "cause": {name, code, status, id, bulkRequestIndex, errors, message}};
// 2 any other error, printed as {"error": name, "step", "message", ...the same cause fields};
// 64 a bad command line or request.

import dns from "node:dns";
import { performance } from "node:perf_hooks";

import {
  KintoneAllRecordsError,
  KintoneRestAPIClient,
  KintoneRestAPIError,
} from "@kintone/rest-api-client";

// "localhost" is the only plain-http host the client accepts; the sandbox listens on IPv4.
dns.setDefaultResultOrder("ipv4first");

const secrets = [];

function mask(text) {
  let out = text;
  for (const secret of secrets) {
    if (secret) {
      out = out.split(secret).join("***");
    }
  }
  return out;
}

function emit(value, stream = process.stdout) {
  stream.write(`${mask(JSON.stringify(value))}\n`);
}

function fail(code, value) {
  emit(value);
  process.exitCode = code;
}

async function readRequest() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const request = JSON.parse(text);
  if (request === null || typeof request !== "object" || Array.isArray(request)) {
    throw new TypeError("the request must be a JSON object");
  }
  return request;
}

function buildClient(request) {
  const auth = request.auth ?? {};
  if (Array.isArray(auth.apiToken)) {
    secrets.push(...auth.apiToken);
  } else if (typeof auth.apiToken === "string") {
    secrets.push(auth.apiToken);
  }
  if (typeof auth.password === "string") {
    secrets.push(auth.password);
  }
  const options = { baseUrl: request.baseUrl, auth };
  if (request.guestSpaceId !== undefined && request.guestSpaceId !== null) {
    options.guestSpaceId = request.guestSpaceId;
  }
  return new KintoneRestAPIClient(options);
}

// Only named, secret-free fields of an error: an HTTP library's error object can carry the
// request's headers (and so the credentials).
function describeCause(error) {
  if (error instanceof KintoneRestAPIError) {
    return {
      name: error.name,
      code: error.code,
      status: error.status,
      id: error.id,
      bulkRequestIndex: error.bulkRequestIndex ?? null,
      errors: error.errors ?? null,
      message: error.message,
    };
  }
  return { name: error?.name ?? "Error", message: String(error?.message ?? error) };
}

async function step(name, call) {
  try {
    return await call();
  } catch (error) {
    if (error !== null && typeof error === "object") {
      error.campuscardStep = name;
    }
    throw error;
  }
}

async function compat(client, request) {
  const students = request.studentsApp;
  const cards = request.cardsApp;
  const formFields = {
    students: (await step("getFormFields", () => client.app.getFormFields({ app: students })))
      .properties,
    cards: (await step("getFormFields", () => client.app.getFormFields({ app: cards })))
      .properties,
  };
  const studentRecords = await step("getAllRecords",
    () => client.record.getAllRecords({ app: students }));
  const cardsBefore = await step("getAllRecords", () => client.record.getAllRecords({ app: cards }));
  const queries = [];
  for (const { app, ...params } of request.queries ?? []) {
    const appId = app === "students" ? students : cards;
    queries.push(await step("getRecords", () => client.record.getRecords({ app: appId, ...params })));
  }
  const added = await step("addAllRecords",
    () => client.record.addAllRecords({ app: cards, records: request.addRecords ?? [] }));
  const updated = await step("updateAllRecords",
    () => client.record.updateAllRecords({ app: cards, records: request.updateRecords ?? [] }));
  const cardsAfter = await step("getAllRecords", () => client.record.getAllRecords({ app: cards }));
  return {
    formFields,
    students: studentRecords,
    cardsBefore,
    queries,
    added: added.records,
    updated: updated.records,
    cardsAfter,
  };
}

async function bench(client, request) {
  const app = request.cardsApp;
  const records = request.records ?? [];
  const field = request.statusField ?? "status";
  const status = request.status ?? "冻结";
  let started = performance.now();
  const added = await step("addAllRecords", () => client.record.addAllRecords({ app, records }));
  const addSeconds = (performance.now() - started) / 1000;
  const updates = added.records.map(({ id }) => ({ id, record: { [field]: { value: status } } }));
  started = performance.now();
  const updated = await step("updateAllRecords",
    () => client.record.updateAllRecords({ app, records: updates }));
  const updateSeconds = (performance.now() - started) / 1000;
  return {
    add_seconds: Number(addSeconds.toFixed(3)),
    add_records: added.records.length,
    update_seconds: Number(updateSeconds.toFixed(3)),
    update_records: updated.records.length,
  };
}

const COMMANDS = { compat, bench };

async function main() {
  const name = process.argv[2];
  const command = COMMANDS[name];
  if (command === undefined || process.argv.length !== 3) {
    process.stderr.write("usage: node kintone_client.mjs compat|bench < request.json\n");
    process.exitCode = 64;
    return;
  }
  let request;
  let client;
  try {
    request = await readRequest();
    client = buildClient(request);
  } catch (error) {
    fail(64, { error: "BadRequest", message: String(error?.message ?? error) });
    return;
  }
  try {
    emit(await command(client, request));
  } catch (error) {
    const stepName = error?.campuscardStep ?? null;
    if (error instanceof KintoneAllRecordsError) {
      fail(3, {
        error: "KintoneAllRecordsError",
        step: stepName,
        numOfProcessedRecords: error.numOfProcessedRecords,
        numOfAllRecords: error.numOfAllRecords,
        errorIndex: error.errorIndex ?? null,
        processedRecords: error.processedRecordsResult?.records ?? [],
        message: error.message,
        cause: describeCause(error.error),
      });
      return;
    }
    fail(2, { error: error?.name ?? "Error", step: stepName, ...describeCause(error) });
  }
}

await main();
