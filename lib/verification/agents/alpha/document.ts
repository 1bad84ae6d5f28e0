import { clampScore, type AgentInput, type AgentVerdict } from "../types";

import { abstain, decodeSample, lines, logScale, scale, weighted, withSubstance } from "./text";

const HEADING = /^(#{1,6}\s+\S|[A-Z][^.!?]{2,80}\n[=-]{3,}$)/;
const HTML_HEADING = /<h[1-6][\s>]/gi;
const LINK = /https?:\/\/[^\s)>\]"']+|\[[^\]]+\]\([^)]+\)/g;
const SENTENCE_END = /[.!?]+(\s|$)/g;
const WORD = /[\p{L}\p{N}'-]+/gu;
const SYLLABLE_GROUP = /[aeiouy]+/g;
const LIST_ITEM = /^\s*([-*+]|\d+\.)\s+\S/;
const CITATION = /\[\d+\]|\(\w+,? \d{4}\)|doi\.org|arxiv\.org|references|bibliography|sources?:/i;
const CONCLUSION = /(^|\n)#*\s*(conclusion|summary|results|discussion)\b/i;
const HTML_TAG = /<[^>]+>/g;

const READABLE = /^text\//;

/**
 * Document checks: structure, headings, length, readability, links, repetition — on the text of a
 * text, Markdown or HTML file, or of an EPUB/OpenDocument/Office file's parts; PDF by its structure.
 * The score is scaled by substance (length and sections). Containers the agent cannot read (legacy
 * OLE Office files) are not judged.
 */
export function analyzeDocument(input: AgentInput): AgentVerdict {
  if (input.mediaType === "application/pdf") return analyzePdf(input);
  if (input.inspection.unreadable) return { voteScore: 10, subScores: { quality: 10, originality: 50, accuracy: 30, completeness: 5 }, reasoning: `Document review: the file cannot be read (${input.inspection.unreadable}).`, details: { unreadable: input.inspection.unreadable } };
  const parts = input.inspection.files.filter((f) => READABLE.test(f.mediaType));
  if (parts.length === 0) return abstain(`the agent cannot read the text of ${input.mediaType} documents`, { format: input.mediaType });
  const raw = parts.map((f) => decodeSample(f.bytes, f.complete)).join("\n\n");
  const complete = parts.every((f) => f.complete);
  const sampled = parts.reduce((s, f) => s + f.bytes.byteLength, 0);
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
  const { flesch, readability } = readabilityOf(words, sentences);
  const estimatedWords = complete || parts.length > 1 ? words.length : Math.round((words.length * input.size) / Math.max(1, sampled));

  const quality = clampScore(weighted([[readability, 1.5], [scale(headings, 0, 3), 1], [scale(paragraphs, 0, 5), 1], [scale(lexicalVariety, 0.15, 0.4), 1]]));
  const originality = clampScore(weighted([[scale(repeatedSentences, 0.5, 0), 2], [scale(lexicalVariety, 0.1, 0.35), 1]]));
  const accuracy = clampScore(weighted([[scale(links, 0, 3), 1], [CITATION.test(text) ? 100 : 45, 1], [readability, 0.5]]));
  const completeness = clampScore(
    weighted([[scale(estimatedWords, 50, 800), 2], [scale(headings, 0, 4), 1], [CONCLUSION.test(text) ? 100 : 50, 0.5], [lists > 0 ? 100 : 60, 0.3]]),
  );
  // Substance: length (log scale: ~100 words is a note, ~2,000 a real document) and sections.
  const substance = clampScore(weighted([[logScale(estimatedWords, 100, 2_000), 3], [scale(headings, 0, 4), 1], [scale(paragraphs, 1, 8), 1]]));
  const voteScore = withSubstance(weighted([[quality, 0.3], [originality, 0.25], [accuracy, 0.2], [completeness, 0.25]]), substance);
  const notes: string[] = [];
  if (estimatedWords < 300) notes.push(`short (${estimatedWords} words)`);
  if (headings === 0) notes.push("no headings");
  if (repeatedSentences > 0.2) notes.push(`${Math.round(repeatedSentences * 100)}% repeated sentences`);
  if (links === 0) notes.push("no links or references");
  if (readability < 60) notes.push(`hard or unnatural to read (Flesch ${Math.round(flesch)})`);
  return {
    voteScore,
    subScores: { quality, originality, accuracy, completeness: Math.min(completeness, substance) },
    reasoning: notes.length ? `Document review: ${notes.join("; ")}.` : "Document review: structured, readable, referenced and substantial.",
    details: {
      substance,
      parts: parts.length,
      words: estimatedWords,
      headings,
      paragraphs,
      links,
      listItems: lists,
      fleschReadingEase: Math.round(flesch),
      repeatedSentenceRatio: Math.round(repeatedSentences * 1000) / 1000,
      lexicalVariety: Math.round(lexicalVariety * 1000) / 1000,
      sampledBytes: sampled,
      complete,
    },
  };
}

/** Flesch reading ease: 60–70 is plain English; very low is dense, very high is simplistic. */
function readabilityOf(words: string[], sentences: number) {
  const syllables = words.reduce((n, w) => n + Math.max(1, (w.toLowerCase().match(SYLLABLE_GROUP) ?? []).length), 0);
  const flesch = words.length ? 206.835 - 1.015 * (words.length / sentences) - 84.6 * (syllables / words.length) : 0;
  const readability = flesch >= 30 && flesch <= 80 ? 100 : flesch < 30 ? scale(flesch, -20, 30) : scale(flesch, 120, 80);
  return { flesch, readability };
}

/** A PDF by what pdf.js read of it: its page count and its first page's text. */
function analyzePdf(input: AgentInput): AgentVerdict {
  const pdf = input.inspection.pdf;
  if (!pdf) {
    const reason = input.inspection.unreadable ?? input.inspection.stoppedBy ?? "no page could be read";
    return { voteScore: 10, subScores: { quality: 10, originality: 50, accuracy: 30, completeness: 5 }, reasoning: `Document review: the PDF cannot be read (${reason}).`, details: { unreadable: reason } };
  }
  const words = pdf.text.match(WORD) ?? [];
  const { flesch, readability } = readabilityOf(words, Math.max(1, (pdf.text.match(SENTENCE_END) ?? []).length));
  const textLayer = words.length >= 30;
  const quality = clampScore(weighted([[textLayer ? readability : 50, 1.5], [textLayer ? 100 : 40, 1]]));
  const completeness = clampScore(scale(pdf.pages, 1, 10));
  const documented = input.description.trim().length >= 40 ? 85 : 50;
  const accuracy = clampScore(weighted([[documented, 1], [CITATION.test(pdf.text) || (pdf.text.match(LINK) ?? []).length > 0 ? 100 : 50, 1]]));
  // Substance: pages (1 is a note, 5 a real report) and the words on the first.
  const substance = clampScore(weighted([[scale(pdf.pages, 1, 5), 2], [logScale(words.length, 30, 400), 1]]));
  const notes = [`PDF with ${pdf.pages} page(s)`];
  if (!textLayer) notes.push("little or no text on the first page (scanned or images only)");
  else if (readability < 60) notes.push(`a first page hard to read (Flesch ${Math.round(flesch)})`);
  return {
    voteScore: withSubstance(weighted([[quality, 0.3], [70, 0.25], [accuracy, 0.2], [completeness, 0.25]]), substance),
    subScores: { quality, originality: 70, accuracy, completeness: Math.min(completeness, substance) },
    reasoning: `Document review: ${notes.join("; ")}.`,
    details: { pages: pdf.pages, firstPageWords: words.length, fleschReadingEase: Math.round(flesch), substance, bytesRead: input.inspection.bytesRead },
  };
}
