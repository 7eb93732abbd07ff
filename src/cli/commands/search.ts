/**
 * `search [text]`: find RKLLM conversions on the Hub.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import { PLATFORMS } from "../../store/model_variant.ts";
import type { Command } from "../command.ts";
import { formatDate, formatTable } from "../format.ts";

/** The `search` command. */
export const searchCommand: Command = {
  name: "search",
  summary: "search the Hub for RKLLM models (without text: suggested repositories, offline)",
  usage: "search [text] [options]",
  options: {
    platform: {
      type: "string",
      description: `only repositories for this chip (${PLATFORMS.join(", ")})`,
      valueName: "CHIP",
    },
    limit: { type: "string", description: "the most results to show (default 20)", valueName: "N" },
  },
  examples: () => ["rkllm-models search qwen --platform rk3588", "rkllm-models search"],
  async run(context) {
    const text = context.positionals.join(" ").trim();
    const platform = (context.values.platform as string | undefined)?.toLowerCase();
    if (platform && !PLATFORMS.includes(platform)) {
      throw new ModelManagerError("usage", `search: unknown platform "${platform}"`, {
        hint: `use one of ${PLATFORMS.join(", ")}`,
      });
    }
    const limitText = context.values.limit as string | undefined;
    const limit = limitText === undefined ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ModelManagerError(
        "usage",
        `search: use a whole number from 1 to 1000 for --limit, not "${limitText}"`,
        {
          hint: "for example --limit 50",
        },
      );
    }
    if (!text) {
      const suggestions = context.config.REPOSITORY_SUGGESTIONS.filter((item) =>
        !platform || item.repo.toLowerCase().includes(platform) ||
        item.description.toLowerCase().includes(platform)
      );
      if (context.json) return { exitCode: 0, json: suggestions };
      context.output.out(
        formatTable(
          ["REPO", "DESCRIPTION"],
          suggestions.map((item) => [item.repo, item.description]),
        ),
      );
      context.output.err(
        "search the Hub with: rkllm-models search <text> (for example: rkllm-models search qwen)",
      );
      return { exitCode: 0 };
    }
    // RKLLM conversions are found by text more reliably than by tag: search for the text,
    // then keep results that name a chip or rkllm.
    const results = (await context.manager().searchModels({
      search: text,
      limit: Math.min(1000, limit * 5),
      signal: context.signal,
    }))
      .filter((result) => {
        const haystack = `${result.id} ${result.tags.join(" ")}`.toLowerCase();
        if (platform) return haystack.includes(platform);
        return haystack.includes("rkllm") || PLATFORMS.some((chip) => haystack.includes(chip));
      })
      .slice(0, limit);
    if (context.json) return { exitCode: 0, json: results };
    if (results.length === 0) {
      context.output.err(`no RKLLM models found for "${text}"${platform ? ` on ${platform}` : ""}`);
      return { exitCode: 0 };
    }
    context.output.out(formatTable(
      ["REPO", "DOWNLOADS", "MODIFIED"],
      results.map((
        result,
      ) => [result.id, String(result.downloads), formatDate(result.lastModified)]),
    ));
    return { exitCode: 0 };
  },
};
