import "server-only";
import { appError } from "@/lib/i18n/errors";
import { prisma } from "./client";
import { isUniqueViolation } from "./users";

// A user's presets. Every function takes the signed-in user's id and filters by it: someone else's preset is simply
// not found. `settings` is stored as JSON text; callers validate it (lib/chat/settings.ts) before it is written.

export type PresetData = { name: string; model: string; settings: Record<string, unknown> };

export type PresetRecord = PresetData & { id: string; createdAt: Date; updatedAt: Date };

const select = { id: true, name: true, model: true, settings: true, createdAt: true, updatedAt: true } as const;

function toRecord(row: { settings: string } & Omit<PresetRecord, "settings">): PresetRecord {
  return { ...row, settings: JSON.parse(row.settings) as Record<string, unknown> };
}

const nameTaken = (name: string) => appError("conflict", { key: "errors.presetNameTaken", params: { name } });

/** This user's presets, by name, with their settings parsed (as stored). Also what the data export holds. */
export async function listPresets({ userId }: { userId: string }): Promise<PresetRecord[]> {
  const rows = await prisma.preset.findMany({ where: { userId }, orderBy: { name: "asc" }, select });
  return rows.map(toRecord);
}

export async function getPreset({ id, userId }: { id: string; userId: string }): Promise<PresetRecord | null> {
  const row = await prisma.preset.findFirst({ where: { id, userId }, select });
  return row ? toRecord(row) : null;
}

export async function createPreset({ userId, preset }: { userId: string; preset: PresetData }) {
  try {
    const row = await prisma.preset.create({
      data: { userId, name: preset.name, model: preset.model, settings: JSON.stringify(preset.settings) },
      select,
    });
    return toRecord(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(preset.name);
    throw error;
  }
}

/** The updated preset; null when there is no such preset for this user. */
export async function updatePreset({
  id,
  userId,
  changes,
}: {
  id: string;
  userId: string;
  changes: Partial<PresetData>;
}): Promise<PresetRecord | null> {
  const { settings, ...rest } = changes;
  try {
    const { count } = await prisma.preset.updateMany({
      where: { id, userId },
      data: { ...rest, ...(settings === undefined ? {} : { settings: JSON.stringify(settings) }) },
    });
    return count === 1 ? getPreset({ id, userId }) : null;
  } catch (error) {
    if (isUniqueViolation(error) && rest.name !== undefined) throw nameTaken(rest.name);
    throw error;
  }
}

/** True when deleted; false when there is no such preset for this user. */
export async function deletePreset({ id, userId }: { id: string; userId: string }) {
  const { count } = await prisma.preset.deleteMany({ where: { id, userId } });
  return count === 1;
}

/**
 * Copies `defaults` to this user once, the first time they use presets; later calls do nothing, so presets the user
 * deleted stay deleted. Safe under concurrency: the user row's `presetsSeededAt` is claimed by a conditional update in
 * the same transaction as the copy, so of two first requests one copies and the other (which waits for the row, or
 * for SQLite's single writer) finds it claimed. A name the user already holds (an imported preset) is kept as is.
 * The unique (userId, name) index is the last guard: a preset of that name created by another request between the
 * read and the copy rolls the whole copy back (the claim too), and the next visit copies again.
 */
export async function seedPresets({ userId, defaults }: { userId: string; defaults: readonly PresetData[] }) {
  const seeded = await prisma.user.findUnique({ where: { id: userId }, select: { presetsSeededAt: true } });
  if (!seeded || seeded.presetsSeededAt) return;
  try {
    await prisma.$transaction(async (tx) => {
      const { count } = await tx.user.updateMany({
        where: { id: userId, presetsSeededAt: null },
        data: { presetsSeededAt: new Date() },
      });
      if (count === 0) return;
      const held = new Set(
        (await tx.preset.findMany({ where: { userId }, select: { name: true } })).map((preset) => preset.name),
      );
      const missing = defaults.filter((preset) => !held.has(preset.name));
      if (missing.length === 0) return;
      await tx.preset.createMany({
        data: missing.map((preset) => ({
          userId,
          name: preset.name,
          model: preset.model,
          settings: JSON.stringify(preset.settings),
        })),
      });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}
