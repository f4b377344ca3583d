import type { ReactNode } from "react";
import type { CallSource } from "@/lib/billing/kinds";
import { cn } from "@/lib/utils";

/** A messaging channel a conversation can be held in (lib/channels): every source but the web app. */
export type ChannelSource = Exclude<CallSource, "web">;

type Look = { icon: (props: { className?: string }) => ReactNode; mark: string; badge: string };

const LOOKS: Record<ChannelSource, Look> = {
  telegram: { icon: TelegramIcon, mark: "text-sky-600", badge: "bg-sky-50 text-sky-800" },
  wechat_mp: { icon: WechatIcon, mark: "text-emerald-600", badge: "bg-emerald-50 text-emerald-800" },
  wecom: { icon: WecomIcon, mark: "text-blue-600", badge: "bg-blue-50 text-blue-800" },
};

/** Whether a conversation's source is a channel with a mark (anything else, "web" included, shows none). */
export function isChannelSource(source: string): source is ChannelSource {
  return Object.hasOwn(LOOKS, source);
}

/**
 * Marks a conversation held in a messaging channel (a sidebar row): the channel's icon, named `label` ("From
 * Telegram", "From WeChat") for screen readers.
 */
export function SourceMark({ source, label, className }: { source: ChannelSource; label: string; className?: string }) {
  const { icon: Icon, mark } = LOOKS[source];
  return (
    <span role="img" aria-label={label} className={cn(mark, className)}>
      <Icon />
    </span>
  );
}

/** The chat header's "via Telegram" / "via WeChat": the channel's icon and `label` in a pill. */
export function SourceBadge({ source, label }: { source: ChannelSource; label: string }) {
  const { icon: Icon, badge } = LOOKS[source];
  return (
    <p className={cn("flex shrink-0 items-center gap-1 rounded-full px-2.5 py-0.5 text-xs whitespace-nowrap", badge)}>
      <Icon />
      {label}
    </p>
  );
}

// The icons are decorative: whatever shows one says what it means (SourceMark's label, or text beside it).

function TelegramIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" className={cn("size-3.5 shrink-0", className)}>
      <path d="M21.94 4.3 18.9 18.63c-.23 1.01-.83 1.26-1.68.79l-4.63-3.41-2.23 2.15c-.25.25-.45.45-.93.45l.33-4.71 8.58-7.75c.37-.33-.08-.52-.58-.18L7.16 12.65l-4.57-1.43c-.99-.31-1.01-.99.21-1.47l17.85-6.88c.83-.31 1.55.18 1.29 1.43Z" />
    </svg>
  );
}

/** The large bubble of both WeChat icons, cut away where the small one sits, with its eyes and tail. */
function LargeBubble() {
  return (
    <>
      <path
        fillRule="evenodd"
        d="M8.77 16.19A7.9 6.6 0 1 1 17.01 8.62A7.7 6.7 0 0 0 8.77 16.19ZM5.25 8.2a1.05 1.05 0 1 0 2.1 0a1.05 1.05 0 1 0-2.1 0ZM10.55 8.2a1.05 1.05 0 1 0 2.1 0a1.05 1.05 0 1 0-2.1 0Z"
      />
      <path d="M3.9 13.9 2.9 18.1 7.2 15.6Z" />
    </>
  );
}

/** WeChat's two speech bubbles, both filled. */
function WechatIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" className={cn("size-3.5 shrink-0", className)}>
      <LargeBubble />
      <path
        fillRule="evenodd"
        d="M10 15.3a6.4 5.4 0 1 0 12.8 0a6.4 5.4 0 1 0-12.8 0ZM13.35 14.4a.85.85 0 1 0 1.7 0a.85.85 0 1 0-1.7 0ZM17.75 14.4a.85.85 0 1 0 1.7 0a.85.85 0 1 0-1.7 0Z"
      />
      <path d="M19.6 19.9 21.9 22.3 17.4 20.6Z" />
    </svg>
  );
}

/** WeCom's: the same bubbles, the small one outlined (told apart from WeChat's by shape as well as colour). */
function WecomIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" className={cn("size-3.5 shrink-0", className)}>
      <LargeBubble />
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinejoin="round"
        d="M18.9 19.5 21.6 21.6 21.1 18.4A5.6 4.6 0 1 0 18.9 19.5Z"
      />
      <path d="M13.75 15.1a.85.85 0 1 0 1.7 0a.85.85 0 1 0-1.7 0ZM17.35 15.1a.85.85 0 1 0 1.7 0a.85.85 0 1 0-1.7 0Z" />
    </svg>
  );
}
