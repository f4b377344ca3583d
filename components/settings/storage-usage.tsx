import { useFormatter, useTranslations } from "next-intl";

const MB = 1024 * 1024;

/**
 * Settings → Your data: how much the user's stored files (generated and attached images) take of their quota. The
 * bytes live in the database (lib/storage); deleting a conversation deletes its files.
 */
export function StorageUsage({ usedBytes, quotaBytes }: { usedBytes: number; quotaBytes: number }) {
  const t = useTranslations("settings.storage");
  const format = useFormatter();
  // Under a megabyte, two decimals so a first image does not read as nothing.
  const megabytes = (bytes: number) =>
    format.number(bytes / MB, { maximumFractionDigits: bytes > 0 && bytes < MB ? 2 : 1 });
  return (
    <div className="flex flex-col gap-1.5 text-sm">
      <p>{t("used", { used: megabytes(usedBytes), quota: megabytes(quotaBytes) })}</p>
      <p className="text-zinc-600">{t("note")}</p>
    </div>
  );
}
