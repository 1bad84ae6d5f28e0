import "server-only";

import type { ContributionStatus, UserRole } from "@/db/schema";
import { WITHHELD_STATUS } from "@/db/vocabulary";
import { NotFoundError } from "@/lib/errors";

import type { PublicContribution } from "./model";

/** Who is looking: enough to tell the owner and admins from everyone else. */
export interface Viewer {
  userId: string;
  address: string;
  roles: readonly UserRole[];
}

/**
 * The viewer, looked up only when an answer depends on it (public routes skip the session lookup
 * for everything that is not withheld). Called at most once per request by the callers.
 */
export type ViewerSource = () => Promise<Viewer | null>;

export { WITHHELD_STATUS };

export const isWithheld = (status: ContributionStatus) => status === WITHHELD_STATUS;

/** Owners and admins see withheld work and the reason it was halted. */
export const seesWithheld = (viewer: Viewer | null, ownerAddress: string) =>
  !!viewer && (viewer.roles.includes("admin") || viewer.address.toLowerCase() === ownerAddress.toLowerCase());

/** One viewer lookup per request, however many rows ask. */
export function memoViewer(source: ViewerSource): ViewerSource {
  let viewer: Promise<Viewer | null> | undefined;
  return () => (viewer ??= source());
}

/**
 * 404 for everyone but the owner and admins when the contribution is withheld — the same answer as
 * an unknown id, so its existence is not confirmed either.
 */
export async function assertVisible(c: { status: ContributionStatus; ownerAddress: string }, viewer: ViewerSource): Promise<void> {
  if (isWithheld(c.status) && !seesWithheld(await viewer(), c.ownerAddress)) throw new NotFoundError("No contribution with this id");
}

/**
 * The bytes behind a CID are withheld under every contribution that has them while any
 * contribution with that CID is halted; the owner of this one and admins still get them.
 */
export async function assertFileVisible(f: { withheld: boolean; ownerAddress: string }, viewer: ViewerSource): Promise<void> {
  if (f.withheld && !seesWithheld(await viewer(), f.ownerAddress)) throw new NotFoundError("No contribution with this id");
}

/** A withheld row in a list, as others see it: that it exists and its status, nothing of its content. */
function placeholder(c: PublicContribution): PublicContribution {
  return {
    ...c,
    cid: "",
    sha256: "",
    file_name: "",
    media_type: "",
    size: 0,
    title: "Withheld by moderation",
    description: "",
    metadata: {},
    quality_score: null,
    duplicate_of: null,
    halt_reason: null,
  };
}

/** Replaces the withheld rows a viewer may not see by placeholders (the viewer is looked up only if one is there). */
export async function withholdFrom<T extends PublicContribution>(items: T[], viewer: ViewerSource): Promise<T[]> {
  if (!items.some((c) => isWithheld(c.status))) return items;
  const v = await viewer();
  return items.map((c) => (isWithheld(c.status) && !seesWithheld(v, c.owner) ? { ...c, ...placeholder(c) } : c));
}

/** A reader known to be nobody in particular (benchmarks, jobs that publish to everyone). */
export const ANONYMOUS: ViewerSource = async () => null;
