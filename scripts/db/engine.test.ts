import { describe, expect, it } from "vitest";
import { DbToolError, engineErrorMessage, redactUrl, relabelInternalCharAsText } from "./engine";

describe("relabelInternalCharAsText", () => {
  it('relabels "char" columns as text, in single and multi-statement results', () => {
    const single = { fields: [{ dataTypeID: 18 }, { dataTypeID: 23 }] };
    expect(relabelInternalCharAsText(single).fields.map((field) => field.dataTypeID)).toEqual([25, 23]);
    const multi = [{ fields: [{ dataTypeID: 18 }] }, { fields: [] }, null];
    expect(relabelInternalCharAsText(multi)[0]?.fields[0]?.dataTypeID).toBe(25);
  });
});

describe("redactUrl", () => {
  it("hides the password only", () => {
    expect(redactUrl("postgres://app:s3cr3t@db.example:5432/chat?sslmode=require")).toBe(
      "postgres://app:***@db.example:5432/chat?sslmode=require",
    );
    expect(redactUrl("postgresql://app@localhost/chat")).toBe("postgresql://app@localhost/chat");
    expect(redactUrl("file:./data/chatledger.db")).toBe("file:./data/chatledger.db");
  });
});

describe("engineErrorMessage", () => {
  it("drops the engine's span trace", () => {
    const error = new Error(
      "Database `nope` does not exist\n   0: sql_schema_connector::flavour::postgres::connection\n             at schema-engine/…",
    );
    expect(engineErrorMessage(error)).toBe("Database `nope` does not exist");
  });

  it("names the failed migration from the trace", () => {
    const error = new Error(
      'external connector error\nError querying the database: ERROR: relation "b" already exists\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="20250101000000_add_b"\n             at …',
    );
    expect(engineErrorMessage(error)).toBe(
      'Error querying the database: ERROR: relation "b" already exists (migration 20250101000000_add_b)',
    );
  });

  it("replaces external error ids with the JavaScript error behind them", () => {
    const registry = {
      consumeError: (id: number) => (id === 3 ? { error: new Error('table "Tag" already exists') } : undefined),
    };
    expect(engineErrorMessage(new Error("Migration failed:\nExternal error id#3"), registry)).toBe(
      'Migration failed:\ntable "Tag" already exists',
    );
  });

  it("passes our own errors through", () => {
    expect(engineErrorMessage(new DbToolError("set SHADOW_DATABASE_URL"))).toBe("set SHADOW_DATABASE_URL");
  });
});
