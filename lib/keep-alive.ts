import "server-only";
import { after } from "next/server";

/**
 * Keeps the function serving this request alive until `work` ends, also after its response has ended or its reader
 * has gone: on Vercel (`waitUntil`) a function is otherwise frozen once its response is done, and a reply the browser
 * stopped reading would be neither settled nor stored. On a long-lived server (`next start`) the process goes on
 * anyway, and Next waits for the work before it shuts down. Outside a request (a unit test, a script) there is no
 * function to keep alive.
 */
export function keepAliveUntil(work: Promise<unknown>): void {
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  try {
    after(settled);
  } catch (error) {
    if (!(error instanceof Error && error.message.includes("outside a request scope"))) throw error;
  }
}
