// Loaded on the first reply that has a formula (see markdown.tsx): KaTeX, its stylesheet and fonts (served from this
// app, out of the katex package), and remark-math.
import "katex/dist/katex.min.css";
import katex from "katex";
import type { Options } from "react-markdown";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";

export const remarkPlugins: Options["remarkPlugins"] = [remarkGfm, remarkMath];

/**
 * A formula as KaTeX's HTML. `trust: false` keeps `\href`, `\url`, `\includegraphics` and `\html…` commands out (model
 * output is not trusted); the size limits keep a hostile formula from drawing over the page or expanding for ever;
 * an error shows the TeX in red instead of throwing.
 */
export function renderMath(tex: string, isDisplay: boolean): string {
  return katex.renderToString(tex, {
    displayMode: isDisplay,
    throwOnError: false,
    trust: false,
    strict: "ignore",
    maxSize: 20,
    maxExpand: 500,
  });
}
