import { execSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { parseUnits } from "ethers";
import postgres from "postgres";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { deployContracts, startHardhatNode } from "@/contracts/local-chain";
import { serverActionsInBuild } from "@/e2e/authorization/inventory";
import { actionResultFrom } from "@/e2e/support/action-result";
import { startFakeLlm } from "@/test/fake-llm";
import { signedDelivery, stripeEvent, TEST_STRIPE_KEY, TEST_WEBHOOK_SECRET } from "@/test/stripe";
import { startTcpProxy } from "@/test/tcp-proxy";

import { hasProductionBuild, notBuilt, serverEnv, signIn, startServer, stopServer, type Server } from "../app-server";
import { type Check, type Scenario } from "../harness";

/**
 * Scripted faults against the production server on real PostgreSQL (`npm run bench -- faults`;
 * CI: `npm run faults:ci`, shorter): PostgreSQL stopped and started in the middle of a mixed load
 * (reads, uploads, agent votes, signed Stripe webhooks), then the LLM and the chain RPC cut and
 * restored, then a block file corrupted on disk. Everything acknowledged must be there, once.
 */
const SECONDS = Number(process.env.FAULTS_SECONDS ?? 60);
const OUTAGE_SECONDS = Number(process.env.FAULTS_OUTAGE_SECONDS ?? 6);
const CONNECTIONS = 10;
const AGENT_TOKEN = `faults-agent-token-${randomBytes(16).toString("hex")}`;
/** A request overlapping the outage may take this long to fail (connect timeout 2 s + margin). */
const FAIL_FAST_MS = 5_000;

type Op = "list" | "stats" | "detail" | "upload" | "vote" | "webhook";
const MIX: Op[] = ["list", "list", "list", "stats", "stats", "detail", "upload", "upload", "vote", "webhook"];

interface Sample {
  op: Op;
  t0: number;
  t1: number;
  status: number; // 0: connection error
}

function pgControl(): { stop: string; start: string } {
  if (process.env.FAULTS_PG_STOP && process.env.FAULTS_PG_START) return { stop: process.env.FAULTS_PG_STOP, start: process.env.FAULTS_PG_START };
  const version = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(a) - Number(b)).pop();
  return { stop: `pg_ctlcluster ${version} main stop -m fast`, start: `pg_ctlcluster ${version} main start` };
}

async function callAction(origin: string, cookie: string, key: string, args: unknown[]): Promise<{ ok: boolean; status?: number; error?: string; data?: unknown }> {
  const action = serverActionsInBuild().find((a) => a.key === key);
  if (!action) throw new Error(`no server action ${key} in the build`);
  const res = await fetch(`${origin}${action.pagePath}`, {
    method: "POST",
    headers: { "next-action": action.id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin, cookie },
    body: JSON.stringify(args),
  });
  return actionResultFrom(await res.text()) ?? { ok: false, status: res.status };
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function uploadCsv(origin: string, cookie: string, title: string): Promise<{ status: number; id?: string; bytes: Buffer }> {
  const bytes = Buffer.from(`name,value\n${title},${randomBytes(8).toString("hex")}\n`);
  const form = new FormData();
  form.append("title", title);
  form.append("file_type", "dataset");
  form.append("file", new Blob([bytes], { type: "text/csv" }), `${title}.csv`);
  const res = await fetch(`${origin}/api/v1/contributions`, { method: "POST", headers: { cookie, origin }, body: form, signal: AbortSignal.timeout(30_000) });
  const body = (await res.json().catch(() => ({}))) as { id?: string };
  return { status: res.status, id: body.id, bytes };
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not reached within ${ms} ms`);
    await sleep(200);
  }
}

export const faults: Scenario = {
  name: "faults",
  title: "faults: PostgreSQL restart under load, LLM and chain RPC outages, a corrupted block",
  async run(ctx) {
    if (!hasProductionBuild()) return notBuilt("faults");
    const dbUrl = new URL(ctx.databaseUrl);
    const faultsDb = `${dbUrl.pathname.slice(1)}_faults`;
    await ctx.sql.unsafe(`DROP DATABASE IF EXISTS "${faultsDb}" WITH (FORCE)`);
    await ctx.sql.unsafe(`CREATE DATABASE "${faultsDb}"`);
    dbUrl.pathname = `/${faultsDb}`;
    const url = dbUrl.toString();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "nwu-faults-"));
    const adminKey = generatePrivateKey();
    const adminAddress = privateKeyToAccount(adminKey).address;

    const chain = await startHardhatNode();
    const deployment = await deployContracts(chain.url);
    const rpcProxy = await startTcpProxy("127.0.0.1", chain.port);
    const llm = await startFakeLlm();
    llm.mode = { kind: "content", content: JSON.stringify({ vote_score: 90, sub_scores: { quality: 90, originality: 90, utility: 90, documentation: 90 }, reasoning: "fine" }) };
    const llmPort = Number(new URL(llm.url).port);
    const llmProxy = await startTcpProxy("127.0.0.1", llmPort);
    const env = {
      ...serverEnv(url, dataDir),
      ...deployment.env,
      CHAIN_RPC_URL: `http://127.0.0.1:${rpcProxy.port}`,
      CHAIN_TIMEOUT_MS: "1000",
      LLM_BASE_URL: `http://127.0.0.1:${llmProxy.port}/v1`,
      LLM_API_KEY: "faults",
      LLM_MODEL: "fake-model",
      LLM_TIMEOUT_MS: "1000",
      CIRCUIT_COOLDOWN_MS: "3000",
      AGENT_TOKEN,
      ADMIN_ADDRESSES: adminAddress,
      STRIPE_SECRET_KEY: TEST_STRIPE_KEY,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      DB_CONNECT_TIMEOUT_S: "2",
      WORKERS: "in-process",
    };
    const prepared = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"], { env: { ...env, SEED_DEMO: "off" }, encoding: "utf8" });
    if (prepared.status !== 0) throw new Error(`prepare-db failed: ${prepared.stderr}`);

    const check = postgres(url, { max: 2, onnotice: () => {} });
    let server: Server | undefined;
    const rows: string[][] = [];
    const checks: Check[] = [];
    const notes: string[] = [];
    try {
      server = await startServer(env, { from: 3470, to: 3499 });
      const origin = server.origin;
      const user = await signIn(origin);
      const admin = await signIn(origin, adminKey);

      // ---- Phase A: PostgreSQL stopped and started under a mixed load.
      const samples: Sample[] = [];
      const uploads: { id: string; sha: string; bytes: Buffer }[] = [];
      const votes: { contributionId: string; agentId: string }[] = [];
      const webhooks: string[] = [];
      let n = 0;
      const { stop, start } = pgControl();
      const began = Date.now();
      const end = began + SECONDS * 1000;
      let outage: { stoppedAt: number; startedAt: number } | undefined;
      let restartError: string | undefined;
      let readyAt = 0;
      const restart = (async () => {
        await sleep((SECONDS * 1000) / 3);
        const stoppedAt = Date.now();
        try {
          execSync(stop, { stdio: "pipe" });
          await sleep(OUTAGE_SECONDS * 1000);
          execSync(start, { stdio: "pipe" });
        } catch (error) {
          restartError = (error as { stderr?: Buffer }).stderr?.toString() || String(error);
        }
        outage = { stoppedAt, startedAt: Date.now() };
        // Recovery, measured while the load goes on: the first ready answer after the start.
        readyAt = await until("ready after the restart", async () => ((await fetch(`${origin}/api/health/ready`, { signal: AbortSignal.timeout(5_000) })).ok ? Date.now() : undefined), 60_000);
      })();
      const one = async (op: Op) => {
        const i = n++;
        const t0 = Date.now();
        let status = 0;
        try {
          if (op === "list") status = (await fetch(`${origin}/api/v1/contributions?limit=20`, { signal: AbortSignal.timeout(30_000) })).status;
          else if (op === "stats") status = (await fetch(`${origin}/api/v1/users/${user.address}/stats`, { signal: AbortSignal.timeout(30_000) })).status;
          else if (op === "detail") {
            const target = uploads[i % Math.max(1, uploads.length)];
            status = target ? (await fetch(`${origin}/api/v1/contributions/${target.id}`, { signal: AbortSignal.timeout(30_000) })).status : 200;
          } else if (op === "upload") {
            const r = await uploadCsv(origin, user.cookie, `fault-${i}`);
            status = r.status;
            if (r.status === 201 && r.id) uploads.push({ id: r.id, sha: sha256(r.bytes), bytes: r.bytes });
          } else if (op === "vote") {
            const target = uploads[i % Math.max(1, uploads.length)];
            if (!target) status = 200;
            else {
              const agentId = `fault-agent-${i}`;
              const res = await fetch(`${origin}/api/v1/verifications`, {
                method: "POST",
                headers: { authorization: `Bearer ${AGENT_TOKEN}`, "content-type": "application/json" },
                body: JSON.stringify({ contribution_id: target.id, agent_id: agentId, vote_score: 80, reasoning: "fault run" }),
                signal: AbortSignal.timeout(30_000),
              });
              status = res.status;
              if (status === 201) votes.push({ contributionId: target.id, agentId });
            }
          } else {
            const event = stripeEvent("customer.created", { id: `cus_fault_${i}`, object: "customer" });
            const { payload, header } = signedDelivery(event);
            const res = await fetch(`${origin}/api/stripe/webhook`, { method: "POST", headers: { "stripe-signature": header, "content-type": "application/json" }, body: payload, signal: AbortSignal.timeout(30_000) });
            status = res.status;
            if (status === 200) webhooks.push(event.id);
          }
        } catch {
          status = 0;
        }
        samples.push({ op, t0, t1: Date.now(), status });
      };
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, c) => {
          for (let k = c; Date.now() < end; k++) await one(MIX[k % MIX.length]!);
        }),
      );
      await restart;
      const ready = readyAt;
      const window = outage!;
      // Recovery allowance after the start: pooled connections reconnect (backoff ≤ 1 s each) on a busy machine.
      const grace = 5_000;
      const during = (s: Sample) => s.t1 >= window.stoppedAt && s.t0 <= window.startedAt + grace;
      const outside = samples.filter((s) => !during(s));
      const inside = samples.filter(during);
      const bad = (s: Sample) => s.status === 0 || s.status >= 500;
      const outside5xx = outside.filter(bad).length;
      const rel = (t: number) => `${((t - window.startedAt) / 1000).toFixed(1)} s`;
      const outsideDetails = outside.filter(bad).map((s) => `${s.op} ${s.status || "connection error"} from ${rel(s.t0)} to ${rel(s.t1)} after the start`);
      const insideFailed = inside.filter((s) => s.status >= 500 || s.status === 0);
      const insideNot503 = insideFailed.filter((s) => s.status !== 503).length;
      const slowestFailureMs = Math.max(0, ...insideFailed.map((s) => s.t1 - s.t0));
      const slowFailures = insideFailed.filter((s) => s.t1 - s.t0 > FAIL_FAST_MS).map((s) => `${s.op} ${s.status} ${((s.t1 - s.t0) / 1000).toFixed(1)} s (from ${((s.t0 - window.stoppedAt) / 1000).toFixed(1)} s after the stop)`);

      // Everything acknowledged is there, once.
      const uploadRows = uploads.length ? await check`SELECT count(*)::int AS n FROM contributions WHERE id IN ${check(uploads.map((u) => u.id))}` : [{ n: 0 }];
      let downloadsOk = 0;
      for (const u of uploads) {
        const res = await fetch(`${origin}/api/v1/contributions/${u.id}/file`);
        if (res.ok && sha256(Buffer.from(await res.arrayBuffer())) === u.sha) downloadsOk++;
      }
      let votesOnce = 0;
      for (const v of votes) {
        const [r] = await check`SELECT count(*)::int AS n FROM verifications WHERE contribution_id = ${v.contributionId} AND agent_id = ${v.agentId}`;
        if (r!.n === 1) votesOnce++;
      }
      const hookRows = webhooks.length ? await check`SELECT count(*)::int AS n FROM stripe_events WHERE id IN ${check(webhooks)}` : [{ n: 0 }];
      const byOp = (op: Op) => samples.filter((s) => s.op === op);
      for (const op of ["list", "stats", "detail", "upload", "vote", "webhook"] as Op[]) {
        const s = byOp(op);
        rows.push([`A: ${op}`, String(s.length), String(s.filter((x) => x.status >= 200 && x.status < 300).length), String(s.filter((x) => x.status === 503).length), String(s.filter((x) => x.status >= 400 && x.status < 500).length), String(s.filter(bad).filter((x) => !during(x)).length)]);
      }
      checks.push(
        { label: `PostgreSQL stopped for ${OUTAGE_SECONDS} s and started again (${stop} / ${start})${restartError ? `: FAILED ${restartError.slice(0, 200)}` : ""}`, pass: !restartError },
        { label: `0 × 5xx and 0 connection errors outside the outage window (${outside5xx} of ${outside.length}${outsideDetails.length ? `: ${outsideDetails.join("; ")}` : ""})`, pass: outside5xx === 0 },
        { label: `during the outage failures are 503 (${insideNot503} of ${insideFailed.length} failures were not), each within ${FAIL_FAST_MS / 1000} s (slowest ${(slowestFailureMs / 1000).toFixed(1)} s${slowFailures.length ? `; slower: ${slowFailures.join(", ")}` : ""})`, pass: insideNot503 === 0 && slowestFailureMs <= FAIL_FAST_MS },
        { label: `ready again ${((ready - window.startedAt) / 1000).toFixed(1)} s after PostgreSQL started, without restarting the app`, pass: ready - window.startedAt < 30_000 },
        { label: `every acknowledged upload has its row (${uploadRows[0]!.n} of ${uploads.length}) and its blocks (downloaded, sha256 equal: ${downloadsOk})`, pass: uploadRows[0]!.n === uploads.length && downloadsOk === uploads.length && uploads.length > 0 },
        { label: `every acknowledged vote is there once (${votesOnce} of ${votes.length})`, pass: votesOnce === votes.length && votes.length > 0 },
        { label: `every acknowledged webhook is recorded once (${hookRows[0]!.n} of ${webhooks.length})`, pass: hookRows[0]!.n === webhooks.length && webhooks.length > 0 },
      );

      // ---- Phase B: the LLM unreachable, then back.
      llmProxy.down();
      const beforeLlm = llm.requests.length;
      const whileDown: Awaited<ReturnType<typeof uploadCsv>>[] = [];
      for (let i = 0; i < 4; i++) whileDown.push(await uploadCsv(origin, user.cookie, `llm-down-${i}`));
      const aiVotes = await until("AI votes while the LLM is down", async () => {
        const ids = whileDown.map((u) => u.id!);
        const [r] = await check`SELECT count(*)::int AS n FROM verifications WHERE contribution_id IN ${check(ids)} AND agent_type IN ('alpha', 'llm')`;
        return r!.n === ids.length ? r!.n : undefined;
      });
      const readyDown = (await (await fetch(`${origin}/api/health/ready`)).json()) as { status: string; services: { llm: { circuit?: string }; chain: { circuit?: string } } };
      const listWhileDown = (await fetch(`${origin}/api/v1/contributions?limit=5`)).status;
      llmProxy.up();
      await sleep(3_500); // the circuit's cooldown
      const back = await uploadCsv(origin, user.cookie, "llm-back");
      await until("the LLM is called again", async () => llm.requests.length > beforeLlm);
      const [llmVote] = await until("an LLM vote after the outage", async () => {
        const r = await check`SELECT agent_id FROM verifications WHERE contribution_id = ${back.id!} AND agent_type IN ('alpha', 'llm')`;
        return r.length ? r : undefined;
      });
      const readyBack = (await (await fetch(`${origin}/api/health/ready`)).json()) as { services: { llm: { circuit?: string } } };
      checks.push(
        { label: `LLM down: its circuit opens — open, or half-open once the cooldown passed with no call yet — (readiness: ${readyDown.status}, llm circuit ${readyDown.services.llm.circuit}), the app keeps serving (list ${listWhileDown}), every upload still gets its AI vote from the built-in agent (${aiVotes} of 4)`, pass: (readyDown.services.llm.circuit === "open" || readyDown.services.llm.circuit === "half-open") && readyDown.status === "degraded" && listWhileDown === 200 && aiVotes === 4 },
        { label: `LLM back: after the cooldown it votes again (${llmVote!.agent_id}), circuit ${readyBack.services.llm.circuit}`, pass: String(llmVote!.agent_id).startsWith("llm:") && readyBack.services.llm.circuit === "closed" },
      );

      // ---- Phase C: the chain RPC unreachable, then back. A reward to pay: four agents and the AI vote
      // (each agent weighs AI_WEIGHT, 0.5: five make MIN_DECISION_WEIGHT, 2.5).
      const paid = await uploadCsv(origin, user.cookie, "to-be-paid");
      const agentVotes: string[] = [];
      for (const agentId of ["payout-agent-1", "payout-agent-2", "payout-agent-3", "payout-agent-4"]) {
        const res = await fetch(`${origin}/api/v1/verifications`, {
          method: "POST",
          headers: { authorization: `Bearer ${AGENT_TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify({ contribution_id: paid.id, agent_id: agentId, vote_score: 100, reasoning: "pay it" }),
        });
        agentVotes.push(`${res.status}${res.ok ? "" : ` ${(await res.text()).slice(0, 200)}`}`);
      }
      // The fifth vote is the AI job's; after the outages its worker may still be working off the backlog.
      const [reward] = await until(`a pending reward (agent votes: ${agentVotes.join(", ")})`, async () => {
        const r = await check`SELECT amount::text AS amount, status FROM rewards WHERE contribution_id = ${paid.id!}`;
        return r.length ? r : undefined;
      }, 90_000);
      rpcProxy.down();
      const payOutcomes: string[] = [];
      const first = await callAction(origin, admin.cookie, "ACTION lib/rewards/actions.ts#payPendingRewardsAction", [{}]);
      const batchId = (first.data as { batchId?: string } | undefined)?.batchId;
      for (let attempt = 0; attempt < 3 && batchId; attempt++) {
        const [b] = await until("the batch fails while the RPC is down", async () => {
          const r = await check`SELECT status, error FROM payout_batches WHERE id = ${batchId}`;
          return r[0]?.status === "failed" ? r : undefined;
        });
        payOutcomes.push(String(b!.status));
        if (attempt < 2) await callAction(origin, admin.cookie, "ACTION lib/rewards/actions.ts#retryPayoutBatchAction", [{ id: batchId }]);
      }
      const [failedReward] = await check`SELECT status, failure_reason FROM rewards WHERE contribution_id = ${paid.id!}`;
      const chainDown = (await (await fetch(`${origin}/api/health/ready`)).json()) as { services: { chain: { circuit?: string } } };
      const listWhileChainDown = (await fetch(`${origin}/api/v1/contributions?limit=5`)).status;
      rpcProxy.up();
      await sleep(3_500);
      await callAction(origin, admin.cookie, "ACTION lib/rewards/actions.ts#retryPayoutBatchAction", [{ id: batchId }]);
      const [done] = await until("the batch completes after the RPC is back", async () => {
        const r = await check`SELECT status, tx_hash FROM payout_batches WHERE id = ${batchId!}`;
        return r[0]?.status === "completed" ? r : undefined;
      });
      const balance = await deployment.balanceOf(user.address);
      // The batch paid every pending reward of this user (phase A verified some of their uploads too).
      const [owed] = await check`SELECT coalesce(sum(r.amount), 0)::text AS total, count(*)::int AS n, count(*) FILTER (WHERE r.status <> 'distributed')::int AS open
        FROM rewards r JOIN users u ON u.id = r.user_id WHERE r.batch_id = ${batchId!} AND u.address = ${user.address}`;
      const expected = parseUnits(owed!.total as string, 18);
      checks.push(
        { label: `chain RPC down: the payout fails with the reason (${String(failedReward!.failure_reason).slice(0, 80)}), 3 attempts open the circuit (${chainDown.services.chain.circuit}), the app keeps serving (list ${listWhileChainDown})`, pass: batchId !== undefined && failedReward!.status === "failed" && (chainDown.services.chain.circuit === "open" || chainDown.services.chain.circuit === "half-open") && listWhileChainDown === 200 },
        { label: `chain RPC back: the retried batch is paid once (${done!.tx_hash}): the contributor holds exactly their ${owed!.n} rewards of the batch (${owed!.total} NWU, incl. this one of ${reward!.amount}), all distributed`, pass: balance === expected && owed!.open === 0 && owed!.n >= 1 },
      );

      // ---- Phase D: a block file corrupted on disk.
      const victim = uploads[0]!;
      const blocksDir = path.join(dataDir, "ipfs", "blocks");
      const blockFile = findFile(blocksDir, (f) => statSync(f).size === victim.bytes.length && readFileSync(f).equals(victim.bytes));
      let corruptOutcome = "block file not found";
      let wrongBytes = false;
      if (blockFile) {
        const broken = Buffer.from(victim.bytes);
        broken[0] = broken[0]! ^ 0xff;
        writeFileSync(blockFile, broken);
        try {
          const res = await fetch(`${origin}/api/v1/contributions/${victim.id}/file`);
          const body = Buffer.from(await res.arrayBuffer());
          wrongBytes = res.ok && body.length === victim.bytes.length && sha256(body) !== victim.sha;
          corruptOutcome = `HTTP ${res.status}, ${body.length} of ${victim.bytes.length} bytes, ${sha256(body) === victim.sha ? "correct" : "not the file"}`;
        } catch (error) {
          corruptOutcome = `aborted (${(error as Error).message})`;
        }
      }
      checks.push({ label: `corrupted block: the download does not deliver wrong bytes (${corruptOutcome})`, pass: !!blockFile && !wrongBytes && !corruptOutcome.includes("correct") });

      notes.push(
        `Phase A: ${CONNECTIONS} concurrent clients for ${SECONDS} s against \`next start\` (PostgreSQL ${faultsDb}, in-process worker), mix ${MIX.join(", ")}; PostgreSQL stopped at ${(window.stoppedAt - began) / 1000} s for ${OUTAGE_SECONDS} s. ` +
          `"outage window" = from the stop until 5 s after the start; requests overlapping it may fail, but only with 503 and within ${FAIL_FAST_MS / 1000} s (DB_CONNECT_TIMEOUT_S=2). ` +
          `${uploads.length} uploads, ${votes.length} agent votes and ${webhooks.length} signed webhooks were acknowledged; each was checked in the database afterwards (uploads also downloaded and hashed).`,
        `Phase B/C: the LLM (a local chat-completions server) and the chain RPC (hardhat node) reached through TCP proxies that the run cuts (connections refused) and restores; CIRCUIT_COOLDOWN_MS=3000. Phase D: the block file of a small upload is overwritten with one byte flipped.`,
      );
      return { columns: ["step", "requests", "2xx", "503", "4xx", "5xx/errors outside the outage"], rows, checks, notes };
    } finally {
      if (server) await stopServer(server);
      await check.end();
      deployment.provider.destroy();
      await Promise.all([chain.stop(), llm.close(), llmProxy.close(), rpcProxy.close()]);
      rmSync(dataDir, { recursive: true, force: true });
      await ctx.sql.unsafe(`DROP DATABASE IF EXISTS "${faultsDb}" WITH (FORCE)`).catch(() => {});
    }
  },
};

function findFile(dir: string, match: (file: string) => boolean): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(full, match);
      if (found) return found;
    } else if (match(full)) return full;
  }
  return undefined;
}
