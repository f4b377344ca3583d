"use client";

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
  // The row changes with the action (a revoked invite loses this button), so its confirmation is a toast, shown
  // when the answer arrives, whether or not the button is still there.
  const { state, formAction, isPending } = useFormAction<State>(async (formData) => {
    const answer = await action(formData);
    if (answer.notice) toast.success(answer.notice);
    return answer;
  }, {});
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
