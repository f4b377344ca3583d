import "server-only";
import { assertKnownModel, defaultModel } from "@/lib/ai/provider";
import * as store from "@/lib/db/presets";
import { appError } from "@/lib/i18n/errors";
import type { PresetChanges, PresetInput } from "@/lib/validations";
import { DEFAULT_PRESETS } from "./default-presets";
import { type ChatSettings, settingsProblem } from "./settings";
import { storedChatSettings } from "./settings-schema";

// A user's presets: the default set copied to them on first use, then theirs to create, edit and delete. Input is
// parsed by the caller (lib/validations.ts presetSchema); whether this server offers the model is checked here.

export type Preset = Omit<store.PresetRecord, "settings"> & { settings: ChatSettings };

const notFound = () => appError("not_found", "errors.presetNotFound");

function toPreset(record: store.PresetRecord): Preset {
  return { ...record, settings: storedChatSettings(record.settings) };
}

function seedDefaults(userId: string) {
  const model = defaultModel();
  return store.seedPresets({
    userId,
    defaults: DEFAULT_PRESETS.map((preset) => ({ name: preset.name, model, settings: preset.settings })),
  });
}

/** This user's presets by name; the first call copies the defaults to them. */
export async function listPresets({ userId }: { userId: string }): Promise<Preset[]> {
  await seedDefaults(userId);
  return (await store.listPresets({ userId })).map(toPreset);
}

/** One of this user's presets, or null (someone else's is null too). */
export async function getPreset({ id, userId }: { id: string; userId: string }): Promise<Preset | null> {
  const record = await store.getPreset({ id, userId });
  return record ? toPreset(record) : null;
}

export async function createPreset({ userId, preset }: { userId: string; preset: PresetInput }): Promise<Preset> {
  await assertKnownModel(preset.model);
  const problem = settingsProblem({ settings: preset.settings, model: preset.model });
  if (problem) throw appError("bad_request", problem);
  // First use may be a create: the defaults come first, so a name of theirs is refused now rather than skipped later.
  await seedDefaults(userId);
  return toPreset(await store.createPreset({ userId, preset }));
}

export async function updatePreset({
  id,
  userId,
  changes,
}: {
  id: string;
  userId: string;
  changes: PresetChanges;
}): Promise<Preset> {
  if (changes.model !== undefined) await assertKnownModel(changes.model);
  if (changes.settings !== undefined && changes.model !== undefined) {
    const problem = settingsProblem({ settings: changes.settings, model: changes.model });
    if (problem) throw appError("bad_request", problem);
  }
  const record = await store.updatePreset({ id, userId, changes });
  if (!record) throw notFound();
  return toPreset(record);
}

export async function deletePreset({ id, userId }: { id: string; userId: string }): Promise<void> {
  if (!(await store.deletePreset({ id, userId }))) throw notFound();
}
