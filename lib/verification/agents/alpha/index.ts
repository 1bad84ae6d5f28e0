import type { AgentInput, AgentVerdict } from "../types";

import { analyzeCode } from "./code";
import { analyzeDataset } from "./dataset";
import { analyzeDocument } from "./document";

export const ALPHA_AGENT_ID = "alpha";
/** The analyzers never see more than this much of a file: memory and time stay bounded. */
export const ALPHA_SAMPLE_BYTES = 1024 * 1024;

/** The built-in, offline AI agent: a deterministic analysis by file type. */
export function runAlpha(input: AgentInput): AgentVerdict {
  switch (input.fileType) {
    case "code":
      return analyzeCode(input);
    case "dataset":
      return analyzeDataset(input);
    case "document":
      return analyzeDocument(input);
  }
}
