// What the app answers, read from its own files, so a test that must cover every entry point cannot fall behind the
// app: route handlers (app/**/route.ts and the HTTP methods they export), server actions (the exported functions of
// app/**/actions.ts and any other "use server" module, with the ids the build gave them) and dynamic pages (app/**/[param]/page.tsx). Also how a server
// action is called over HTTP the way React calls it from the browser, and a checksum of a user's rows to prove a
// request changed nothing.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import type { TestDatabase } from "./db";

const ROOT = path.resolve(__dirname, "..");
const APP = path.join(ROOT, "app");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

const filesNamed = (dir: string, name: string) => filesUnder(dir).filter((file) => path.basename(file) === name);

/** app/(chat)/api/files/[id]/route.ts → /api/files/[id]: route groups are not part of the URL. */
function urlPattern(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment && !/^\(.*\)$/.test(segment));
  return `/${segments.join("/")}`;
}

/** "GET /api/conversations/[id]" for every method every route.ts exports. */
export function routeHandlers(): string[] {
  return filesNamed(APP, "route.ts").flatMap((file) => {
    const source = fs.readFileSync(file, "utf8");
    const exported = new Set<string>();
    for (const match of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Z]+)\b/g)) exported.add(match[1] ?? "");
    // `export const { GET, POST } = handlers;` (Auth.js)
    for (const match of source.matchAll(/export\s+const\s+\{([^}]*)\}/g)) {
      for (const name of (match[1] ?? "").split(",")) exported.add(name.trim());
    }
    const pattern = urlPattern(file);
    return METHODS.filter((method) => exported.has(method)).map((method) => `${method} ${pattern}`);
  });
}

/**
 * "app/(chat)/settings/actions.ts#saveBudget" for every function a "use server" module exports: the actions.ts files
 * of app/ and any such module in lib/ (lib/i18n/actions.ts), since each export is callable over HTTP.
 */
export function serverActions(): string[] {
  const sources = ["app", "lib"].flatMap((dir) => filesUnder(path.join(ROOT, dir)));
  return sources
    .filter((file) => /\.tsx?$/.test(file))
    .flatMap((file) => {
      const source = fs.readFileSync(file, "utf8");
      if (!/^\s*["']use server["']/.test(source)) return [];
      const relative = path.relative(ROOT, file).split(path.sep).join("/");
      return [...source.matchAll(/export\s+async\s+function\s+(\w+)/g)].map((match) => `${relative}#${match[1]}`);
    });
}

/** "/c/[id]" for every page under a dynamic segment. */
export function dynamicPages(): string[] {
  return filesNamed(APP, "page.tsx")
    .map(urlPattern)
    .filter((pattern) => /\[[^\]]+\]/.test(pattern));
}

export interface ActionReference {
  id: string;
  /** A page whose worker holds the action: where the browser posts it. */
  page: string;
}

/**
 * Server action ids from the build (.next/server/server-reference-manifest.json), keyed as serverActions() names them.
 * The id is what the browser sends in the Next-Action header; it changes with every build.
 */
export function actionReferences(): Map<string, ActionReference> {
  const manifestFile = path.join(ROOT, ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  const references = new Map<string, ActionReference>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (!entry.filename || !entry.exportedName) continue;
    const worker = Object.keys(entry.workers).find((name) => name.endsWith("/page"));
    if (!worker) continue;
    references.set(`${entry.filename}#${entry.exportedName}`, { id, page: urlPattern(path.join(ROOT, worker)) });
  }
  return references;
}

/** An argument of a server action: a value sent as JSON, or a FormData sent as React sends one (beside the list). */
export type ActionArgument = { json: unknown } | { formData: Record<string, string> };

/**
 * Calls a server action as React's client does: POST to a page that holds it, the action's id in Next-Action, the
 * arguments encoded as a multipart reply ("0" the argument list, "$K1" a FormData whose fields are named "1_<name>").
 * Sent as the same-origin browser would send it (Origin and Sec-Fetch-Site).
 */
export async function callAction(
  api: APIRequestContext,
  baseURL: string,
  action: ActionReference,
  args: ActionArgument[],
): Promise<APIResponse> {
  const multipart: Record<string, string> = {};
  const encoded = args.map((arg) => {
    if ("json" in arg) return arg.json;
    for (const [name, value] of Object.entries(arg.formData)) multipart[`1_${name}`] = value;
    return "$K1";
  });
  multipart["0"] = JSON.stringify(encoded);
  return api.post(action.page, {
    headers: actionHeaders(baseURL, action.id),
    multipart,
    maxRedirects: 0,
  });
}

export function actionHeaders(baseURL: string, id: string): Record<string, string> {
  return {
    "next-action": id,
    accept: "text/x-component",
    origin: new URL(baseURL).origin,
    "sec-fetch-site": "same-origin",
  };
}

async function tables(db: TestDatabase): Promise<string[]> {
  const rows = await db
    .query<{ name: string }>(
      `SELECT "table_name" AS "name" FROM information_schema.tables WHERE "table_schema" = current_schema() AND "table_type" = 'BASE TABLE'`,
    )
    .catch(() => db.query<{ name: string }>(`SELECT "name" FROM sqlite_master WHERE "type" = 'table'`));
  // Prisma's migration log, and SQLite's own and full-text index tables, are not the app's rows.
  return rows
    .map((row) => row.name)
    .filter((name) => !/^(_prisma_migrations|sqlite_.*|.*_fts(_.*)?)$/i.test(name))
    .sort();
}

/** One value as text the same on both databases (dates, BigInt, booleans and buffers read differently). */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return "∅";
  if (value instanceof Date) return String(value.getTime());
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return createHash("sha256").update(value).digest("hex");
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return String(time);
  }
  return String(value);
}

export interface TableState {
  /** Rows per table. */
  counts: Record<string, number>;
  /** SHA-256 of each table's rows, each row canonical and the rows sorted. */
  checksums: Record<string, string>;
}

/**
 * Every table of the app, counted and checksummed. `only` keeps the rows whose values mention one of these strings (a
 * user's id, their conversations' ids): the rows that are theirs, in whatever table they live.
 */
export async function tableState(db: TestDatabase, only?: string[]): Promise<TableState> {
  const state: TableState = { counts: {}, checksums: {} };
  for (const table of await tables(db)) {
    const rows = (await db.query(`SELECT * FROM "${table}"`))
      .map((row) =>
        Object.keys(row)
          .sort()
          .map((key) => `${key}=${canonical(row[key])}`)
          .join("\u0001"),
      )
      .filter((row) => !only || only.some((needle) => row.includes(needle)))
      .sort();
    state.counts[table] = rows.length;
    state.checksums[table] = createHash("sha256").update(rows.join("\u0002")).digest("hex");
  }
  return state;
}

/** The tables whose rows differ between two states, with their counts before → after. */
export function changedTables(before: TableState, after: TableState): string[] {
  return Object.keys({ ...before.checksums, ...after.checksums })
    .filter((table) => before.checksums[table] !== after.checksums[table])
    .map((table) => `${table} (${before.counts[table] ?? 0} → ${after.counts[table] ?? 0} rows)`);
}
