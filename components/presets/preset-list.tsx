"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { AppError } from "@/lib/errors";
import { PresetForm, type PresetValues } from "./preset-form";

export type PresetItem = PresetValues & { id: string };

type Editing = { kind: "new" } | { kind: "edit"; id: string } | null;

const byName = (a: PresetItem, b: PresetItem) => a.name.localeCompare(b.name);

/** The server's error sentence for a refused request, or `fallback` when the body has none. */
async function refusal(response: Response, fallback: string): Promise<string> {
  const body: unknown = await response.json().catch(() => null);
  return AppError.fromBody(body)?.message ?? fallback;
}

/** The /presets page's list: start a chat from a preset, create, edit and delete (after a confirmation) presets. */
export function PresetList({
  initialPresets,
  models,
  defaultModel,
}: {
  initialPresets: PresetItem[];
  models: string[];
  defaultModel: string;
}) {
  const t = useTranslations("presets");
  const tCommon = useTranslations("common");
  const [presets, setPresets] = useState(initialPresets);
  const [editing, setEditing] = useState<Editing>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  async function save(values: PresetValues, id?: string): Promise<string | null> {
    const response = await fetch(id ? `/api/presets/${encodeURIComponent(id)}` : "/api/presets", {
      method: id ? "PATCH" : "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(values),
    });
    if (!response.ok) return refusal(response, t("saveFailed", { status: response.status }));
    const { preset } = (await response.json()) as { preset: PresetItem };
    setPresets((list) => [...list.filter((p) => p.id !== preset.id), preset].sort(byName));
    setEditing(null);
    toast.success(id ? t("saved", { name: preset.name }) : t("created", { name: preset.name }));
    return null;
  }

  async function remove(preset: PresetItem) {
    setDeleteError(null);
    const response = await fetch(`/api/presets/${encodeURIComponent(preset.id)}`, { method: "DELETE" });
    if (!response.ok && response.status !== 404) {
      return setDeleteError(await refusal(response, t("deleteFailed", { status: response.status })));
    }
    setPresets((list) => list.filter((p) => p.id !== preset.id));
    setConfirming(null);
    toast.success(t("deleted", { name: preset.name }));
  }

  return (
    <div className="flex flex-col gap-4">
      {editing?.kind === "new" ? (
        <section aria-label={t("new")} className="rounded-2xl border border-zinc-200 p-6">
          <h2 className="mb-4 text-lg font-semibold">{t("new")}</h2>
          <PresetForm
            initial={{ name: "", model: defaultModel, settings: {} }}
            models={models}
            submitLabel={t("create")}
            onSave={(values) => save(values)}
            onCancel={() => setEditing(null)}
          />
        </section>
      ) : (
        <div>
          <Button onClick={() => setEditing({ kind: "new" })}>{t("new")}</Button>
        </div>
      )}
      {deleteError ? (
        <p role="alert" className="text-sm text-red-700">
          {deleteError}
        </p>
      ) : null}
      {presets.length === 0 ? <p className="text-sm text-zinc-500">{t("none")}</p> : null}
      <ul className="flex flex-col gap-3">
        {presets.map((preset) => (
          <li key={preset.id} aria-label={preset.name} className="rounded-2xl border border-zinc-200 p-5">
            {editing?.kind === "edit" && editing.id === preset.id ? (
              <PresetForm
                initial={preset}
                models={models}
                submitLabel={t("save")}
                onSave={(values) => save(values, preset.id)}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <div className="flex flex-col gap-3">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h2 className="font-semibold">{preset.name}</h2>
                  <span className="text-xs text-zinc-500">{preset.model}</span>
                </div>
                {preset.settings.systemPrompt ? (
                  <p className="line-clamp-3 text-sm whitespace-pre-line text-zinc-600">
                    {preset.settings.systemPrompt}
                  </p>
                ) : (
                  <p className="text-sm text-zinc-500">{t("noSystemPrompt")}</p>
                )}
                {confirming === preset.id ? (
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="text-sm text-zinc-700">{t("confirmDelete")}</span>
                    <Button variant="danger" onClick={() => remove(preset)}>
                      {t("deletePreset")}
                    </Button>
                    <Button variant="secondary" onClick={() => setConfirming(null)}>
                      {tCommon("cancel")}
                    </Button>
                  </div>
                ) : (
                  <div className="flex flex-wrap gap-2">
                    {/* A full load: the new-chat page mints a fresh conversation with the preset applied. */}
                    <a
                      href={`/?preset=${encodeURIComponent(preset.id)}`}
                      className="rounded-lg bg-zinc-900 px-3 py-2 text-sm font-medium text-white hover:bg-zinc-700"
                    >
                      {t("startChat")}
                    </a>
                    <Button variant="secondary" onClick={() => setEditing({ kind: "edit", id: preset.id })}>
                      {t("edit")}
                    </Button>
                    <Button variant="ghost" onClick={() => setConfirming(preset.id)}>
                      {tCommon("delete")}
                    </Button>
                  </div>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
