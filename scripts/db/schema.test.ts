import { describe, expect, it } from "vitest";
import { generatorOutputDir, schemaForProvider, schemaPath } from "./schema";

const source = `// provider = "sqlite" in a comment stays as it is
generator client {
  provider     = "prisma-client"
  output       = "../lib/db/generated"
  moduleFormat = "esm"
}

datasource db {
  provider = "sqlite"
}

model User {
  id       String @id
  provider String @default("sqlite")
}
`;

describe("schemaForProvider", () => {
  const derived = schemaForProvider({ source, provider: "postgresql", targetPath: schemaPath("postgresql") });

  it("swaps the datasource provider only", () => {
    expect(derived).toContain('datasource db {\n  provider = "postgresql"\n}');
    expect(derived).toContain('provider = "sqlite" in a comment');
    expect(derived).toContain('provider String @default("sqlite")');
    expect(derived).toContain('provider     = "prisma-client"');
  });

  it("keeps the client output pointing at the same folder", () => {
    expect(derived).toContain('output       = "../../lib/db/generated"');
  });

  it("leaves the source schema unchanged for its own location", () => {
    expect(schemaForProvider({ source, provider: "sqlite", targetPath: schemaPath("sqlite") })).toBe(source);
  });

  it("refuses a schema without exactly one datasource", () => {
    expect(() =>
      schemaForProvider({
        source: "model A { id Int @id }",
        provider: "postgresql",
        targetPath: schemaPath("postgresql"),
      }),
    ).toThrow(/exactly one datasource/);
  });
});

describe("generatorOutputDir", () => {
  it("resolves the output against prisma/", () => {
    expect(generatorOutputDir(source)).toBe("lib/db/generated");
  });
});
