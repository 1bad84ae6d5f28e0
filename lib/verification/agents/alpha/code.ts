import { clampScore, type AgentInput, type AgentVerdict } from "../types";

import { decodeSample, duplicateLineRatio, lines, scale, weighted } from "./text";

const COMMENT_LINE = /^\s*(#|\/\/|\/\*|\*|--|;|%|<!--)/;
const DOCSTRING = /^\s*("""|''')|^\s*\/\*\*/;
const FUNCTION_START = /^\s*(export\s+)?(async\s+)?(def|function|fn|func|sub|procedure)\s+\w+|^\s*(public|private|protected|static|final|\s)+[\w<>[\],\s]+\s+\w+\s*\([^;]*\)\s*\{?\s*$|^\s*(const|let)\s+\w+\s*=\s*(async\s*)?(\([^)]*\)|\w+)\s*=>/;
const SECRET_PATTERNS = [
  /AKIA[0-9A-Z]{16}/,
  /-----BEGIN (RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/,
  /\b(api[_-]?key|secret|password|passwd|token|auth)\b\s*[:=]\s*["'][^"'\s]{8,}["']/i,
  /\bgh[pousr]_[A-Za-z0-9]{36}\b/,
  /\bsk_(live|test)_[A-Za-z0-9]{16,}\b/,
  /\bxox[baprs]-[A-Za-z0-9-]{10,}/,
];
const DANGEROUS_CALLS = [
  /\beval\s*\(/,
  /\bexec\s*\(/,
  /\bnew\s+Function\s*\(/,
  /\bos\.system\s*\(/,
  /\bsubprocess\.\w+\([^)]*shell\s*=\s*True/,
  /\bchild_process\b.*\bexec(Sync)?\s*\(|\bexecSync\s*\(/,
  /\bpickle\.loads?\s*\(/,
  /\byaml\.load\s*\((?![^)]*Loader)/,
  /\bsystem\s*\(\s*\$|`[^`]*\$\{?\w+/,
  /\binnerHTML\s*=/,
];
const LICENSE = /SPDX-License-Identifier|Licensed under|MIT License|Apache License|GNU (Lesser )?General Public License|BSD [0-9]-Clause/i;
const TODO = /\b(TODO|FIXME|XXX|HACK)\b/;

/** Static analysis of source code: structure, comments, function sizes, secrets, injection patterns, licence. */
export function analyzeCode(input: AgentInput): AgentVerdict {
  const text = decodeSample(input.sample, input.complete);
  const all = lines(text);
  const nonBlank = all.filter((l) => l.trim() !== "");
  const comments = nonBlank.filter((l) => COMMENT_LINE.test(l) || DOCSTRING.test(l)).length;
  const commentRatio = nonBlank.length ? comments / nonBlank.length : 0;
  const longLines = nonBlank.filter((l) => l.length > 120).length;
  const longLineRatio = nonBlank.length ? longLines / nonBlank.length : 0;

  const starts = all.flatMap((l, i) => (FUNCTION_START.test(l) ? [i] : []));
  const lengths = starts.map((s, i) => (starts[i + 1] ?? all.length) - s);
  const avgFunction = lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : nonBlank.length;
  const maxFunction = lengths.length ? Math.max(...lengths) : nonBlank.length;

  const secrets = SECRET_PATTERNS.filter((re) => re.test(text)).length;
  const dangerous = DANGEROUS_CALLS.filter((re) => re.test(text)).length;
  const hasLicense = LICENSE.test(text) || /license/i.test(JSON.stringify(input.metadata));
  const todos = all.filter((l) => TODO.test(l)).length;
  const duplicates = duplicateLineRatio(all, 5);
  const mixedIndent = all.some((l) => /^\t/.test(l)) && all.some((l) => /^ {2,}/.test(l));
  const docstrings = all.filter((l) => DOCSTRING.test(l)).length;

  const quality = clampScore(
    weighted([
      [scale(nonBlank.length, 3, 30), 1],
      [scale(avgFunction, 80, 20), 1.5],
      [scale(maxFunction, 200, 50), 0.5],
      [scale(longLineRatio, 0.3, 0), 1],
      [scale(todos / Math.max(1, nonBlank.length), 0.1, 0), 0.5],
      [mixedIndent ? 40 : 100, 0.5],
    ]),
  );
  const originality = clampScore(scale(duplicates, 0.5, 0.02));
  const security = clampScore(100 - secrets * 45 - dangerous * 25);
  const documentation = clampScore(
    weighted([
      [scale(commentRatio, 0, 0.2), 2],
      [hasLicense ? 100 : 30, 1],
      [docstrings > 0 ? 100 : 40, 1],
      [input.description.trim().length >= 40 ? 100 : 40, 0.5],
    ]),
  );
  const voteScore = clampScore(weighted([[quality, 0.3], [originality, 0.2], [security, 0.3], [documentation, 0.2]]));

  const notes: string[] = [];
  if (secrets) notes.push(`${secrets} kind(s) of hard-coded secret`);
  if (dangerous) notes.push(`${dangerous} dangerous call pattern(s) (eval/shell/deserialization)`);
  if (commentRatio < 0.05) notes.push("almost no comments");
  if (avgFunction > 60) notes.push(`long functions (about ${Math.round(avgFunction)} lines on average)`);
  if (duplicates > 0.2) notes.push(`${Math.round(duplicates * 100)}% repeated lines`);
  if (!hasLicense) notes.push("no licence");
  return {
    voteScore,
    subScores: { quality, originality, security, documentation },
    reasoning: notes.length ? `Code review: ${notes.join("; ")}.` : "Code review: well structured, commented, no secrets or dangerous calls found.",
    details: {
      lines: all.length,
      nonBlankLines: nonBlank.length,
      commentRatio: Math.round(commentRatio * 1000) / 1000,
      functions: starts.length,
      averageFunctionLines: Math.round(avgFunction),
      maxFunctionLines: maxFunction,
      longLineRatio: Math.round(longLineRatio * 1000) / 1000,
      secrets,
      dangerousCalls: dangerous,
      license: hasLicense,
      todos,
      duplicateLineRatio: Math.round(duplicates * 1000) / 1000,
      sampledBytes: input.sample.byteLength,
      complete: input.complete,
    },
  };
}
