// Waiting for a call a fake platform API recorded (e2e/telegram.ts, e2e/wechat.ts): the app makes it after answering
// the delivery, so the specs poll the fake's record for it.

/**
 * The first call `read` returns that `where` accepts, polled every 100 ms until `timeout`; then an error listing the
 * calls seen (`describe`d) under `what`.
 */
export async function waitForRecordedCall<Call>({
  read,
  where,
  timeout,
  what,
  describe,
}: {
  read: () => Promise<Call[]>;
  where?: (call: Call) => boolean;
  timeout: number;
  what: string;
  describe: (call: Call) => string;
}): Promise<Call> {
  const deadline = Date.now() + timeout;
  let seen: Call[] = [];
  for (;;) {
    seen = await read();
    const found = seen.find((call) => !where || where(call));
    if (found) return found;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const summary = seen.map(describe).join("\n") || "(none)";
  throw new Error(`No ${what}${where ? " and `where`" : ""} within ${timeout} ms. Calls seen:\n${summary}`);
}
