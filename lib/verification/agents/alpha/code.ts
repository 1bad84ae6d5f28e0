import { isSourceName } from "@/lib/formats/sniff";

import { isGenerated, isProjectDoc } from "../pick-files";
import { clampScore, type AgentInput, type AgentVerdict } from "../types";

import { abstain, decodeSample, duplicateLineRatio, lines, logScale, scale, weighted, withSubstance } from "./text";

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
/** Calls that run strings as code or commands (a method such as RegExp's `.exec(` is not one). */
const DANGEROUS_CALLS = [
  /(?<![.\w$])eval\s*\(/,
  /(?<![.\w$])exec\s*\(/,
  /\bnew\s+Function\s*\(/,
  /\bos\.system\s*\(/,
  /\bsubprocess\.\w+\([^)]*shell\s*=\s*True/,
  /\bchild_process\b.*\bexec(Sync)?\s*\(|\bexecSync\s*\(/,
  /\bpickle\.loads?\s*\(/,
  /\byaml\.load\s*\((?![^)]*Loader)/,
  /\bsystem\s*\(\s*\$/,
  /\binnerHTML\s*=/,
];
const LICENSE = /SPDX-License-Identifier|Licensed under|MIT License|Apache License|GNU (Lesser )?General Public License|BSD [0-9]-Clause/i;
const TODO = /\b(TODO|FIXME|XXX|HACK)\b/;
/** Test code inside a file (frameworks of the common languages). */
const TEST_CODE = /^\s*(def test_\w+|func Test\w+|#\[test\]|@Test\b|(describe|it|test)\s*\(\s*["'`])/m;
/** Test files by path. */
const TEST_PATH = /(^|\/)(tests?|spec|specs|__tests__)\/|(^|\/)test_[^/]+\.py$|[._-](test|spec)\.[a-z]+$|_test\.(go|py|rs)$/i;
const LICENSE_FILE = /(^|\/)(licen[cs]e|copying)(\.[a-z]+)?$/i;
const README_FILE = /(^|\/)readme(\.[a-z]+)?$/i;
const TEXT_TYPE = /^text\/|^application\/(json|x-ndjson)$/;

/** What one source file shows. */
interface FileMetrics {
  path: string;
  nonBlank: number;
  /** Non-blank lines that are not comments: the code itself. */
  codeLines: number;
  comments: number;
  docstrings: number;
  functions: number[];
  longLines: number;
  todos: number;
  secrets: number;
  dangerous: number;
  mixedIndent: boolean;
  license: boolean;
  tests: boolean;
  /** Share of this file's lines that repeat another of its lines (copy-paste within the file). */
  duplicates: number;
}

function metricsOf(path: string, text: string): FileMetrics {
  const all = lines(text);
  const nonBlank = all.filter((l) => l.trim() !== "");
  const comments = nonBlank.filter((l) => COMMENT_LINE.test(l) || DOCSTRING.test(l)).length;
  const starts = all.flatMap((l, i) => (FUNCTION_START.test(l) ? [i] : []));
  // Test code runs eval and holds fake credentials on purpose: its findings are not the project's.
  const test = TEST_PATH.test(path);
  return {
    path,
    nonBlank: nonBlank.length,
    codeLines: nonBlank.length - comments,
    comments,
    docstrings: all.filter((l) => DOCSTRING.test(l)).length,
    functions: starts.map((s, i) => (starts[i + 1] ?? all.length) - s),
    longLines: nonBlank.filter((l) => l.length > 120).length,
    todos: all.filter((l) => TODO.test(l)).length,
    secrets: test ? 0 : SECRET_PATTERNS.filter((re) => re.test(text)).length,
    dangerous: test ? 0 : DANGEROUS_CALLS.filter((re) => re.test(text)).length,
    mixedIndent: all.some((l) => /^\t/.test(l)) && all.some((l) => /^ {2,}/.test(l)),
    license: LICENSE.test(text),
    tests: test || TEST_CODE.test(text),
    duplicates: duplicateLineRatio(all, 5),
  };
}

/** A repository's shape, from its listing: what a reviewer looks for first. */
interface Project {
  files: number;
  sourceFiles: number;
  readme: boolean;
  licenseFile: boolean;
  testFiles: number;
}

function projectOf(input: AgentInput): Project | null {
  const entries = input.inspection.entries;
  if (!entries) return null;
  const own = entries.filter((e) => !isGenerated(e.path));
  return {
    files: own.length,
    sourceFiles: own.filter((e) => isSourceName(e.path)).length,
    readme: own.some((e) => README_FILE.test(e.path)),
    licenseFile: own.some((e) => LICENSE_FILE.test(e.path)),
    testFiles: own.filter((e) => TEST_PATH.test(e.path) && isSourceName(e.path)).length,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Static analysis of source code — one file, or every source file read from a repository,
 * aggregated: structure, comments, function sizes, secrets, injection patterns, licence, tests and
 * README; the score is scaled by the code's substance (how much code, how many functions, tests).
 */
export function analyzeCode(input: AgentInput): AgentVerdict {
  const project = projectOf(input);
  const sources = input.inspection.files.filter((f) => (project ? isSourceName(f.path) && !isProjectDoc(f.path) : true));
  if (project && sources.length === 0) {
    return abstain(`no source files among the ${project.files} files of this archive${input.inspection.stoppedBy ? ` (reading stopped at ${input.inspection.stoppedBy})` : ""}`, { files: project.files });
  }
  if (input.inspection.unreadable) return unreadable(input.inspection.unreadable);
  if (!project && !sources.every((f) => TEXT_TYPE.test(f.mediaType))) return abstain(`the agent cannot judge ${input.mediaType} content as source code`, { format: input.mediaType });
  const files = sources.map((f) => metricsOf(f.path, decodeSample(f.bytes, f.complete)));
  return scoreCode(files, project, input);
}

function unreadable(reason: string): AgentVerdict {
  return { voteScore: 10, subScores: { quality: 10, originality: 50, security: 50, documentation: 10 }, reasoning: `Code review: the archive cannot be read (${reason}).`, details: { unreadable: reason } };
}

function scoreCode(files: FileMetrics[], project: Project | null, input: AgentInput): AgentVerdict {
  const nonBlank = sum(files.map((f) => f.nonBlank));
  const codeLines = sum(files.map((f) => f.codeLines));
  const functions = files.flatMap((f) => f.functions);
  const commentRatio = nonBlank ? sum(files.map((f) => f.comments)) / nonBlank : 0;
  const longLineRatio = nonBlank ? sum(files.map((f) => f.longLines)) / nonBlank : 0;
  const avgFunction = functions.length ? sum(functions) / functions.length : nonBlank;
  const maxFunction = functions.length ? Math.max(...functions) : nonBlank;
  const secrets = sum(files.map((f) => f.secrets));
  const dangerous = sum(files.map((f) => f.dangerous));
  const todos = sum(files.map((f) => f.todos));
  // Repeated lines within each file, weighted by its size (short statements recur across any real project).
  const duplicates = nonBlank ? sum(files.map((f) => f.duplicates * f.nonBlank)) / nonBlank : 0;
  const mixedIndent = files.some((f) => f.mixedIndent);
  const docstrings = sum(files.map((f) => f.docstrings));
  const license = !!project?.licenseFile || files.some((f) => f.license) || /license/i.test(JSON.stringify(input.metadata));
  const tests = (project?.testFiles ?? 0) > 0 || files.some((f) => f.tests);
  const readme = project?.readme ?? false;

  const quality = clampScore(
    weighted([
      [scale(avgFunction, 80, 20), 1.5],
      [scale(maxFunction, 200, 50), 0.5],
      [scale(longLineRatio, 0.3, 0), 1],
      [scale(todos / Math.max(1, nonBlank), 0.1, 0), 0.5],
      [mixedIndent ? 40 : 100, 0.5],
      [tests ? 100 : 50, project ? 1 : 0.3],
    ]),
  );
  const originality = clampScore(scale(duplicates, 0.6, 0.05));
  const security = clampScore(100 - Math.min(secrets, 2) * 45 - Math.min(dangerous, 3) * 25);
  const documentation = clampScore(
    weighted([
      [scale(commentRatio, 0, 0.2), 2],
      [license ? 100 : 30, 1],
      [docstrings > 0 ? 100 : 40, 1],
      [input.description.trim().length >= 40 ? 100 : 40, 0.5],
      ...(project ? ([[readme ? 100 : 20, 1.5]] as [number, number][]) : []),
    ]),
  );
  // How much the contribution offers: code (log scale: ~10 lines is nothing, ~300 a real module), functions, tests.
  const substance = clampScore(weighted([[logScale(codeLines, 10, 300), 3], [scale(functions.length, 1, 10), 1], [tests ? 100 : 0, project ? 1 : 0.5]]));
  const hygiene = weighted([[quality, 0.3], [originality, 0.2], [security, 0.3], [documentation, 0.2]]);
  const voteScore = withSubstance(hygiene, substance);

  const notes = findings(files, { secrets, dangerous, commentRatio, avgFunction, duplicates, license, tests, readme, project, codeLines });
  return {
    voteScore,
    subScores: { quality: Math.min(quality, substance), originality, security, documentation },
    reasoning: notes.length ? `Code review: ${notes.join("; ")}.` : `Code review: ${codeLines} lines of structured, commented code with tests; no secrets or dangerous calls found.`,
    details: {
      files: files.length,
      ...(project ? { repository: { listedFiles: project.files, sourceFiles: project.sourceFiles, testFiles: project.testFiles, readme, licenseFile: project.licenseFile, partial: input.inspection.entriesPartial } } : {}),
      nonBlankLines: nonBlank,
      codeLines,
      commentRatio: round3(commentRatio),
      functions: functions.length,
      averageFunctionLines: Math.round(avgFunction),
      maxFunctionLines: maxFunction,
      longLineRatio: round3(longLineRatio),
      secrets,
      dangerousCalls: dangerous,
      license,
      tests,
      todos,
      duplicateLineRatio: round3(duplicates),
      substance,
      bytesRead: input.inspection.bytesRead,
      ...(input.inspection.stoppedBy ? { stoppedBy: input.inspection.stoppedBy } : {}),
      worst: worstFiles(files),
    },
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

interface Totals {
  secrets: number;
  dangerous: number;
  commentRatio: number;
  avgFunction: number;
  duplicates: number;
  license: boolean;
  tests: boolean;
  readme: boolean;
  project: Project | null;
  codeLines: number;
}

function findings(files: FileMetrics[], t: Totals): string[] {
  const where = (pick: (f: FileMetrics) => number) => {
    const named = files.filter((f) => pick(f) > 0).map((f) => f.path);
    return t.project && named.length ? ` (${named.slice(0, 3).join(", ")}${named.length > 3 ? ", …" : ""})` : "";
  };
  const notes: string[] = [];
  if (t.secrets) notes.push(`${t.secrets} hard-coded secret(s)${where((f) => f.secrets)}`);
  if (t.dangerous) notes.push(`${t.dangerous} dangerous call pattern(s) (eval/shell/deserialization)${where((f) => f.dangerous)}`);
  if (t.codeLines < 40) notes.push(`little substance (${t.codeLines} lines of code)`);
  if (t.commentRatio < 0.05) notes.push("almost no comments");
  if (t.avgFunction > 60) notes.push(`long functions (about ${Math.round(t.avgFunction)} lines on average)`);
  if (t.duplicates > 0.2) notes.push(`${Math.round(t.duplicates * 100)}% repeated lines`);
  if (!t.license) notes.push("no licence");
  if (!t.tests) notes.push("no tests");
  if (t.project && !t.readme) notes.push("no README");
  return notes;
}

/** The files with the most serious findings, for the reviewer to open first. */
function worstFiles(files: FileMetrics[]) {
  return files
    .map((f) => ({ path: f.path, secrets: f.secrets, dangerousCalls: f.dangerous, longestFunction: Math.max(0, ...f.functions), severity: f.secrets * 3 + f.dangerous * 2 + (Math.max(0, ...f.functions) > 120 ? 1 : 0) }))
    .filter((f) => f.severity > 0)
    .sort((a, b) => b.severity - a.severity || (a.path < b.path ? -1 : 1))
    .slice(0, 5)
    .map(({ severity: _s, ...f }) => f);
}
