// `npm run test:loaded [-- <command…>]`: runs a command (default `npm test`) while N busy processes (default two per
// core) keep the CPU saturated, the way a developer's machine busy with other work is, to prove the suite does not
// depend on a quiet machine. The busy processes are stopped when the command ends; its exit code is passed on.
import { type ChildProcess, spawn } from "node:child_process";
import { availableParallelism } from "node:os";

const perCore = Number(process.env.CPU_LOAD_PER_CORE ?? "2");
const count = Math.max(1, Math.round(perCore * availableParallelism()));
const [command = "npm", ...args] = process.argv.length > 2 ? process.argv.slice(2) : ["npm", "test"];

const burners: ChildProcess[] = Array.from({ length: count }, () =>
  spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
);
const stopBurners = () => {
  for (const burner of burners) burner.kill("SIGKILL");
};
process.on("exit", stopBurners);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopBurners();
    process.exit(130);
  });
}

console.log(
  `with-cpu-load: ${count} busy processes on ${availableParallelism()} cores, running: ${[command, ...args].join(" ")}`,
);
const child = spawn(command, args, { stdio: "inherit" });
child.on("exit", (code, signal) => {
  stopBurners();
  process.exitCode = code ?? (signal ? 128 : 1);
});
