// Database tooling that works offline, for SQLite and PostgreSQL from the one prisma/schema.prisma:
//   generate              Prisma client for DATABASE_URL's provider (skipped when already up to date; --force)
//   deploy                apply pending migrations to DATABASE_URL (idempotent, run by `npm start`)
//   migrate --name <x>    new migration for both providers from the schema, then generate and deploy
// How and why: docs/database.md.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadEnvConfig } from "@next/env";
import type { DiffTarget, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm";
import { type DatabaseProvider, databaseProvider, migrationDatabaseUrl, sqliteFilePath } from "../lib/db/database-url";
import { DbToolError, engineErrorMessage, redactUrl, withSchemaEngine } from "./db/engine";
import {
  listMigrationNames,
  lockfileContent,
  migrationSlug,
  migrationTimestamp,
  readMigrationList,
  SNAPSHOT_FILE,
  writeMigration,
} from "./db/migrations";
import {
  externalTables,
  generatorOutputDir,
  migrationsPath,
  readSourceSchema,
  SOURCE_SCHEMA,
  schemaForProvider,
  schemaPath,
  sha256,
  writeProviderSchema,
} from "./db/schema";

const root = path.resolve(__dirname, "..");
const PROVIDERS: DatabaseProvider[] = ["sqlite", "postgresql"];
const USAGE = "usage: npm run db:generate [-- --force] | npm run db:deploy | npm run db:migrate -- --name <change>";

/** Tables the migrations made in raw SQL are left alone, not dropped as drift (see externalTables). */
function schemaFilter(provider: DatabaseProvider): SchemaFilter {
  return { externalTables: externalTables(provider), externalEnums: [] };
}

function describeTarget(url: string): string {
  if (databaseProvider(url) !== "sqlite") return redactUrl(url);
  const file = sqliteFilePath(url);
  return file.startsWith(`${root}${path.sep}`) ? path.relative(root, file) : file;
}

/** "<provider> <hash of schema and Prisma version>", inside the generated folder so deleting the client forgets it. */
function generatedStampFile(): string {
  return path.join(root, generatorOutputDir(readSourceSchema(root)), ".generated-from");
}

function readGeneratedStamp(): string | undefined {
  const file = generatedStampFile();
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined;
}

function generate({ url, force }: { url: string; force: boolean }) {
  const provider = databaseProvider(url);
  const schemaFile = writeProviderSchema(root, provider);
  const schema = fs.readFileSync(path.join(root, schemaFile), "utf8");
  const prismaVersion = JSON.parse(fs.readFileSync(require.resolve("prisma/package.json"), "utf8")).version as string;
  const stamp = `${provider} ${sha256(JSON.stringify({ prismaVersion, schema }))}`;
  if (!force && readGeneratedStamp() === stamp) {
    console.log(`db generate: Prisma client for ${provider} is up to date`);
    return;
  }
  const result = spawnSync(path.join(root, "node_modules", ".bin", "prisma"), ["generate", "--schema", schemaFile], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      // Generating never runs the schema engine, but the CLI insists on finding its binary and would try to download
      // it; any existing file satisfies that check.
      PRISMA_SCHEMA_ENGINE_BINARY:
        process.env.PRISMA_SCHEMA_ENGINE_BINARY || require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"),
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  });
  if (result.status !== 0) {
    throw new DbToolError(`prisma generate failed (${result.error?.message ?? `exit code ${result.status}`})`);
  }
  fs.writeFileSync(generatedStampFile(), `${stamp}\n`);
  console.log(`db generate: Prisma client generated for ${provider} from ${schemaFile}`);
}

async function deploy({ url }: { url: string }) {
  const provider = databaseProvider(url);
  const migrationsList = readMigrationList(root, provider);
  const count = migrationsList.migrationDirectories.length;
  if (count === 0) {
    throw new DbToolError(
      `No migrations in ${migrationsPath(provider)}: create one with npm run db:migrate -- --name <change>`,
    );
  }
  const schema = fs.readFileSync(path.join(root, writeProviderSchema(root, provider)), "utf8");
  const target = describeTarget(url);
  const { applied, diagnosis } = await withSchemaEngine({ provider, url, schema }, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: schemaFilter(provider) });
    // Only now: on a database without the _prisma_migrations table the diagnosis fails (P1014) instead of reporting.
    const diagnosis = await engine.diagnoseMigrationHistory({
      migrationsList,
      optInToShadowDatabase: false,
      filters: schemaFilter(provider),
    });
    return { applied: appliedMigrationNames, diagnosis };
  }).catch((error: unknown) => {
    throw new DbToolError(`deploy to ${target} failed: ${engineErrorMessage(error)}`);
  });

  if (applied.length > 0) {
    console.log(`db deploy: applied ${applied.length} migration(s) to ${target}: ${applied.join(", ")}`);
  } else {
    console.log(`db deploy: ${target} is up to date (${count} migration(s))`);
  }
  for (const name of diagnosis.editedMigrationNames) {
    console.warn(`db deploy: warning: ${name}/migration.sql was changed after it was applied to ${target}`);
  }
  const generatedFor = readGeneratedStamp()?.split(" ")[0];
  if (generatedFor && generatedFor !== provider) {
    console.warn(
      `db deploy: warning: the Prisma client was generated for ${generatedFor}, but DATABASE_URL is ${provider}: run npm run build (or npm run db:generate in development)`,
    );
  }
  if (diagnosis.history?.diagnostic === "migrationsDirectoryIsBehind") {
    console.warn(
      `db deploy: warning: ${target} has migrations missing from ${migrationsPath(provider)}: ${diagnosis.history.unpersistedMigrationNames.join(", ")}`,
    );
  }
}

/** The migration SQL from `from` to `to`, or null when they describe the same database. */
async function diffScript(
  engine: SchemaEngine,
  from: DiffTarget,
  to: DiffTarget,
  provider: DatabaseProvider,
): Promise<string | null> {
  const filters = schemaFilter(provider);
  const { exitCode, stdout } = await engine.diff({ from, to, script: true, exitCode: true, filters });
  return exitCode === 2 ? (stdout ?? "") : null;
}

function datamodel(content: string): DiffTarget {
  return { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content }] };
}

/** The provider's migration history as a diff source; the engine replays it on a shadow database. */
function migrationHistory(provider: DatabaseProvider): DiffTarget {
  const list = readMigrationList(root, provider);
  if (list.migrationDirectories.length === 0) return { tag: "empty" };
  return {
    tag: "migrations",
    ...list,
    lockfile: { ...list.lockfile, content: list.lockfile.content ?? lockfileContent(provider) },
  };
}

/** SQLite: replay the migrations in memory and diff against the schema, as `prisma migrate dev` does. */
function sqliteScript(source: string): Promise<string | null> {
  return withSchemaEngine({ provider: "sqlite", schema: source }, (engine) =>
    diffScript(engine, migrationHistory("sqlite"), datamodel(source), "sqlite"),
  );
}

/** PostgreSQL with a server: replay the migrations on the throwaway SHADOW_DATABASE_URL, as `prisma migrate dev` does. */
function postgresScriptByReplay(schema: string, shadowDatabaseUrl: string): Promise<string | null> {
  return withSchemaEngine({ provider: "postgresql", shadowDatabaseUrl, schema }, async (engine) => {
    // The engine does not clear a shadow database it did not create; its main connection is that same database.
    await engine.reset({ filter: schemaFilter("postgresql") });
    return diffScript(engine, migrationHistory("postgresql"), datamodel(schema), "postgresql");
  }).catch((error: unknown) => {
    throw new DbToolError(
      `replaying migrations on SHADOW_DATABASE_URL (${redactUrl(shadowDatabaseUrl)}) failed: ${engineErrorMessage(error)}`,
    );
  });
}

/**
 * PostgreSQL without a server: diff the schema as of the last migration (the snapshot) against the current one.
 * Diffing two schemas needs no database; the engine takes the SQL dialect from their provider. The snapshot is
 * trusted only if replaying the SQLite migrations gives exactly it.
 */
async function postgresScriptFromSnapshot(source: string, hasHistory: boolean): Promise<string | null> {
  const snapshotFile = path.join(root, SNAPSHOT_FILE);
  const snapshot = fs.existsSync(snapshotFile) ? fs.readFileSync(snapshotFile, "utf8") : undefined;
  const forPostgres = (schema: string) =>
    schemaForProvider({ source: schema, provider: "postgresql", targetPath: schemaPath("postgresql") });
  return withSchemaEngine({ provider: "sqlite", schema: source }, async (engine) => {
    if (!hasHistory) return diffScript(engine, { tag: "empty" }, datamodel(forPostgres(source)), "sqlite");
    if (!snapshot) {
      throw new DbToolError(
        `${SNAPSHOT_FILE} is missing, so the PostgreSQL migration cannot be computed offline. Set SHADOW_DATABASE_URL to a throwaway PostgreSQL database (see docs/database.md).`,
      );
    }
    if ((await diffScript(engine, migrationHistory("sqlite"), datamodel(snapshot), "sqlite")) !== null) {
      throw new DbToolError(
        `${SNAPSHOT_FILE} does not match the migrations (a migration edited by hand, or branches merged). Set SHADOW_DATABASE_URL to a throwaway PostgreSQL database so the migrations are replayed instead (see docs/database.md).`,
      );
    }
    return diffScript(engine, datamodel(forPostgres(snapshot)), datamodel(forPostgres(source)), "sqlite");
  });
}

async function migrate({ url, name, shadowDatabaseUrl }: { url: string; name: string; shadowDatabaseUrl?: string }) {
  const slug = migrationSlug(name);
  if (!slug) throw new DbToolError(`${USAGE}\n(the name must contain letters or digits)`);
  const [sqliteNames = [], postgresNames = []] = PROVIDERS.map((provider) => listMigrationNames(root, provider));
  if (sqliteNames.join() !== postgresNames.join()) {
    throw new DbToolError(
      `${migrationsPath("sqlite")} and ${migrationsPath("postgresql")} must hold the same migrations; they differ. Restore the missing ones (git status) before creating another.`,
    );
  }
  if (shadowDatabaseUrl && shadowDatabaseUrl === url) {
    throw new DbToolError("SHADOW_DATABASE_URL must be a throwaway database, not DATABASE_URL: it is wiped on use.");
  }

  const source = readSourceSchema(root);
  const scripts: Record<DatabaseProvider, string | null> = {
    sqlite: await sqliteScript(source),
    postgresql: shadowDatabaseUrl
      ? await postgresScriptByReplay(
          schemaForProvider({ source, provider: "postgresql", targetPath: schemaPath("postgresql") }),
          shadowDatabaseUrl,
        )
      : await postgresScriptFromSnapshot(source, sqliteNames.length > 0),
  };

  if (scripts.sqlite === null && scripts.postgresql === null) {
    console.log(`db migrate: no changes: ${SOURCE_SCHEMA} matches the migrations; nothing written`);
  } else {
    const directory = `${migrationTimestamp(new Date(), sqliteNames.at(-1))}_${slug}`;
    for (const provider of PROVIDERS) {
      // Both histories keep the same migration names, even when a change means nothing to one of the databases.
      const script = scripts[provider] ?? "-- This is an empty migration.\n";
      console.log(`db migrate: wrote ${writeMigration({ root, provider, directory, script })}`);
    }
    // The stock CLI would list the data loss and ask; the engine's wasm build cannot evaluate it, so say it plainly.
    if (/\bDROP (COLUMN|TABLE)\b/.test(scripts.postgresql ?? "")) {
      console.warn(
        "db migrate: warning: this migration drops columns or tables; their data will be lost. Review the SQL.",
      );
    }
    fs.writeFileSync(
      path.join(root, SNAPSHOT_FILE),
      `// Written by scripts/db.ts migrate: ${SOURCE_SCHEMA} as of ${directory}. Do not edit.\n${source}`,
    );
  }
  generate({ url, force: false });
  await deploy({ url });
}

function parseArgs(args: string[]): { name?: string; force: boolean } {
  const parsed: { name?: string; force: boolean } = { force: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--force") parsed.force = true;
    else if (arg === "--name") parsed.name = args[++i];
    else if (arg.startsWith("--name=")) parsed.name = arg.slice("--name=".length);
    else throw new DbToolError(`unknown argument "${arg}"\n${USAGE}`);
  }
  return parsed;
}

async function main([command, ...rest]: string[]) {
  loadEnvConfig(root, false, { info: () => {}, error: console.error });
  // Migrations go over the direct connection when DATABASE_URL is a transaction pooler's (lib/db/database-url.ts).
  const url = migrationDatabaseUrl();
  try {
    databaseProvider(url);
  } catch (error) {
    throw new DbToolError((error as Error).message);
  }
  const args = parseArgs(rest);
  switch (command) {
    case "generate":
      return generate({ url, force: args.force });
    case "deploy":
      return deploy({ url });
    case "migrate":
      if (!args.name) throw new DbToolError(`migrate needs a name for the change\n${USAGE}`);
      return migrate({ url, name: args.name, shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL || undefined });
    default:
      throw new DbToolError(USAGE);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Expected failures (unreachable database, failed migration, bad input) get one clear message; bugs get the stack.
  console.error(error instanceof DbToolError ? `db: ${error.message}` : error);
  process.exitCode = 1;
});
