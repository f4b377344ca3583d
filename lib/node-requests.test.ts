import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINGER_LIMIT_BYTES, lingerOnUnreadBodies } from "./node-requests";

// A real server that answers every request at once with a 413, never reading its body (as a route does for a body
// declared too large), and clients that send the whole body on a connection they ask to close (as the fuzz spec).

let server: http.Server;
let port: number;
/** For each request, the bytes its connection had read from the client when it closed. */
const readWhenClosed: Promise<number>[] = [];

beforeAll(async () => {
  lingerOnUnreadBodies();
  server = http.createServer((request, response) => {
    const socket = request.socket;
    readWhenClosed.push(new Promise((resolve) => socket.once("close", () => resolve(socket.bytesRead))));
    // A little later, as the app answers: the client is still sending.
    setTimeout(() => response.writeHead(413, { "content-type": "text/plain" }).end("too large"), 5);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

type Outcome = { status: number | null; error: string | null; serverRead: number };

async function send(body: Buffer, headers: Record<string, string> = {}): Promise<Outcome> {
  const outcome = await new Promise<Omit<Outcome, "serverRead">>((resolve) => {
    const outcome: Omit<Outcome, "serverRead"> = { status: null, error: null };
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/",
        agent: false,
        headers: { connection: "close", ...headers },
      },
      (response) => {
        outcome.status = response.statusCode ?? null;
        response.resume();
        response.on("end", finish);
      },
    );
    const finish = () => resolve(outcome);
    request.on("error", (error) => {
      outcome.error = (error as NodeJS.ErrnoException).code ?? error.message;
      finish();
    });
    request.end(body);
  });
  return { ...outcome, serverRead: (await readWhenClosed.at(-1)) ?? 0 };
}

const MB = 1024 * 1024;

describe("lingerOnUnreadBodies", () => {
  it("answers every request whose body it did not read, with no reset, on a connection the client closes", async () => {
    const body = Buffer.alloc(17 * MB, "x");
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 12; i += 1) outcomes.push(await send(body));
    expect(outcomes.map((o) => [o.status, o.error])).toEqual(outcomes.map(() => [413, null]));
    // The server read each body to its end before it closed the connection.
    expect(outcomes.every((o) => o.serverRead > body.length)).toBe(true);
  });

  it("still closes at once on a body declared past the limit, or not declared (chunked)", async () => {
    const body = Buffer.alloc(LINGER_LIMIT_BYTES + 10 * MB, "x");
    const huge = await send(body);
    expect(huge.status).toBe(413);
    expect(huge.serverRead).toBeLessThan(LINGER_LIMIT_BYTES);
    const chunked = await send(body, { "transfer-encoding": "chunked" });
    expect(chunked.status).toBe(413);
    expect(chunked.serverRead).toBeLessThan(LINGER_LIMIT_BYTES);
  });
});
