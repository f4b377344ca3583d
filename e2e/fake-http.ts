// What the fake servers (fake-openai, fake-telegram, fake-wechat) share: serving their handler on a port of the test
// host, a handler's failure logged and answered as the faked API answers one, and closing with every connection.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

export type ServedFake = {
  server: http.Server;
  port: number;
  /** http://<host>:<port>, the host a client can reach (127.0.0.1 for a server on every interface). */
  url: string;
  /** Stops listening and ends every open connection (a held stream included). */
  close: () => Promise<void>;
};

/** Serves `handle` on `port` (0: a free one) of `host` (default 127.0.0.1); a failure is logged under `name`. */
export async function serveFake({
  name,
  handle,
  answerFailure,
  port = 0,
  host,
}: {
  name: string;
  handle: FakeHandler;
  /** The faked API's answer to a failure of its own (a 500 in its shape). */
  answerFailure: (res: http.ServerResponse) => void;
  port?: number;
  host?: string;
}): Promise<ServedFake> {
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(`[${name}] handler failed:`, error);
      if (!res.headersSent) answerFailure(res);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host ?? "127.0.0.1", () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const reachable = host && host !== "0.0.0.0" ? host : "127.0.0.1";
  return {
    server,
    port: bound,
    url: `http://${reachable}:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
