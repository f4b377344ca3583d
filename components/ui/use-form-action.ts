"use client";

import { useActionState } from "react";

/**
 * useActionState for a form whose fields show the action's answer. React resets a form to its fields' default values
 * after every action, so a field that is not remounted falls back to the values of the page's first render: key the
 * fields with `version` (new after every action) and give them the answer as their defaults.
 */
export function useFormAction<State>(action: (formData: FormData) => Promise<State>, initial: State) {
  const [{ state, version }, formAction, isPending] = useActionState(
    async (previous: { state: State; version: number }, formData: FormData) => ({
      state: await action(formData),
      version: previous.version + 1,
    }),
    { state: initial, version: 0 },
  );
  return { state, version, formAction, isPending };
}
