import { Input } from "@/components/ui/input";

type Props = {
  id: string;
  name: string;
  label: string;
  /** "new-password" asks for the sign-up rules' length and shows `hint`. */
  autoComplete: "current-password" | "new-password";
  minLength?: number;
  hint?: string;
};

/** A labelled password input: sign-in, sign-up and Settings → Password. */
export function PasswordField({ id, name, label, autoComplete, minLength, hint }: Props) {
  return (
    <label htmlFor={id} className="flex flex-col gap-1 text-sm font-medium">
      {label}
      <Input id={id} name={name} type="password" autoComplete={autoComplete} required minLength={minLength} />
      {hint ? <span className="text-xs font-normal text-zinc-500">{hint}</span> : null}
    </label>
  );
}
