#!/usr/bin/env node
// Peer benchmark: PouchDB replicating the same appointment records that
// Tributary's sync_bench pushes, so docs/performance.md can set the two side
// by side from one run on one machine.
//
//   node pouch_bench.js --csv-dir DIR [--work-dir DIR] [--batch-size N]
//
// DIR holds one GPAD-shaped CSV per practice, <PRACTICE>.csv. Each practice
// gets its own local on-disk PouchDB (our agent's outbox) and its own remote
// database on ONE express-pouchdb server (our server), run in a child process
// so that, like tributary-server, it has an event loop and a core of its own.
//
// One JSON line goes to stdout; progress goes to stderr.
//
// This same file is also the server child: `node pouch_bench.js --serve-child`
// (started by the parent with fork(); not for use by hand).
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const USAGE = 'usage: node pouch_bench.js --csv-dir DIR [--work-dir DIR] [--batch-size N]\n';

// The CSV columns, in the order that makes a record's identity, and the
// lowercase field each becomes in a document body (the names the Tributary
// server stores). COUNT_OF_APPOINTMENTS is the value, not part of the key.
const KEY_COLUMNS = [
  ['APPOINTMENT_DATE', 'appointment_date'],
  ['GP_CODE', 'practice'],
  ['HCP_TYPE', 'hcp_type'],
  ['APPT_MODE', 'appt_mode'],
  ['APPT_STATUS', 'appt_status'],
  ['TIME_BETWEEN_BOOK_AND_APPT', 'booking_interval'],
  ['NATIONAL_CATEGORY', 'national_category'],
];
const VALUE_COLUMN = ['COUNT_OF_APPOINTMENTS', 'count'];

// Rows per local bulkDocs call while loading. Only loading uses it, and
// loading is not timed; it just keeps each leveldb batch a sensible size.
const LOAD_CHUNK = 1000;

// PouchDB's own default replication batch size: the figure a PouchDB user
// gets without tuning. --batch-size changes it (Tributary's agent sends 5,000).
const DEFAULT_BATCH_SIZE = 100;

function log(message) {
  process.stderr.write(`pouch_bench: ${message}\n`);
}

// ---------------------------------------------------------------------------
// Server child
// ---------------------------------------------------------------------------

// Runs express-pouchdb on 127.0.0.1:0, storing leveldb databases under
// dataDir, and answers the parent's 'stats' messages with the bytes and
// requests seen so far at its own sockets. Counting here, at the server's
// sockets, measures what crossed the wire (headers, gzip and all) without a
// proxy that would add a hop of its own to the timing.
function serveChild(dataDir) {
  const PouchDB = require('pouchdb');
  const express = require('express');
  const expressPouchDB = require('express-pouchdb');

  const ServerPouch = PouchDB.defaults({ prefix: dataDir + path.sep });
  const app = express();
  // minimumForPouchDB serves exactly the routes replication needs (and no
  // Fauxton, auth or config API); inMemoryConfig and logPath stop it writing
  // config.json and log.txt into the current directory.
  app.use('/', expressPouchDB(ServerPouch, {
    mode: 'minimumForPouchDB',
    inMemoryConfig: true,
    logPath: path.join(dataDir, 'log.txt'),
  }));

  const server = http.createServer(app);
  // Keep-alive sockets outlive a phase, so a snapshot adds the live sockets'
  // counters to those of the sockets already closed.
  const live = new Set();
  const closed = { bytesRead: 0, bytesWritten: 0, connections: 0 };
  let requests = 0;
  // Requests by method and route (database names folded to /db), so the
  // progress log can say where the round trips go.
  const byRoute = {};
  server.on('connection', (socket) => {
    live.add(socket);
    socket.on('close', () => {
      live.delete(socket);
      closed.bytesRead += socket.bytesRead;
      closed.bytesWritten += socket.bytesWritten;
      closed.connections += 1;
    });
  });
  server.on('request', (req) => {
    requests += 1;
    const route = req.method + ' ' + req.url.split('?')[0]
      .replace(/^\/[^/_][^/]*/, '/db').replace(/(\/_local)\/.*/, '$1/*');
    byRoute[route] = (byRoute[route] || 0) + 1;
  });

  process.on('message', (message) => {
    if (message && message.type === 'stats') {
      let bytesRead = closed.bytesRead;
      let bytesWritten = closed.bytesWritten;
      for (const socket of live) {
        bytesRead += socket.bytesRead;
        bytesWritten += socket.bytesWritten;
      }
      const cpu = process.cpuUsage();
      process.send({
        type: 'stats',
        id: message.id,
        stats: {
          bytesReceived: bytesRead,
          bytesSent: bytesWritten,
          requests,
          connections: closed.connections + live.size,
          // Which side is the bottleneck: the server's CPU time so far.
          serverCpuSeconds: (cpu.user + cpu.system) / 1e6,
        },
        byRoute: { ...byRoute },
      });
    }
  });
  // If the parent dies (even by SIGKILL) the IPC channel closes: go too, so
  // no orphan server keeps a core busy on a shared machine.
  process.on('disconnect', () => process.exit(0));

  server.listen(0, '127.0.0.1', () => {
    process.send({ type: 'listening', port: server.address().port });
  });
}

// ---------------------------------------------------------------------------
// Parent: options, CSV reading
// ---------------------------------------------------------------------------

function parseArgs(argv) {
  const options = { csvDir: null, workDir: null, batchSize: DEFAULT_BATCH_SIZE };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    if (value === undefined) usageError(`${flag} needs a value`);
    if (flag === '--csv-dir') options.csvDir = value;
    else if (flag === '--work-dir') options.workDir = value;
    else if (flag === '--batch-size') {
      options.batchSize = Number(value);
      if (!Number.isInteger(options.batchSize) || options.batchSize <= 0) {
        usageError('--batch-size needs a positive integer');
      }
    } else usageError(`unknown option '${flag}'`);
    i++;
  }
  if (!options.csvDir) usageError('--csv-dir is required');
  return options;
}

function usageError(message) {
  process.stderr.write(`pouch_bench: ${message}\n${USAGE}`);
  process.exit(2);
}

// Splits CSV text into rows of fields (RFC 4180: quoted fields may hold
// commas, doubled quotes and newlines). NHS England's code lists hold no
// commas today, but a real export quotes as it likes.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      rows.push(row); row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  // A blank line is not a record.
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

// Reads <PRACTICE>.csv into documents keyed by the record's identity. A key
// seen twice keeps its last row, as an upsert would; the count of such rows
// is reported so a generator bug is not mistaken for a result.
function readPractice(file) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`${file}: empty`);
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  for (const [column] of [...KEY_COLUMNS, VALUE_COLUMN]) {
    if (!index.has(column)) throw new Error(`${file}: no ${column} column`);
  }
  const docs = new Map();
  rows.forEach((row, n) => {
    if (row.length !== header.length) {
      throw new Error(`${file}: row ${n + 2} has ${row.length} fields, expected ${header.length}`);
    }
    const doc = {};
    const key = [];
    for (const [column, name] of KEY_COLUMNS) {
      const v = row[index.get(column)];
      key.push(v);
      doc[name] = v;
    }
    doc[VALUE_COLUMN[1]] = row[index.get(VALUE_COLUMN[0])];
    doc._id = key.join('|');
    docs.set(doc._id, doc);
  });
  return { docs: [...docs.values()], duplicates: rows.length - docs.size };
}

// CouchDB database names must be lowercase and start with a letter; practice
// codes (e.g. B00001) are uppercase, so each practice gets practice_<code>.
function remoteDbName(practice) {
  return 'practice_' + practice.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

// ---------------------------------------------------------------------------
// Parent: server child control
// ---------------------------------------------------------------------------

function startServer(dataDir) {
  // The child's stdout is sent to our stderr: stdout carries only the result.
  const child = childProcess.fork(__filename, ['--serve-child', dataDir], {
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  let nextId = 0;
  const pending = new Map();
  child.on('message', (message) => {
    if (message.type === 'stats' && pending.has(message.id)) {
      pending.get(message.id)(message.stats, message.byRoute);
      pending.delete(message.id);
    }
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = new Promise((resolve, reject) => {
    child.on('message', (m) => { if (m.type === 'listening') resolve(m.port); });
    exited.then((code) => reject(new Error(`server child exited (${code}) before listening`)));
  });
  return {
    child,
    exited,
    port,
    // Asks the child for its socket counters now.
    // The parent's own CPU time (the agents' side) rides along.
    stats() {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (stats, byRoute) => {
          const cpu = process.cpuUsage();
          resolve({ ...stats, clientCpuSeconds: (cpu.user + cpu.system) / 1e6, byRoute });
        });
        child.send({ type: 'stats', id });
        exited.then(() => reject(new Error('server child exited')));
      });
    },
    // SIGTERM, then SIGKILL if it has not gone in 5 s: cleanup must finish.
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// What happened between two stats snapshots.
function delta(after, before) {
  const d = {};
  for (const k of Object.keys(after)) {
    if (typeof after[k] === 'number') d[k] = after[k] - before[k];
  }
  d.bytes = d.bytesReceived + d.bytesSent;
  d.byRoute = {};
  for (const [route, n] of Object.entries(after.byRoute)) {
    const diff = n - (before.byRoute[route] || 0);
    if (diff > 0) d.byRoute[route] = diff;
  }
  return d;
}

function routes(d) {
  return Object.entries(d.byRoute).sort((a, b) => b[1] - a[1])
    .map(([route, n]) => `${n} ${route}`).join(', ');
}

// ---------------------------------------------------------------------------
// Parent: the benchmark
// ---------------------------------------------------------------------------

// Replicates every practice's local database to its remote at once and waits
// for the last. Each run makes fresh remote handles, as each tributary-agent
// sync is a fresh process: their set-up requests (GET / and GET /db/) are
// counted too.
async function replicateAll(PouchDB, practices, remoteUrl, batchSize) {
  const results = await Promise.all(practices.map((p) => {
    const remote = new PouchDB(remoteUrl(p));
    return PouchDB.replicate(p.local, remote, { batch_size: batchSize });
  }));
  for (const [i, r] of results.entries()) {
    if (!r.ok || r.doc_write_failures > 0 || (r.errors && r.errors.length > 0)) {
      throw new Error(`replication of ${practices[i].name} failed: ` +
                      JSON.stringify({ ok: r.ok, failures: r.doc_write_failures, errors: r.errors }));
    }
  }
  return results.reduce((n, r) => n + r.docs_written, 0);
}

async function run(options, state) {
  const csvDir = path.resolve(options.csvDir);
  const files = fs.readdirSync(csvDir).filter((f) => f.endsWith('.csv')).sort();
  if (files.length === 0) throw new Error(`no .csv files in ${csvDir}`);

  // The work dir is always one this run creates (inside --work-dir if given),
  // so removing it at the end can never remove anything else.
  const parent = path.resolve(options.workDir || os.tmpdir());
  fs.mkdirSync(parent, { recursive: true });
  state.workDir = fs.mkdtempSync(path.join(parent, 'pouch-bench-'));
  const serverDir = path.join(state.workDir, 'server');
  const localDir = path.join(state.workDir, 'local');
  fs.mkdirSync(serverDir);
  fs.mkdirSync(localDir);
  log(`work dir ${state.workDir}`);

  // Loaded after the argument check so --help works without node_modules.
  const PouchDB = require('pouchdb');
  const LocalPouch = PouchDB.defaults({ prefix: localDir + path.sep });

  state.server = startServer(serverDir);
  const port = await state.server.port;
  const base = `http://127.0.0.1:${port}`;
  log(`express-pouchdb (PouchDB ${PouchDB.version}) listening on 127.0.0.1:${port}`);
  const remoteUrl = (p) => `${base}/${p.remoteName}`;

  // Load (not timed): one local on-disk database per practice.
  const practices = [];
  const remoteNames = new Set();
  let total = 0;
  for (const file of files) {
    const name = path.basename(file, '.csv');
    const { docs, duplicates } = readPractice(path.join(csvDir, file));
    if (duplicates > 0) log(`${file}: ${duplicates} rows repeat an earlier key; the last is kept`);
    const remoteName = remoteDbName(name);
    if (remoteNames.has(remoteName)) throw new Error(`${file}: remote name ${remoteName} taken`);
    remoteNames.add(remoteName);
    const local = new LocalPouch(name);
    state.locals.push(local);
    for (let i = 0; i < docs.length; i += LOAD_CHUNK) {
      const results = await local.bulkDocs(docs.slice(i, i + LOAD_CHUNK));
      const failed = results.filter((r) => r.error);
      if (failed.length > 0) throw new Error(`${file}: loading failed: ${JSON.stringify(failed[0])}`);
    }
    practices.push({ name, remoteName, local, records: docs.length });
    total += docs.length;
    log(`loaded ${name}: ${docs.length} records`);
  }

  // The server's databases exist before the clock starts, as our agents are
  // enrolled before sync_bench times them. Creating them is not timed or counted.
  for (const p of practices) {
    const remote = new PouchDB(remoteUrl(p));
    await remote.info();
    await remote.close();
  }

  // 1. Initial replication of everything, all practices at once.
  log(`replicating ${practices.length} practices x ~${Math.round(total / practices.length)} ` +
      `records (batch_size ${options.batchSize})...`);
  let before = await state.server.stats();
  let start = process.hrtime.bigint();
  const written = await replicateAll(PouchDB, practices, remoteUrl, options.batchSize);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const initial = delta(await state.server.stats(), before);
  log(`initial: ${seconds.toFixed(2)} s, ${initial.requests} requests, ${initial.bytes} bytes ` +
      `(${routes(initial)})`);

  // A fast run that lost rows measures nothing: every document must be there.
  // (Checked after the counters are read, so the checks are not counted.)
  let missing = 0;
  for (const p of practices) {
    const remote = new PouchDB(remoteUrl(p));
    const info = await remote.info();
    await remote.close();
    if (info.doc_count !== p.records) {
      log(`${p.remoteName} holds ${info.doc_count} documents, expected ${p.records}`);
      missing += 1;
    }
  }
  if (missing > 0 || written !== total) {
    throw new Error(`the server does not hold every record (${written} of ${total} written)`);
  }

  // 2. No-op sync: nothing changed, so this is the cost of an agent asking.
  before = await state.server.stats();
  start = process.hrtime.bigint();
  const noopWritten = await replicateAll(PouchDB, practices, remoteUrl, options.batchSize);
  const noopSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const noop = delta(await state.server.stats(), before);
  if (noopWritten !== 0) throw new Error(`no-op sync wrote ${noopWritten} documents`);
  log(`no-op: ${noopSeconds.toFixed(2)} s, ${noop.requests} requests, ${noop.bytes} bytes ` +
      `(${routes(noop)})`);

  // 3. Change 1% of each practice's documents (every 100th by key, at least
  // one) locally, not timed, then time replicating the changes.
  let changedTotal = 0;
  for (const p of practices) {
    const all = await p.local.allDocs({ include_docs: true });
    const picked = all.rows.filter((_, i) => i % 100 === 0).map((r) => r.doc);
    // (count + 1) mod 21 always differs from count, so every pick is a change.
    for (const doc of picked) doc.count = String((Number(doc.count) + 1) % 21);
    const results = await p.local.bulkDocs(picked);
    const failed = results.filter((r) => r.error);
    if (failed.length > 0) throw new Error(`${p.name}: update failed: ${JSON.stringify(failed[0])}`);
    changedTotal += picked.length;
  }
  log(`changed ${changedTotal} documents (1%); replicating...`);
  before = await state.server.stats();
  start = process.hrtime.bigint();
  const onePercentWritten = await replicateAll(PouchDB, practices, remoteUrl, options.batchSize);
  const onePercentSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const onePercent = delta(await state.server.stats(), before);
  log(`1%: ${onePercentSeconds.toFixed(2)} s, ${onePercent.requests} requests, ` +
      `${onePercent.bytes} bytes (${routes(onePercent)})`);

  // The changed values must have arrived, not just some revision: compare
  // every remote document's fields with the local one.
  if (onePercentWritten !== changedTotal) {
    throw new Error(`1% sync wrote ${onePercentWritten} documents, expected ${changedTotal}`);
  }
  const fields = [...KEY_COLUMNS.map(([, f]) => f), VALUE_COLUMN[1]];
  for (const p of practices) {
    const remote = new PouchDB(remoteUrl(p));
    const [l, r] = await Promise.all([p.local.allDocs({ include_docs: true }),
                                      remote.allDocs({ include_docs: true })]);
    await remote.close();
    const differs = l.rows.length !== r.rows.length || l.rows.some((row, i) =>
      row.id !== r.rows[i].id || fields.some((f) => row.doc[f] !== r.rows[i].doc[f]));
    if (differs) throw new Error(`${p.remoteName} differs from ${p.name}'s local database`);
  }

  const n = practices.length;
  const round = (x, digits) => Number(x.toFixed(digits));
  return {
    peer: 'pouchdb',
    pouchdb_version: PouchDB.version,
    express_pouchdb_version: require('express-pouchdb/package.json').version,
    node_version: process.versions.node,
    server_port: port,
    batch_size: options.batchSize,
    practices: n,
    records: total,
    seconds: round(seconds, 3),
    records_per_second: Math.round(total / seconds),
    bytes: initial.bytes,
    bytes_received: initial.bytesReceived,
    bytes_sent: initial.bytesSent,
    bytes_per_record: round(initial.bytes / total, 1),
    requests: initial.requests,
    connections: initial.connections,
    server_cpu_seconds: round(initial.serverCpuSeconds, 2),
    client_cpu_seconds: round(initial.clientCpuSeconds, 2),
    noop_seconds: round(noopSeconds, 3),
    noop_requests_per_agent: round(noop.requests / n, 2),
    noop_bytes_per_agent: Math.round(noop.bytes / n),
    one_percent_records: changedTotal,
    one_percent_seconds: round(onePercentSeconds, 3),
    one_percent_requests_per_agent: round(onePercent.requests / n, 2),
    one_percent_bytes_per_agent: Math.round(onePercent.bytes / n),
  };
}

// Kills the server and removes the work dir, whatever happened before. A
// signal and the failing run it causes both call this: the second call gets
// the first one's promise instead of closing everything twice.
function cleanup(state) {
  if (!state.cleaning) {
    state.cleaning = (async () => {
      for (const db of state.locals) {
        try { await db.close(); } catch (_) { /* closing is best effort */ }
      }
      if (state.server) {
        try { await state.server.stop(); } catch (_) { /* already gone */ }
      }
      if (state.workDir) fs.rmSync(state.workDir, { recursive: true, force: true });
    })();
  }
  return state.cleaning;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const state = { workDir: null, server: null, locals: [], cleaning: null, signal: null };
  // Ctrl-C or a kill must not leave a server child or gigabytes of leveldb.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      state.signal = signal;
      cleanup(state).finally(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
  let code = 0;
  try {
    const result = await run(options, state);
    process.stdout.write(JSON.stringify(result) + '\n');
  } catch (err) {
    // After a signal the run fails because its databases were closed under
    // it: that is not worth a stack trace.
    if (!state.signal) log(`error: ${err && err.stack ? err.stack : err}`);
    code = 1;
  } finally {
    await cleanup(state);
  }
  if (state.signal) code = 128 + os.constants.signals[state.signal];
  process.exit(code);
}

if (process.argv[2] === '--serve-child') serveChild(process.argv[3]);
else main();
