import { getTranslations } from "next-intl/server";
import { EXAMPLE_PROMPT_ATTRIBUTE } from "./example-prompt";

const EXAMPLE_PROMPTS = ["explain", "email", "code", "trip"] as const;

/**
 * What a chat without messages shows: a greeting and a few things to ask, in the interface's language. Rendered on
 * the server (it is HTML, not code, in the chat page's first load); the message list handles a click on an example.
 */
export async function EmptyChat() {
  const t = await getTranslations("chat");
  return (
    <div className="py-24 text-center max-lg:py-10">
      <h2 className="text-2xl font-semibold">{t("emptyTitle")}</h2>
      <p className="mt-2 text-sm text-zinc-500">{t("emptyHint")}</p>
      <ul aria-label={t("examplesLabel")} className="mx-auto mt-8 grid max-w-xl gap-2 text-left sm:grid-cols-2">
        {EXAMPLE_PROMPTS.map((key) => (
          <li key={key}>
            <button
              type="button"
              {...{ [EXAMPLE_PROMPT_ATTRIBUTE]: "" }}
              className="h-full w-full rounded-xl border border-zinc-200 px-4 py-3 text-left text-sm text-zinc-700 hover:bg-zinc-50"
            >
              {t(`examples.${key}`)}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
