"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { announceConversationsChanged } from "@/components/chat/events";
import { Button } from "@/components/ui/button";
import { AppError } from "@/lib/errors";
import { MAX_IMPORT_BYTES } from "@/lib/input-rules";

type Imported = { conversations: number; messages: number; skippedLedgerEntries: number };

type Outcome = { imported: Imported } | { error: string } | null;

/** Settings → Your data: download everything as one JSON archive, or add an archive's conversations to this account. */
export function DataSection({ children }: { children?: React.ReactNode }) {
  const t = useTranslations("settings.data");
  const [file, setFile] = useState<File | null>(null);
  const [isImporting, setIsImporting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  function importedSummary({ conversations, messages, skippedLedgerEntries }: Imported): string {
    const summary = t("imported", { conversations, messages });
    return skippedLedgerEntries === 0 ? summary : `${summary} ${t("skipped", { count: skippedLedgerEntries })}`;
  }

  /** The reason stays beside the form; the toast says it failed wherever the user has scrolled to. */
  function fail(error: string) {
    setOutcome({ error });
    toast.error(t("importFailed"), { description: error });
  }

  async function importArchive(event: React.FormEvent) {
    event.preventDefault();
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      fail(t("tooLarge", { megabytes: MAX_IMPORT_BYTES / 1024 / 1024 }));
      return;
    }
    setIsImporting(true);
    setOutcome(null);
    try {
      const response = await fetch("/api/import", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: file,
      });
      const body: unknown = await response.json().catch(() => null);
      if (response.ok) {
        const { imported } = body as { imported: Imported };
        setOutcome({ imported });
        toast.success(t("importDone"), { description: importedSummary(imported) });
        announceConversationsChanged();
      } else {
        fail(AppError.fromBody(body)?.message ?? t("failedStatus", { status: response.status }));
      }
    } catch {
      fail(t("unreachable"));
    } finally {
      setIsImporting(false);
    }
  }

  return (
    <section className="flex flex-col gap-4 rounded-2xl border border-zinc-200 p-6">
      <div>
        <h2 className="text-lg font-semibold">{t("heading")}</h2>
        <p className="mt-1 text-sm text-zinc-600">{t("intro")}</p>
      </div>
      {children}
      <div>
        <a
          href="/api/export"
          download
          className="inline-flex rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm font-medium hover:bg-zinc-50"
        >
          {t("export")}
        </a>
      </div>
      <form onSubmit={importArchive} className="flex flex-col gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t("archive")}
          <input
            type="file"
            accept="application/json,.json"
            onChange={(event) => {
              setFile(event.currentTarget.files?.[0] ?? null);
              setOutcome(null);
            }}
            className="text-sm font-normal file:mr-3 file:rounded-lg file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-zinc-50"
          />
        </label>
        <div>
          <Button type="submit" variant="secondary" disabled={!file || isImporting}>
            {isImporting ? t("importing") : t("import")}
          </Button>
        </div>
        {outcome && "imported" in outcome ? (
          <p role="status" className="text-sm text-emerald-700">
            {importedSummary(outcome.imported)}
          </p>
        ) : null}
        {outcome && "error" in outcome ? (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
            {outcome.error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
