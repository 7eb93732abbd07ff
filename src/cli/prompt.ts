/**
 * Questions on the terminal that Ctrl-C interrupts at once.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { CommandContext } from "./command.ts";

/**
 * The user's Ctrl-C at a question: a `cancelled` error of its own, so a command tells it
 * from a Ctrl-C during its work (which `download` answers with how to resume).
 */
export class QuestionInterrupted extends ModelManagerError {
  /** Creates the error; nothing was changed, as the question came first. */
  constructor() {
    super("cancelled", "interrupted at the question, so nothing was changed", {
      hint: "run the command again to answer it",
    });
    this.name = "QuestionInterrupted";
  }
}

/**
 * Writes `question` on stderr and answers the line typed, or `undefined` at the
 * end of input. Ctrl-C rejects with {@linkcode QuestionInterrupted} (exit 130) without
 * waiting for a line.
 */
export async function ask(context: CommandContext, question: string): Promise<string | undefined> {
  context.output.errRaw(question);
  await context.output.flush();
  const { signal } = context;
  // The answer line never ended: end it, so what follows starts on its own line.
  const endLine = () => context.output.errRaw("\n");
  if (signal.aborted) {
    endLine();
    throw new QuestionInterrupted();
  }
  return await new Promise<string | undefined>((resolve, reject) => {
    const onAbort = () => {
      endLine();
      reject(new QuestionInterrupted());
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
