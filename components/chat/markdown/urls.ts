import { defaultUrlTransform } from "react-markdown";

/**
 * Where a link in a reply may lead: http(s), mailto and the like, or a relative address; null for any other scheme
 * (`javascript:`, `data:`, `vbscript:`, …), and the link is then shown as its text. The model's output is not trusted:
 * a prompt injected through a web page or a file can make it write anything.
 */
export function linkHref(url: string | null | undefined): string | null {
  const trimmed = url?.trim();
  if (!trimmed) return null;
  // react-markdown's own check: a scheme before the first `/`, `?` or `#` must be http(s), mailto, irc(s) or xmpp.
  return defaultUrlTransform(trimmed) || null;
}

/**
 * An image in a reply is not fetched by the page: loading it would tell an arbitrary host who reads the reply, and
 * when. It is shown as a placeholder naming that host that opens it in a tab of its own on a click, or, when its
 * address is not an absolute http(s) one, as its description only.
 */
export function imageLink(src: string | null | undefined): { href: string; host: string } | null {
  if (!src) return null;
  let url: URL;
  try {
    url = new URL(src.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return { href: url.href, host: url.host };
}
