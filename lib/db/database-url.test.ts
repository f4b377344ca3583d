import { describe, expect, it } from "vitest";
import { driverDatabaseUrl, isTransactionPooled, migrationDatabaseUrl } from "./database-url";

describe("pooled and direct PostgreSQL connection strings", () => {
  it("knows a transaction pooler's connection string", () => {
    expect(isTransactionPooled("postgresql://u:p@ep-cool-123-pooler.us-east-2.aws.neon.tech/db?sslmode=require")).toBe(
      true,
    );
    expect(isTransactionPooled("postgresql://u:p@aws-0-eu-central-1.pooler.supabase.com:6543/postgres")).toBe(true);
    expect(isTransactionPooled("postgresql://u:p@127.0.0.1:6432/db?pgbouncer=true")).toBe(true);
    // Supabase's session pooler, Neon's direct host, a plain server: settings hold per connection.
    expect(isTransactionPooled("postgresql://u:p@aws-0-eu-central-1.pooler.supabase.com:5432/postgres")).toBe(false);
    expect(isTransactionPooled("postgresql://u:p@ep-cool-123.us-east-2.aws.neon.tech/db")).toBe(false);
    expect(isTransactionPooled("postgresql://u:p@127.0.0.1:5432/db")).toBe(false);
    expect(isTransactionPooled("not a url")).toBe(false);
  });

  it("hands the driver the URL without pgbouncer=…, and the rest as written", () => {
    expect(driverDatabaseUrl("postgresql://u:p@h:6432/db?pgbouncer=true&sslmode=require")).toBe(
      "postgresql://u:p@h:6432/db?sslmode=require",
    );
    const plain = "postgresql://u:p%40ss@h/db?sslmode=require";
    expect(driverDatabaseUrl(plain)).toBe(plain);
  });

  it("migrates over the direct connection when there is one", () => {
    const pooled = "postgresql://u:p@ep-1-pooler.neon.tech/db";
    const direct = "postgresql://u:p@ep-1.neon.tech/db";
    expect(migrationDatabaseUrl({ DATABASE_URL: pooled })).toBe(pooled);
    expect(migrationDatabaseUrl({ DATABASE_URL: pooled, DATABASE_URL_UNPOOLED: direct })).toBe(direct);
    expect(
      migrationDatabaseUrl({ DATABASE_URL: pooled, DIRECT_DATABASE_URL: ` ${direct} `, DATABASE_URL_UNPOOLED: "x" }),
    ).toBe(direct);
    // The embedded database has no pooler: a stray DIRECT_DATABASE_URL does not send migrations elsewhere.
    expect(migrationDatabaseUrl({ DATABASE_URL: "file:./data/x.db", DIRECT_DATABASE_URL: direct })).toBe(
      "file:./data/x.db",
    );
    expect(migrationDatabaseUrl({})).toBe("file:./data/chatledger.db");
  });
});
