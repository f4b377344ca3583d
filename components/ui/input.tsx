import { cn } from "@/lib/utils";

export function Input({ className, ...props }: React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <input
      className={cn(
        "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm",
        "focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20",
        className,
      )}
      {...props}
    />
  );
}
