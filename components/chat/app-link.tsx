"use client";

import { useRouter } from "next/navigation";

type Props = Omit<React.ComponentProps<"a">, "href"> & { href: string };

/** A plain left click: the others (new tab, new window, download, another button) are the browser's to handle. */
function isPlainClick(event: React.MouseEvent<HTMLAnchorElement>): boolean {
  return (
    !event.defaultPrevented &&
    event.button === 0 &&
    !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) &&
    (!event.currentTarget.target || event.currentTarget.target === "_self")
  );
}

/**
 * A link to another page of the app, followed without a full load (the sidebar and its Undo stay), as next/link does.
 * next/link is ~2.9 KiB gzip of the chat page's first load (chiefly its prefetching of every link in view: the
 * sidebar's fifty); this prefetches a page only as the pointer or focus reaches its link.
 */
export function AppLink({ href, onClick, onPointerEnter, onFocus, ...props }: Props) {
  const router = useRouter();
  return (
    <a
      {...props}
      href={href}
      onPointerEnter={(event) => {
        onPointerEnter?.(event);
        router.prefetch(href);
      }}
      onFocus={(event) => {
        onFocus?.(event);
        router.prefetch(href);
      }}
      onClick={(event) => {
        onClick?.(event);
        if (!isPlainClick(event)) return;
        event.preventDefault();
        router.push(href);
      }}
    />
  );
}
