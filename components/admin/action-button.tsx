"use client";

import { useEffect } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";

type State = { error?: string; notice?: string };

/** One button that runs an administrator action on one thing (disable a user, revoke an invite), with its answer. */
export function ActionButton({
  action,
  fields,
  label,
  accessibleName,
  variant = "secondary",
}: {
  action: (formData: FormData) => Promise<State>;
  /** Hidden inputs naming what the action is about. */
  fields: Record<string, string>;
  label: string;
  /** "Disable ada@example.com": the visible label says what, this says to whom. */
  accessibleName: string;
  variant?: "secondary" | "danger";
}) {
  const { state, version, formAction, isPending } = useFormAction<State>(action, {});
  // The row changes with the action (a disabled user's button becomes Enable), so its confirmation is a toast.
  useEffect(() => {
    if (version > 0 && state.notice) toast.success(state.notice);
  }, [version, state.notice]);
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant={variant} disabled={isPending} aria-label={accessibleName} className="px-2 py-1">
        {label}
      </Button>
      {state.error ? (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
