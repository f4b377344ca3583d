import { useTranslations } from "next-intl";
import { exactAmount } from "./format";

/** "Exactly $0.0044420" for an amount shown rounded, in the page's language; undefined when nothing was rounded. */
export function useExactAmountNote(): (micros: number) => string | undefined {
  const t = useTranslations("usage");
  return (micros) => {
    const exact = exactAmount(micros);
    return exact === undefined ? undefined : t("exactly", { amount: exact });
  };
}
