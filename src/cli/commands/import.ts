/**
 * `import <DIR>`: add the models of an exported directory to the store.
 *
 * @module
 */
import { resolveModelsDir } from "../../config/settings.ts";
import { exitCodeFor, ModelManagerError } from "../../errors.ts";
import { importStore } from "../../fleet/import_store.ts";
import { type Command, STORE_GLOBALS } from "../command.ts";

/**
 * The `import` command.
 */
export const importCommand: Command = {
  name: "import",
  summary: "add the models of an exported directory to the store, verifying every file",
  action: "import models",
  usage: "import <DIR> [options]",
  maxArguments: 1,
  globals: STORE_GLOBALS,
  description:
    "Each file is copied, then checked against its recorded size and hash. A repository with a file that does not verify, a file recorded without a hash, a symbolic link, or a record naming another repository is refused whole and reported (exit 6); the others are added. A file nobody may write to is hard-linked when on the same file system.",
  options: {
    "allow-unhashed": {
      type: "boolean",
      description:
        "accept files recorded without a hash, checked by size only (whoever wrote the directory may have changed them)",
    },
    link: {
      type: "boolean",
      description:
        "hard-link files on the same file system instead of copying (writing to the source later changes the store's copy)",
    },
  },
  examples:
    () => ["rkllm-models import /media/usb", "rkllm-models import /mnt/share/models --json"],
  async run(context) {
    const { positionals, runtime, output } = context;
    if (positionals.length !== 1) {
      throw new ModelManagerError(
        "usage",
        "import models: the directory to import from is missing",
        {
          hint: "usage: rkllm-models import <DIR>, for example: rkllm-models import /media/usb",
        },
      );
    }
    const report = await importStore(
      positionals[0],
      resolveModelsDir(runtime, context.values.dir as string | undefined),
      {
        runtime,
        onWarning: (message) => output.err(`warning: ${message}`),
        allowUnhashed: context.values["allow-unhashed"] === true,
        link: context.values.link === true,
      },
    );
    if (!context.json) {
      for (const file of report.imported) {
        output.out(
          `imported ${file.repo}/${file.path} (${file.method}, checked by ${file.checkedBy})`,
        );
      }
      for (const file of report.present) output.note(`already present: ${file.repo}/${file.path}`);
    }
    for (const file of report.refused) {
      output.err(`error: refused ${file.repo}/${file.path}: ${file.reason}`);
    }
    if (report.refused.length > 0) {
      output.err(
        "hint: export the refused files again from a store where rkllm-models verify passes",
      );
    }
    return { exitCode: report.refused.length > 0 ? exitCodeFor("integrity") : 0, json: report };
  },
};
