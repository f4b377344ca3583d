import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prepareTestDatabase } from "@/test/database";

// Real database: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set (npm test runs both).
prepareTestDatabase();
const { prisma } = await import("./client");
const presets = await import("./presets");
const { AppError } = await import("@/lib/errors");

afterAll(async () => {
  await prisma.$disconnect();
});

const DEFAULTS = [
  { name: "中英互译 translator", model: "gpt-5-mini", settings: { systemPrompt: "你是译者。", temperature: 0.3 } },
  { name: "Code reviewer", model: "gpt-5-mini", settings: { systemPrompt: "Review the code." } },
  { name: "周报助手", model: "gpt-5", settings: {} },
];

async function createUser() {
  const user = await prisma.user.create({ data: { email: `presets-${randomUUID()}@example.test` } });
  return user.id;
}

const names = async (userId: string) => (await presets.listPresets({ userId })).map((preset) => preset.name).sort();

describe("seedPresets", () => {
  it("copies the defaults once when many first requests race", async () => {
    const userId = await createUser();
    // Open connections first, so the racing calls really overlap on PostgreSQL.
    await Promise.all(Array.from({ length: 8 }, () => prisma.$transaction((tx) => tx.user.count())));
    await Promise.all(Array.from({ length: 8 }, () => presets.seedPresets({ userId, defaults: DEFAULTS })));
    expect(await names(userId)).toEqual(DEFAULTS.map((preset) => preset.name).sort());
    const translator = (await presets.listPresets({ userId })).find((preset) => preset.name.startsWith("中英"));
    expect(translator).toMatchObject({
      model: "gpt-5-mini",
      settings: { systemPrompt: "你是译者。", temperature: 0.3 },
    });
  });

  it("never brings back a default the user deleted", async () => {
    const userId = await createUser();
    await presets.seedPresets({ userId, defaults: DEFAULTS });
    const [first] = await presets.listPresets({ userId });
    if (!first) throw new Error("no presets were copied");
    expect(await presets.deletePreset({ id: first.id, userId })).toBe(true);
    await presets.seedPresets({ userId, defaults: DEFAULTS });
    expect(await names(userId)).toHaveLength(DEFAULTS.length - 1);
    expect(await names(userId)).not.toContain(first.name);
  });

  it("keeps a preset the user already has under a default's name", async () => {
    const userId = await createUser();
    await prisma.preset.create({ data: { userId, name: "Code reviewer", model: "gpt-5", settings: "{}" } });
    await presets.seedPresets({ userId, defaults: DEFAULTS });
    const all = await presets.listPresets({ userId });
    expect(all).toHaveLength(DEFAULTS.length);
    expect(all.find((preset) => preset.name === "Code reviewer")).toMatchObject({ model: "gpt-5", settings: {} });
  });
});

describe("a user's presets", () => {
  it("are theirs alone: another user's preset is not found, and cannot be changed or deleted", async () => {
    const owner = await createUser();
    const other = await createUser();
    const preset = await presets.createPreset({
      userId: owner,
      preset: { name: "Mine", model: "gpt-5-mini", settings: { systemPrompt: "secret" } },
    });
    expect(await presets.getPreset({ id: preset.id, userId: other })).toBeNull();
    expect(await presets.updatePreset({ id: preset.id, userId: other, changes: { name: "Stolen" } })).toBeNull();
    expect(await presets.deletePreset({ id: preset.id, userId: other })).toBe(false);
    expect(await presets.listPresets({ userId: other })).toEqual([]);
    expect(await presets.getPreset({ id: preset.id, userId: owner })).toMatchObject({
      name: "Mine",
      settings: { systemPrompt: "secret" },
    });
  });

  it("have unique names per user: a second one of that name is a conflict, another user's is fine", async () => {
    const owner = await createUser();
    const other = await createUser();
    const data = { name: "Same", model: "gpt-5-mini", settings: {} };
    await presets.createPreset({ userId: owner, preset: data });
    await presets.createPreset({ userId: other, preset: data });
    const second = presets.createPreset({ userId: owner, preset: data });
    await expect(second).rejects.toBeInstanceOf(AppError);
    await expect(second).rejects.toMatchObject({ code: "conflict" });
    const renamed = await presets.createPreset({ userId: owner, preset: { ...data, name: "Other" } });
    await expect(
      presets.updatePreset({ id: renamed.id, userId: owner, changes: { name: "Same" } }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(await names(owner)).toEqual(["Other", "Same"]);
  });

  it("are updated in part, settings replaced as a whole", async () => {
    const userId = await createUser();
    const preset = await presets.createPreset({
      userId,
      preset: { name: "P", model: "gpt-5-mini", settings: { systemPrompt: "a", temperature: 1 } },
    });
    const updated = await presets.updatePreset({ id: preset.id, userId, changes: { settings: { topP: 0.5 } } });
    expect(updated).toMatchObject({ name: "P", model: "gpt-5-mini", settings: { topP: 0.5 } });
    expect(updated?.settings).not.toHaveProperty("systemPrompt");
  });

  it("go with their user", async () => {
    const userId = await createUser();
    await presets.seedPresets({ userId, defaults: DEFAULTS });
    await prisma.user.delete({ where: { id: userId } });
    expect(await prisma.preset.count({ where: { userId } })).toBe(0);
  });
});
