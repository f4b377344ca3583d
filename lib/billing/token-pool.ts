import "server-only";
// TEMPORARY stand-in (counts on the calling thread) until the worker-thread pool lands; same signature.
import { countTextTokens, type Encoding, loadTokenizer } from "./tokens";

export async function countTokensOffThread({
  texts,
  encoding,
}: {
  texts: readonly string[];
  encoding: Encoding;
}): Promise<number[]> {
  await loadTokenizer(encoding);
  return texts.map((text) => countTextTokens(text, encoding));
}
