import MarkdownIt from "markdown-it";
import { bundledLanguages, codeToHtml } from "shiki";

/**
 * Markdown rendered and code highlighted on the server, as HTML the pages insert: Markdown through
 * markdown-it with raw HTML off (it is escaped, so no script or style gets through) and unsafe link
 * schemes refused by its validator; images from elsewhere are not loaded — shown as links the reader
 * may follow (no request leaves the page without their consent); headings start at h3, under the
 * page's own. Code through shiki, which escapes
 * the source and colours it with inline styles.
 */

const markdown = new MarkdownIt({ html: false, linkify: true });
const REMOTE = /^(https?:)?\/\//i;
const defaultImage = markdown.renderer.rules.image!;
markdown.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet("src") ?? "");
  if (!src.startsWith("data:image/")) {
    const counter = env as { remoteImages?: number };
    counter.remoteImages = (counter.remoteImages ?? 0) + 1;
    const alt = markdown.utils.escapeHtml(token.content || "image");
    const href = REMOTE.test(src) ? markdown.utils.escapeHtml(src) : "";
    return href ? `<a href="${href}" rel="nofollow noopener noreferrer" target="_blank">[image not loaded: ${alt}]</a>` : `<span>[image: ${alt}]</span>`;
  }
  return defaultImage(tokens, idx, options, env, self);
};
const defaultLink = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet("rel", "nofollow noopener noreferrer");
  return defaultLink(tokens, idx, options, env, self);
};

/**
 * The document's headings sit under the page's own (h1 the contribution, h2 "Preview"): # becomes
 * h3, down to h6, so a page never has two h1s and its outline stays the page's.
 */
const HEADING_SHIFT = 2;
const shiftHeading = (tokens: { tag: string }[], idx: number) => {
  const level = Math.min(6, Number(tokens[idx]!.tag.slice(1)) + HEADING_SHIFT);
  tokens[idx]!.tag = `h${level}`;
};
for (const rule of ["heading_open", "heading_close"] as const) {
  markdown.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
    shiftHeading(tokens, idx);
    return self.renderToken(tokens, idx, options);
  };
}

export function renderMarkdown(text: string): { html: string; remoteImages: number } {
  const env: { remoteImages?: number } = {};
  const html = markdown.render(text, env);
  return { html, remoteImages: env.remoteImages ?? 0 };
}

/** Extensions shiki does not know by name, to a language it has. */
const ALIASES: Record<string, string> = { h: "c", hpp: "cpp", cc: "cpp", mjs: "javascript", cjs: "javascript", yml: "yaml", sh: "bash", kt: "kotlin", rs: "rust", rb: "ruby", ex: "elixir", exs: "elixir", jl: "julia", hs: "haskell", sol: "solidity" };

/** The language of a file name, as shiki names it ("text" when none fits). */
export function languageOf(fileName: string): string {
  const ext = /\.([a-z0-9+]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? "";
  const lang = ALIASES[ext] ?? ext;
  return lang in bundledLanguages ? lang : "text";
}

export async function highlight(code: string, fileName: string): Promise<{ html: string; language: string }> {
  const language = languageOf(fileName);
  const html = await codeToHtml(code, { lang: language, theme: "github-light" });
  return { html, language };
}
