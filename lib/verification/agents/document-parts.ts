/**
 * The text of EPUB, OpenDocument and Office (OOXML) files lives in XML/XHTML parts of their zip:
 * these name the parts and turn their markup into plain text (paragraphs kept as blank-line
 * separated blocks, headings marked as Markdown headings so the document checks see structure).
 */
const PART = /^(content\.xml|word\/document\.xml|ppt\/slides\/slide\d+\.xml|xl\/sharedStrings\.xml)$|\.(xhtml|html?)$/i;
const HEADING_OPEN = /<(text:h|h[1-6])\b[^>]*>|<w:pStyle w:val="(Heading|Title)[^"]*"\/>/gi;
const BLOCK_CLOSE = /<\/(text:p|text:h|w:p|a:p|p|h[1-6]|li|div|si)>/gi;
const TAG = /<[^>]*>/g;
const ENTITY = /&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi;
const SPACES = /[ \t\r\f\v]+/g;
const BLANKS = /\n\s*\n+/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

export const isDocumentPart = (path: string) => PART.test(path);

const entity = (_: string, e: string) => {
  if (e[0] === "#") {
    const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : " ";
  }
  return NAMED[e.toLowerCase()] ?? " ";
};

export function documentText(xml: string): string {
  const body = xml.replace(/<head\b[\s\S]*?<\/head>/i, "");
  return body
    .replace(HEADING_OPEN, "\n\n# ")
    .replace(BLOCK_CLOSE, "\n\n")
    .replace(TAG, " ")
    .replace(ENTITY, entity)
    .replace(SPACES, " ")
    .replace(BLANKS, "\n\n")
    .replace(/\n# +/g, "\n# ")
    .trim();
}
