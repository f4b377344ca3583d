// Runs once when the server starts: a wrong environment stops it with a message naming the variable.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getEnv } = await import("./lib/env");
  const env = getEnv();
  // Before the first request: the per-address rate limits read the socket's address (lib/rate-limit.ts clientIp), an
  // API path Next could not decode is taken literally, and an answer sent before its request's body has all arrived
  // is not overtaken by a reset.
  const requests = await import("./lib/node-requests");
  if (env.TRUST_PROXY === 0) requests.dropClientForwardedFor();
  requests.takeMalformedApiPathsLiterally();
  requests.lingerOnUnreadBodies();
  if (!env.OPENAI_API_KEY) {
    console.warn("OPENAI_API_KEY is not set: the app runs, but sending a message will ask you to set it.");
  }
  // Reservations of a server that died (crash, kill, redeploy) are settled as their leases lapse, not only when
  // their user comes back.
  const { startLedgerMaintenance } = await import("./lib/chat/active-turns");
  startLedgerMaintenance();
  // The first count starts a worker and loads the tokenizer (about half a second): not on a user's first message.
  const { countTokensOffThread } = await import("./lib/billing/token-pool");
  void countTokensOffThread({ texts: [""], encoding: "o200k_base" }).catch((error: unknown) =>
    console.warn(`Warming up the token counting worker failed: ${String(error)}`),
  );
}
