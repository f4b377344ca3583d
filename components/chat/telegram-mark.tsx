import { cn } from "@/lib/utils";

/** Telegram's paper plane. Decorative: whatever shows it says what it means (TelegramMark, or text beside it). */
export function TelegramIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" className={cn("size-3.5 shrink-0", className)}>
      <path d="M21.94 4.3 18.9 18.63c-.23 1.01-.83 1.26-1.68.79l-4.63-3.41-2.23 2.15c-.25.25-.45.45-.93.45l.33-4.71 8.58-7.75c.37-.33-.08-.52-.58-.18L7.16 12.65l-4.57-1.43c-.99-.31-1.01-.99.21-1.47l17.85-6.88c.83-.31 1.55.18 1.29 1.43Z" />
    </svg>
  );
}

/** Marks a conversation held in Telegram (the bot's): the icon, named `label` ("From Telegram") for screen readers. */
export function TelegramMark({ label, className }: { label: string; className?: string }) {
  return (
    <span role="img" aria-label={label} className={cn("text-sky-600", className)}>
      <TelegramIcon />
    </span>
  );
}
