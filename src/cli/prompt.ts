/**
 * Questions on the terminal that Ctrl-C interrupts at once.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { CommandContext } from "./command.ts";

/**
 * Writes `question` on stderr and answers the line typed, or `undefined` at the
 * end of input. Ctrl-C rejects with a `cancelled` error (exit 130) without
 * waiting for a line.
 */
export async function ask(context: CommandContext, question: string): Promise<string | undefined> {
  context.output.errRaw(question);
  await context.output.flush();
  const { signal } = context;
  const interrupted = () =>
    new ModelManagerError(
      "cancelled",
      "interrupted at the question, so nothing was changed",
      {
        hint: "run the command again to answer it",
      },
    );
  // The answer line never ended: end it, so what follows starts on its own line.
  const endLine = () => context.output.errRaw("\n");
  if (signal.aborted) {
    endLine();
    throw interrupted();
  }
  return await new Promise<string | undefined>((resolve, reject) => {
    const onAbort = () => {
      endLine();
      reject(interrupted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    context.runtime.readLine().then(
      (line) => {
        signal.removeEventListener("abort", onAbort);
        resolve(line);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
