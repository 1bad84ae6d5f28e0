/**
 * The consensus benchmark's small-scale run through the real API: a fresh database, verifiers with
 * API keys who take assignments (POST /api/v1/assignments) and vote (POST /api/v1/verifications)
 * until nothing is left to review, honest or adversarial as in the simulation. It checks what the
 * simulation cannot: the routes' rules (sealed answers, assignment bounds, one reward per verified
 * contribution) hold while the same functions decide.
 */
import { randomBytes } from "node:crypto";

import postgres from "postgres";

import { POST as claimRoute } from "@/app/api/v1/assignments/route";
import { GET as verificationsRoute } from "@/app/api/v1/contributions/[id]/verifications/route";
import { POST as voteRoute } from "@/app/api/v1/verifications/route";
import { closeDb, getDbHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { contributions, subscriptions, users } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { resetEnvCache } from "@/lib/config/env";
import { castVote } from "@/lib/verification/consensus";
import { SIMULATION } from "@/lib/verification/simulation";

import { ensureDatabase } from "./database";

const ORIGIN = "http://bench.local";
const CONTRIBUTIONS = 60;
// 30 % adversaries among 20 verifiers: 14 honest, then 2 lazy, 2 ring, 2 random.
const HONEST = 14;
const THRESHOLD = 70;

type Behaviour = "honest" | "lazy" | "ring" | "random";

export interface EndToEndResult {
  decided: number;
  accuracy: number;
  votes: number;
  sealedWhileOpen: boolean;
  maxVotesOnOne: number;
  rewardsPerVerified: boolean;
}

async function freshDatabase(baseUrl: string): Promise<string> {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname}_consensus`;
  const admin = new URL(baseUrl);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  await sql`DROP DATABASE IF EXISTS ${sql(url.pathname.slice(1))} WITH (FORCE)`;
  await sql.end();
  await ensureDatabase(url.toString());
  process.env.DATABASE_URL = url.toString();
  resetEnvCache();
  await closeDb();
  await migrateDatabase(getDbHandle());
  return url.toString();
}

const noise = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
const clamp = (x: number) => Math.max(0, Math.min(100, Math.round(x)));

function voteOf(b: Behaviour, truth: number, ringOwned: boolean): number {
  if (b === "honest") return clamp(truth + SIMULATION.honestNoise * noise());
  if (b === "lazy") return SIMULATION.lazyDefault; // sealed: nothing to copy
  if (b === "ring") return ringOwned ? SIMULATION.ringFriend : SIMULATION.ringStranger;
  return clamp(Math.random() * 100);
}

async function makeVerifier(behaviour: Behaviour) {
  const db = getDbHandle().db;
  const [u] = await db.insert(users).values({ address: `0x${randomBytes(20).toString("hex")}`, roles: ["contributor", "verifier"] }).returning({ id: users.id });
  await db.insert(subscriptions).values({ userId: u!.id, plan: "enterprise", status: "active", stripeSubscriptionId: `sub_${u!.id}` });
  const { key } = await createApiKey({ userId: u!.id, name: "bench", scopes: ["verifications:write", "contributions:read"] });
  return { id: u!.id, key, behaviour };
}

export async function runEndToEnd(baseUrl: string): Promise<EndToEndResult> {
  const previous = process.env.DATABASE_URL;
  await freshDatabase(baseUrl);
  try {
    const db = getDbHandle().db;
    const behaviours: Behaviour[] = [...Array<Behaviour>(HONEST).fill("honest"), "lazy", "lazy", "ring", "ring", "random", "random"];
    const verifiers = await Promise.all(behaviours.map(makeVerifier));
    const ring = verifiers.filter((v) => v.behaviour === "ring");
    const [outsider] = await db.insert(users).values({ address: `0x${randomBytes(20).toString("hex")}` }).returning({ id: users.id });
    const truth = new Map<string, { truth: number; ringOwned: boolean }>();
    for (let i = 0; i < CONTRIBUTIONS; i++) {
      const ringOwned = i % 5 === 0;
      const owner = ringOwned ? ring[i % ring.length]!.id : outsider!.id;
      const [c] = await db
        .insert(contributions)
        .values({ userId: owner, cid: `bafkbench${i}${randomBytes(8).toString("hex")}`, sha256: randomBytes(32).toString("hex"), fileName: `c${i}.csv`, fileType: "dataset", mediaType: "text/csv", sizeBytes: 10, title: `Item ${i}` })
        .returning({ id: contributions.id });
      const t = Math.random() * 100;
      truth.set(c!.id, { truth: t, ringOwned });
      await castVote({ contributionId: c!.id, voter: { kind: "agent", agentId: "alpha", agentType: "alpha" }, voteScore: clamp(t + SIMULATION.aiNoise * noise()), subScores: {}, reasoning: "the AI" });
    }
    let votes = 0;
    let sealedWhileOpen = true;
    const auth = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });
    for (let round = 0, progress = true; progress && round < 100; round++) {
      progress = false;
      for (const v of verifiers) {
        const claim = await claimRoute(new Request(`${ORIGIN}/api/v1/assignments`, { method: "POST", headers: auth(v.key) }), undefined);
        const { assignment } = (await claim.json()) as { assignment: { contribution_id: string } | null };
        if (!assignment) continue;
        progress = true;
        const id = assignment.contribution_id;
        const seen = await (await verificationsRoute(new Request(`${ORIGIN}/api/v1/contributions/${id}/verifications`, { headers: auth(v.key) }), { params: Promise.resolve({ id }) })).json();
        if ((seen.items as { vote_score?: number }[]).some((x) => x.vote_score !== undefined)) sealedWhileOpen = false;
        const t = truth.get(id)!;
        const body = JSON.stringify({ contribution_id: id, vote_score: voteOf(v.behaviour, t.truth, t.ringOwned), reasoning: `${v.behaviour} review` });
        const res = await voteRoute(new Request(`${ORIGIN}/api/v1/verifications`, { method: "POST", headers: auth(v.key), body }), undefined);
        if (res.status !== 201) throw new Error(`vote refused: ${res.status} ${await res.text()}`);
        votes++;
      }
    }
    const sql = getDbHandle().sql!;
    const rows = await sql<{ id: string; status: string; verification_count: number; rewards: number }[]>`
      SELECT c.id, c.status, c.verification_count, (SELECT count(*)::int FROM rewards r WHERE r.contribution_id = c.id) AS rewards FROM contributions c`;
    const decided = rows.filter((r) => r.status === "verified" || r.status === "rejected");
    const right = decided.filter((r) => (r.status === "verified") === truth.get(r.id)!.truth >= THRESHOLD).length;
    return {
      decided: decided.length,
      accuracy: decided.length ? right / decided.length : 0,
      votes,
      sealedWhileOpen,
      maxVotesOnOne: Math.max(...rows.map((r) => r.verification_count)),
      rewardsPerVerified: rows.every((r) => r.rewards === (r.status === "verified" ? 1 : 0)),
    };
  } finally {
    process.env.DATABASE_URL = previous;
    resetEnvCache();
    await closeDb();
  }
}
