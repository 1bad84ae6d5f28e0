import type { Metadata } from "next";

export const metadata: Metadata = { title: "Blank", robots: { index: false } };

/**
 * An intentionally empty page: the baseline of the first-load JS budget (bench scenario
 * first-load-js), built in the same build as the pages it is compared with.
 */
export default function BlankPage() {
  return null;
}
