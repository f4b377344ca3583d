import type { Locale } from "./locales";
import type en from "./messages/en.json";

// next-intl's types follow the English messages: a `t("…")` key that en.json lacks fails `tsc`, and the locale is
// one of ours. scripts/i18n/check.test.ts keeps zh-CN.json to exactly the same keys.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof en;
  }
}
