import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import type { Scenario, ScenarioResult } from "./harness";

/** bench/RESULTS.md, or BENCH_RESULTS_FILE (short CI runs write elsewhere, keeping the committed figures). */
export const RESULTS_FILE = path.resolve(process.env.BENCH_RESULTS_FILE?.trim() || path.join(process.cwd(), "bench", "RESULTS.md"));

/** A Markdown table padded to line up in a terminal too. */
export function markdownTable(columns: string[], rows: string[][]): string {
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function renderChecks(result: ScenarioResult): string {
  return result.checks.map((check) => `- ${check.goal ? (check.pass ? "GOAL MET" : "GOAL MISSED") : check.pass ? "PASS" : "FAIL"} ${check.label}`).join("\n");
}

export function renderSection(scenario: Scenario, result: ScenarioResult, runLine: string): string {
  return [
    `## ${scenario.name}: ${scenario.title}`,
    runLine,
    markdownTable(result.columns, result.rows),
    renderChecks(result),
    ...result.notes,
  ].join("\n\n");
}

const SECTION = /<!-- scenario:([\w-]+) -->\n[\s\S]*?\n<!-- \/scenario:\1 -->/g;

/**
 * Rewrites RESULTS.md with `header` and the scenario's section; sections of scenarios not run this
 * time are kept as they were, in their order.
 */
export function writeResults(header: string, name: string, section: string): void {
  const previous = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, "utf8") : "";
  const sections = new Map([...previous.matchAll(SECTION)].map((m) => [m[1]!, m[0]]));
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  sections.set(name, `<!-- scenario:${name} -->\n${section}\n<!-- /scenario:${name} -->`);
  writeFileSync(RESULTS_FILE, `# Benchmark results\n\n${header}\n\n${[...sections.values()].join("\n\n")}\n`);
}
