"use client";

import { useTranslations } from "next-intl";
import { lazy, Suspense, useRef, useState } from "react";
import { AppLink } from "./app-link";
import { rowLinkClass, rowMenuButtonClass, rowSourceMarkClass } from "./conversation-row-style";
import type { ConversationItem } from "./history";
import { isChannelSource, SourceMark } from "./source-mark";

// The menu and the title's field show on a click: loaded then (or as the pointer nears the row), not with the page.
const loadRowControls = () => import("./conversation-row-controls");
const RowMenu = lazy(() => loadRowControls().then((module) => ({ default: module.RowMenu })));
const RenameField = lazy(() => loadRowControls().then((module) => ({ default: module.RenameField })));

function preloadRowControls() {
  void loadRowControls().catch(() => {
    // Opening the menu loads it again (and React reports it if that fails too).
  });
}

type Props = {
  conversation: ConversationItem;
  isActive: boolean;
  /** When it was last active, said relative to now ("3 hours ago"), as the link's tooltip; absent while hydrating. */
  lastActive?: string;
  /** Saves a new title; resolves to why it was refused, or null. */
  onRename: (title: string) => Promise<string | null>;
  onTogglePin: () => void;
  onDelete: () => void;
};

/** One conversation in the sidebar: its link, a menu (rename, pin, delete), and renaming in place (or double-click). */
export function ConversationRow({ conversation, isActive, lastActive, onRename, onTogglePin, onDelete }: Props) {
  const t = useTranslations("sidebar");
  const [isEditing, setIsEditing] = useState(false);
  const [isMenuOpen, setIsMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const href = `/c/${conversation.id}`;
  const { source } = conversation;
  const hasMark = isChannelSource(source);

  if (isEditing) {
    return (
      <li>
        <Suspense fallback={<p className="truncate rounded-lg py-2 pr-8 pl-3 text-sm">{conversation.title}</p>}>
          <RenameField title={conversation.title} onSave={onRename} onDone={() => setIsEditing(false)} />
        </Suspense>
      </li>
    );
  }

  return (
    <li className="group relative" onPointerEnter={preloadRowControls} onFocus={preloadRowControls}>
      <AppLink
        href={href}
        aria-current={isActive ? "page" : undefined}
        title={lastActive}
        onDoubleClick={(event) => {
          event.preventDefault();
          setIsEditing(true);
        }}
        className={rowLinkClass(isActive, hasMark)}
      >
        {conversation.title}
      </AppLink>
      {/* Beside the link, not in it: the link's name stays the title. */}
      {hasMark ? (
        <SourceMark source={source} label={t("fromSource", { source })} className={rowSourceMarkClass} />
      ) : null}
      <button
        ref={menuButton}
        type="button"
        aria-label={t("options", { title: conversation.title })}
        aria-haspopup="menu"
        aria-expanded={isMenuOpen}
        onClick={() => setIsMenuOpen((open) => !open)}
        className={rowMenuButtonClass(isMenuOpen || isActive)}
      >
        ⋯
      </button>
      {isMenuOpen ? (
        <Suspense fallback={null}>
          <RowMenu
            title={conversation.title}
            isPinned={conversation.pinnedAt !== null}
            menuButton={menuButton}
            onClose={() => setIsMenuOpen(false)}
            onRename={() => setIsEditing(true)}
            onTogglePin={onTogglePin}
            onDelete={onDelete}
          />
        </Suspense>
      ) : null}
    </li>
  );
}
