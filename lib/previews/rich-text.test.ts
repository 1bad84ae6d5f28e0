import { describe, expect, it } from "vitest";

import { highlight, languageOf, renderMarkdown } from "./rich-text";

describe("Markdown previews", () => {
  it("renders CommonMark and escapes raw HTML: no script, no handler, no iframe gets through", () => {
    const { html } = renderMarkdown('# Title\n\nSome *text* and `code`.\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n<iframe src="https://evil.example"></iframe>\n');
    expect(html).toContain("<h3>Title</h3>");
    expect(html).toContain("<em>text</em>");
    expect(html).not.toMatch(/<script|<img|<iframe|<[^>]*onerror=/i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("puts the document's headings under the page's own: # is h3, and nothing deeper than h6", () => {
    const { html } = renderMarkdown("# One\n\n## Two\n\n#### Four\n\n###### Six\n");
    expect(html).toBe("<h3>One</h3>\n<h4>Two</h4>\n<h6>Four</h6>\n<h6>Six</h6>\n");
  });

  it("refuses javascript: links and marks links nofollow", () => {
    const { html } = renderMarkdown("[click](javascript:alert(1)) and [site](https://example.org)");
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>');
  });

  it("does not load images from elsewhere: they become links the reader may follow", () => {
    const { html, remoteImages } = renderMarkdown("![diagram](https://tracker.example/pixel.png) ![local](./img.png)");
    expect(remoteImages).toBe(2);
    expect(html).not.toContain("<img");
    expect(html).toContain('href="https://tracker.example/pixel.png"');
    expect(html).toContain("[image: local]");
  });
});

describe("code previews", () => {
  it.each([
    ["stats.py", "py"],
    ["main.rs", "rust"],
    ["index.ts", "ts"],
    ["x.unknownext", "text"],
    ["Makefile", "text"],
  ])("%s → %s", (name, lang) => expect(languageOf(name)).toBe(lang));

  it("highlights with inline styles and escapes the source", async () => {
    const { html, language } = await highlight('def f():\n    return "</pre><script>x</script>"\n', "f.py");
    expect(language).toBe("py");
    expect(html).toMatch(/^<pre class="shiki/);
    expect(html).toContain("style=");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#x3C;script>");
  });
});
