"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { decodeErrorText, type ErrorText } from "@/lib/error-text";

/**
 * Shows a problem in the page's language: a message key with its arguments (the browser's own checks, which are the
 * server's rules), or a failed reply's stored failure (its key as JSON, or the English sentence of an older reply).
 */
export function useErrorText(): (text: ErrorText | string) => string {
  const t = useTranslations();
  // Stable while the language is: effects may depend on it.
  return useCallback(
    (text) => {
      const described = typeof text === "string" ? decodeErrorText(text) : text;
      if (!described) return text as string;
      // Keys come from code and stored replies, so they are checked here: a missing one shows as itself.
      return t.has(described.key)
        ? (t as (key: string, params?: ErrorText["params"]) => string)(described.key, described.params)
        : described.key;
    },
    [t],
  );
}
