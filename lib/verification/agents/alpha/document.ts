import { clampScore, type AgentInput, type AgentVerdict } from "../types";

import { decodeSample, lines, scale, weighted } from "./text";

const HEADING = /^(#{1,6}\s+\S|[A-Z][^.!?]{2,80}\n[=-]{3,}$)/;
const HTML_HEADING = /<h[1-6][\s>]/gi;
const LINK = /https?:\/\/[^\s)>\]"']+|\[[^\]]+\]\([^)]+\)/g;
const SENTENCE_END = /[.!?]+(\s|$)/g;
const WORD = /[\p{L}\p{N}'-]+/gu;
const SYLLABLE_GROUP = /[aeiouy]+/g;
const LIST_ITEM = /^\s*([-*+]|\d+\.)\s+\S/;
const CITATION = /\[\d+\]|\(\w+,? \d{4}\)|doi\.org|arxiv\.org|references|bibliography|sources?:/i;
const CONCLUSION = /(^|\n)#*\s*(conclusion|summary|results|discussion)\b/i;
const PDF_PAGE = /\/Type\s*\/Page[^s]/g;
const HTML_TAG = /<[^>]+>/g;

/** Document checks: structure, headings, length, readability, links, repetition. */
export function analyzeDocument(input: AgentInput): AgentVerdict {
  if (input.mediaType === "application/pdf") return analyzePdf(input);
  const raw = decodeSample(input.sample, input.complete);
  const text = input.mediaType === "text/html" ? raw.replace(HTML_TAG, " ") : raw;
  const all = lines(text);
  const words = text.match(WORD) ?? [];
  const sentences = Math.max(1, (text.match(SENTENCE_END) ?? []).length);
  const headings = all.filter((l) => HEADING.test(l)).length + (raw.match(HTML_HEADING) ?? []).length;
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim().length > 40).length;
  const links = (text.match(LINK) ?? []).length;
  const lists = all.filter((l) => LIST_ITEM.test(l)).length;
  const unique = new Set(words.map((w) => w.toLowerCase())).size;
  const lexicalVariety = words.length ? unique / Math.min(words.length, 2_000 + unique) : 0;
  const sentenceList = text
    .split(SENTENCE_END)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 15);
  const repeatedSentences = sentenceList.length ? 1 - new Set(sentenceList).size / sentenceList.length : 0;
  const syllables = words.reduce((n, w) => n + Math.max(1, (w.toLowerCase().match(SYLLABLE_GROUP) ?? []).length), 0);
  // Flesch reading ease: 60–70 is plain English; very low is dense, very high is simplistic.
  const flesch = words.length ? 206.835 - 1.015 * (words.length / sentences) - 84.6 * (syllables / words.length) : 0;
  const readability = flesch >= 30 && flesch <= 80 ? 100 : flesch < 30 ? scale(flesch, -20, 30) : scale(flesch, 120, 80);
  const estimatedWords = input.complete ? words.length : Math.round((words.length * input.size) / Math.max(1, input.sample.byteLength));

  const quality = clampScore(weighted([[readability, 1.5], [scale(headings, 0, 3), 1], [scale(paragraphs, 0, 5), 1], [scale(lexicalVariety, 0.15, 0.4), 1]]));
  const originality = clampScore(weighted([[scale(repeatedSentences, 0.5, 0), 2], [scale(lexicalVariety, 0.1, 0.35), 1]]));
  const accuracy = clampScore(weighted([[scale(links, 0, 3), 1], [CITATION.test(text) ? 100 : 45, 1], [readability, 0.5]]));
  const completeness = clampScore(
    weighted([[scale(estimatedWords, 50, 800), 2], [scale(headings, 0, 4), 1], [CONCLUSION.test(text) ? 100 : 50, 0.5], [lists > 0 ? 100 : 60, 0.3]]),
  );
  const voteScore = clampScore(weighted([[quality, 0.3], [originality, 0.25], [accuracy, 0.2], [completeness, 0.25]]));
  const notes: string[] = [];
  if (estimatedWords < 150) notes.push(`short (${estimatedWords} words)`);
  if (headings === 0) notes.push("no headings");
  if (repeatedSentences > 0.2) notes.push(`${Math.round(repeatedSentences * 100)}% repeated sentences`);
  if (links === 0) notes.push("no links or references");
  if (readability < 60) notes.push(`hard or unnatural to read (Flesch ${Math.round(flesch)})`);
  return {
    voteScore,
    subScores: { quality, originality, accuracy, completeness },
    reasoning: notes.length ? `Document review: ${notes.join("; ")}.` : "Document review: structured, readable, referenced and substantial.",
    details: {
      words: estimatedWords,
      headings,
      paragraphs,
      links,
      listItems: lists,
      fleschReadingEase: Math.round(flesch),
      repeatedSentenceRatio: Math.round(repeatedSentences * 1000) / 1000,
      lexicalVariety: Math.round(lexicalVariety * 1000) / 1000,
      sampledBytes: input.sample.byteLength,
      complete: input.complete,
    },
  };
}

function analyzePdf(input: AgentInput): AgentVerdict {
  const latin = Buffer.from(input.sample).toString("latin1");
  const pages = (latin.match(PDF_PAGE) ?? []).length;
  const complete = input.complete && latin.trimEnd().endsWith("%%EOF");
  const bytesPerPage = pages ? input.size / pages : input.size;
  const quality = clampScore(weighted([[complete || !input.complete ? 100 : 30, 1], [scale(bytesPerPage, 200, 3_000), 1]]));
  const completeness = clampScore(scale(pages || input.size / 50_000, 0, 8));
  const documented = input.description.trim().length >= 40 ? 85 : 50;
  const subScores = { quality, originality: 70, accuracy: documented, completeness };
  return {
    voteScore: clampScore(weighted([[quality, 1], [70, 1], [documented, 1], [completeness, 1]])),
    subScores,
    reasoning: `PDF with ${pages || "an unknown number of"} page(s); text not extracted, scored on structure, size and description.`,
    details: { pages, wellFormedEnd: complete, sampledBytes: input.sample.byteLength },
  };
}
