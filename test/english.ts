import type { ErrorText } from "@/lib/errors";
import { formatErrorText } from "@/lib/i18n/errors";

/** A problem as an English reader sees it (null stays null): tests assert the sentences users read. */
export function english(text: ErrorText | null | undefined): string | null {
  return text ? formatErrorText(text, "en") : null;
}
