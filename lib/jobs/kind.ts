import "server-only";

import type { z } from "zod";

import type { Tx } from "@/db/client";
import type { Job } from "@/db/schema";

import { enqueueJob } from "./queue";
import type { JobHandler } from "./worker";

/**
 * A kind of background job and the shape of its payload, declared once by the domain that handles
 * it: enqueuing takes exactly that payload, and the handler receives it parsed (a malformed payload
 * fails the attempt with the schema's message instead of running on made-up values).
 */
export interface JobKind<P> {
  readonly name: string;
  enqueue(tx: Tx, payload: P, options?: { dedupeKey?: string; runAt?: Date }): Promise<void>;
  handler(run: (payload: P, ctx: { signal: AbortSignal; job: Job }) => Promise<void>): JobHandler;
}

export function jobKind<S extends z.ZodType<Record<string, unknown>>>(name: string, schema: S): JobKind<z.infer<S>> {
  return {
    name,
    enqueue: (tx, payload, options) => enqueueJob(tx, { kind: name, payload: schema.parse(payload), ...options }),
    handler: (run) => async (job, { signal }) => {
      const parsed = schema.safeParse(job.payload);
      if (!parsed.success) throw new Error(`malformed ${name} payload: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
      await run(parsed.data, { signal, job });
    },
  };
}
