import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { cn, PATH_HEADER } from "@/lib/utils";
import { rowLinkClass, rowMenuButtonClass, rowSourceMarkClass } from "./conversation-row-style";
import type { ConversationPage } from "./history";
import { SidebarDrawer } from "./sidebar-drawer";
import { SidebarConversations, SidebarLinks, SidebarSwitches } from "./sidebar-parts";
import { isChannelSource, SourceMark } from "./source-mark";
import { TOUCH_TARGET } from "./touch";

type Props = {
  /** The first page of the list. */
  firstPage: ConversationPage;
  userLabel: string;
  /** Administrators also get a link to /admin. */
  isAdmin: boolean;
  signOutAction: () => Promise<void>;
};

/**
 * The conversations, search, the app's pages and the account, in every page of the signed-in layout. A server
 * component: what never changes on the client is sent as HTML, not as code; the drawer (sidebar-drawer.tsx) is the one
 * interactive part in the first load, the others (the list and search, the page links, the switches) hydrate once the
 * page is idle (sidebar-parts.tsx).
 */
export async function Sidebar({ firstPage, userLabel, isAdmin, signOutAction }: Props) {
  const t = await getTranslations("sidebar");
  const brand = <span className="text-sm font-semibold tracking-wide text-emerald-700">ChatLedger</span>;
  return (
    <SidebarDrawer
      topBar={
        <>
          {brand}
          <a
            href="/"
            className={cn(
              "ml-auto inline-flex items-center rounded-lg border border-zinc-300 bg-white px-3 text-sm font-medium hover:bg-zinc-100",
              TOUCH_TARGET,
            )}
          >
            {t("newChat")}
          </a>
        </>
      }
      header={
        <>
          {brand}
          {/* A full load: a fresh page mints a fresh conversation id and resets the chat state. */}
          <a
            href="/"
            className={cn(
              "ml-auto inline-flex items-center rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100",
              TOUCH_TARGET,
            )}
          >
            {t("newChat")}
          </a>
        </>
      }
    >
      <SidebarConversations firstPage={firstPage} list={<FirstPage page={firstPage} />} />
      <SidebarLinks
        links={[
          ["/presets", t("presets")],
          ["/tokenizer", t("tokenizer")],
          ["/compare", t("compare")],
          ["/playground", t("playground")],
          ["/usage", t("usage")],
          ["/settings", t("settings")],
          ...(isAdmin ? [["/admin", t("admin")] satisfies [string, string]] : []),
        ]}
      />
      <div className="flex items-center justify-between gap-2 px-4 pt-3 pb-1">
        <span className="min-w-0 truncate text-sm text-zinc-600" title={userLabel}>
          {userLabel}
        </span>
        <form action={signOutAction}>
          <Button type="submit" variant="ghost" className={cn("px-2 py-1 whitespace-nowrap", TOUCH_TARGET)}>
            {t("signOut")}
          </Button>
        </form>
      </div>
      <SidebarSwitches />
    </SidebarDrawer>
  );
}

/**
 * The first page as conversation-list.tsx shows it before the browser's clock is known (one group), standing in for it
 * until its code has loaded. The page asked for (proxy.ts) marks the current conversation.
 */
async function FirstPage({ page }: { page: ConversationPage }) {
  const t = await getTranslations("sidebar");
  const path = (await headers()).get(PATH_HEADER)?.split("?")[0];
  if (page.conversations.length === 0 && page.nextCursor === null)
    return <p className="px-2 py-4 text-sm text-zinc-500">{t("empty")}</p>;
  return (
    <section className="pb-2">
      <ul className="flex flex-col gap-0.5">
        {page.conversations.map(({ id, title, source }) => {
          const href = `/c/${id}`;
          const hasMark = isChannelSource(source);
          return (
            <li key={id} className="group relative">
              <a
                href={href}
                aria-current={path === href ? "page" : undefined}
                className={rowLinkClass(path === href, hasMark)}
              >
                {title}
              </a>
              {hasMark ? (
                <SourceMark source={source} label={t("fromSource", { source })} className={rowSourceMarkClass} />
              ) : null}
              <button
                type="button"
                aria-label={t("options", { title })}
                aria-haspopup="menu"
                aria-expanded={false}
                className={rowMenuButtonClass(path === href)}
              >
                ⋯
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
