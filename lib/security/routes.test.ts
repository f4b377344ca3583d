import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CROSS_SITE_EXEMPT_PATHS } from "./cross-origin";

// Every route handler that may change something refuses cross-site requests itself (lib/security/guard.ts): found
// from the route tree, so a new route.ts cannot forget it.

const ROOT = path.resolve(__dirname, "../..");

/** Off (404) unless the benchmark starts the server with CHATLEDGER_BENCH_FLOOR=1: the stack's floor, untouched. */
const NOT_CHECKED = ["/api/bench/floor"];

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

/** The URL path of a route file: route groups `(chat)` leave no trace. */
function urlPath(file: string): string {
  const segments = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
  return `/${segments.filter((segment) => !/^\(.*\)$/.test(segment)).join("/")}`;
}

/** Each exported POST/PUT/PATCH/DELETE handler's body, up to the next export. */
function mutatingHandlers(source: string): { method: string; body: string }[] {
  const exports = [...source.matchAll(/^export (?:async )?function (\w+)/gm)];
  return exports.flatMap((match, index) => {
    const method = match[1] ?? "";
    if (!["POST", "PUT", "PATCH", "DELETE"].includes(method)) return [];
    return [{ method, body: source.slice(match.index, exports[index + 1]?.index ?? source.length) }];
  });
}

describe("route handlers that change something", () => {
  const routes = routeFiles(path.join(ROOT, "app")).map((file) => ({ file, url: urlPath(file) }));

  it("are found (the walk sees the app's routes and their handlers)", () => {
    const handlers = routes.flatMap(({ file }) => mutatingHandlers(fs.readFileSync(file, "utf8")));
    expect(routes.map((route) => route.url)).toContain("/api/chat");
    expect(handlers.length).toBeGreaterThanOrEqual(17);
  });

  it("each refuse cross-site requests first, outside the exempt paths", () => {
    const forgotten: string[] = [];
    for (const { file, url } of routes) {
      const isExempt = CROSS_SITE_EXEMPT_PATHS.some((prefix) => `${url}/`.startsWith(prefix));
      if (isExempt || NOT_CHECKED.includes(url)) continue;
      for (const { method, body } of mutatingHandlers(fs.readFileSync(file, "utf8"))) {
        // The first statement of the handler's try: before the session, the body or anything else is read.
        if (!/\{\s*try \{\s*refuseCrossSite\(request\);/.test(body)) forgotten.push(`${method} ${url}`);
      }
    }
    expect(forgotten).toEqual([]);
  });
});
