"use client";

import { useFormatter } from "next-intl";
import { useState, useTransition } from "react";

// Settings' messaging channel sections (Telegram, WeChat) link an account the same way: make a one-time link or code
// (shown once: only its hash is stored), or unlink after a confirmation; a refusal is the answer's error message.

/**
 * The state of one channel's link: the linked account, the link or code just made, the error, and the two actions.
 * `make` and `unlink` are the section's server actions.
 */
export function useChannelLink<Linked, Made>({
  linked: initialLinked,
  make,
  unlink,
}: {
  linked: Linked | null;
  make: () => Promise<{ made?: Made; error?: string }>;
  unlink: () => Promise<{ isUnlinked?: boolean; error?: string }>;
}) {
  const [linked, setLinked] = useState(initialLinked);
  const [made, setMade] = useState<Made | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isConfirming, setIsConfirming] = useState(false);
  const [isPending, startTransition] = useTransition();

  function makeOne() {
    setError(null);
    startTransition(async () => {
      const answer = await make();
      setMade(answer.made ?? null);
      setError(answer.error ?? null);
    });
  }

  function confirmUnlink() {
    setIsConfirming(false);
    setError(null);
    startTransition(async () => {
      const answer = await unlink();
      if (answer.isUnlinked) {
        setLinked(null);
        setMade(null);
      }
      setError(answer.error ?? null);
    });
  }

  return { linked, made, error, isPending, isConfirming, setIsConfirming, makeOne, confirmUnlink };
}

/**
 * A link's deadline as the user's clock reads it ("14:35"), not the UTC the app's dates are in: it is minutes away.
 * Shown only after a click, so the server never renders it (no hydration to match).
 */
export function useDeadline(expiresAt: string): string {
  const format = useFormatter();
  return format.dateTime(new Date(expiresAt), {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  });
}
