// One ChromaDB cold start, timed exactly like the baseline's bench.mjs (coldStart): spawn
// `chroma run` on the persisted collection, poll the heartbeat every 5 ms, then a new ChromaClient,
// getCollection and a k=10 query with query vector 0 (default include: documents, metadatas,
// distances); stop with SIGINT. Prints one JSON line. Used by `ancla bench coldstart --chroma DIR`
// to interleave Chroma's cold starts with Ancla's.
//
//   node bench/chroma-coldstart.mjs --base /work/chroma-baseline --n 13457
// Needs a finished `run.sh N` in --base (install/, data/chroma-nN-seed42, glibc/ if it was needed).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.indexOf(`--${name}`) >= 0 ? argv[argv.indexOf(`--${name}`) + 1] : def);
const BASE = path.resolve(arg("base", process.env.CHROMA_BASELINE_DIR || "/tmp/chroma-baseline"));
const N = parseInt(arg("n", "13457"), 10);
const SEED = parseInt(arg("seed", "42"), 10);
const SRC = arg("baseline-src", "/work/shared/baselines/chroma");
const PORT = parseInt(arg("port", "8765"), 10);
const HOST = "127.0.0.1";
const K = 10;

const V = await import(pathToFileURL(path.join(SRC, "vectors.mjs")).href);
const { ChromaClient } = await import(
  pathToFileURL(path.join(BASE, "install/node_modules/chromadb/dist/chromadb.mjs")).href
);
const dataDir = path.join(BASE, "data", `chroma-n${N}-seed${SEED}`);
if (!fs.existsSync(dataDir)) throw new Error(`${dataDir} is missing; run run.sh ${N} first`);
const cli = path.join(BASE, "install/node_modules/chromadb/dist/cli.mjs");
const ld = path.join(BASE, "glibc/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
const cliArgs = [cli, "run", "--path", dataDir, "--host", HOST, "--port", String(PORT)];
const [cmd, args] = fs.existsSync(ld)
  ? [ld, ["--library-path", path.dirname(ld), process.execPath, ...cliArgs]]
  : [process.execPath, cliArgs];

const queryVector = Array.from(V.makeQueryVectors(SEED, 1).subarray(0, V.DIM));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function heartbeatOk() {
  try {
    const r = await fetch(`http://${HOST}:${PORT}/api/v2/heartbeat`, { signal: AbortSignal.timeout(2000) });
    await r.arrayBuffer();
    return r.ok;
  } catch {
    return false;
  }
}

// user + sys CPU of the server process so far, from /proc (clock ticks, 10 ms each)
function serverCpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (parseInt(fields[11], 10) + parseInt(fields[12], 10)) * 10;
}

if (await heartbeatOk()) throw new Error(`something already listens on ${HOST}:${PORT}`);
const t0 = performance.now();
const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, NO_COLOR: "1" } });
let exited = null;
child.on("exit", (code, sig) => (exited = { code, sig }));
while (!(await heartbeatOk())) {
  if (exited) throw new Error(`chroma exited early ${JSON.stringify(exited)}`);
  if (performance.now() - t0 > 120_000) throw new Error("chroma not ready after 120 s");
  await sleep(5);
}
const tReady = performance.now();
const client = new ChromaClient({ host: HOST, port: PORT });
const coll = await client.getCollection({ name: "bench" });
const r = await coll.query({ queryEmbeddings: [queryVector], nResults: K });
const tFirst = performance.now();
const cpuMs = serverCpuMs(child.pid);
if (r.ids[0].length !== K) throw new Error(`query returned ${r.ids[0].length} ids`);
const done = new Promise((res) => child.once("exit", res));
child.kill("SIGINT");
await done;
while (await heartbeatOk()) await sleep(5);
console.log(JSON.stringify({
  ready_ms: Math.round((tReady - t0) * 10) / 10,
  first_result_ms: Math.round((tFirst - t0) * 10) / 10,
  server_cpu_ms: cpuMs,
  ids: r.ids[0].map((id) => parseInt(id.slice(4), 10)),
}));
