/**
 * `search [text]`: find RKLLM conversions on the Hub.
 *
 * @module
 */
import type { ModelSearchResult } from "../../hub/search_models.ts";
import { parseModelVariant, PLATFORMS } from "../../store/model_variant.ts";
import { type Command, type CommandContext, HUB_GLOBALS } from "../command.ts";
import { formatDate, formatFittedTable, formatTable, tableWidth, wrapWords } from "../format.ts";
import { platformOption, wholeNumber } from "../option_values.ts";

/** Words that mark an RKLLM conversion in a repository id or its tags. */
const RKLLM_TERMS: readonly string[] = ["rkllm", ...PLATFORMS];
/**
 * Results asked for per Hub query: three times the results shown, so that
 * enough of them pass the filter, and at most 100 (the Hub's default page) when
 * fewer are shown, to keep the load of five parallel queries light.
 */
function resultsPerQuery(limit: number): number {
  return Math.max(limit, Math.min(100, limit * 3));
}

/**
 * The Hub matches `search` against repository ids, and RKLLM conversions have
 * few downloads next to their base models, so searching only for the text
 * misses them. Ask for the text and for the RKLLM words (or the chip), then keep
 * the repositories that match both, most downloaded first.
 */
async function searchHub(
  context: CommandContext,
  text: string,
  platform: string | undefined,
  limit: number,
): Promise<ModelSearchResult[]> {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const markers = platform ? [platform] : RKLLM_TERMS;
  const queries = [...new Set([text, ...markers])];
  const manager = context.manager();
  const batches = await Promise.all(
    queries.map((search) =>
      manager.searchModels({ search, limit: resultsPerQuery(limit), signal: context.signal })
    ),
  );
  const byId = new Map<string, ModelSearchResult>();
  for (const result of batches.flat()) byId.set(result.id, result);
  return [...byId.values()]
    .filter((result) => {
      const haystack = `${result.id} ${result.tags.join(" ")}`.toLowerCase();
      return words.every((word) => haystack.includes(word)) &&
        markers.some((marker) => haystack.includes(marker));
    })
    .sort((a, b) => b.downloads - a.downloads || a.id.localeCompare(b.id))
    .slice(0, limit);
}

/**
 * The suggested repositories. Ids are shown whole, since they are what people
 * copy into `download`; each description wraps beside its id, or below it,
 * indented, when the ids leave too little room.
 */
function suggestionTable(
  suggestions: { repo: string; description: string }[],
  width: number,
): string {
  const repoWidth = Math.max(4, ...suggestions.map((item) => item.repo.length));
  const room = width - 1 - repoWidth - 2;
  if (room < 24) {
    return suggestions.flatMap((item) => [
      item.repo,
      ...wrapWords(item.description, width - 5).map((line) => `    ${line}`),
    ]).join("\n");
  }
  return formatTable(
    ["REPO", "DESCRIPTION"],
    suggestions.flatMap((item) =>
      wrapWords(item.description, room).map((line, index) => [
        index === 0 ? item.repo : "",
        line,
      ])
    ),
  );
}

/**
 * The `search` command.
 */
export const searchCommand: Command = {
  name: "search",
  summary: "search the Hub for RKLLM models (without text: suggested repositories, offline)",
  action: "search the Hub",
  usage: "search [text] [options]",
  maxArguments: Infinity,
  globals: [...HUB_GLOBALS, "source"],
  description:
    "Finds RKLLM conversions whose id or tags contain every word of the text, most downloaded first,\n" +
    "showing the repo id, downloads in the last 30 days and last change. Without text it lists the suggested repositories\n" +
    "of configs/models.json and needs no network.",
  options: {
    platform: {
      type: "string",
      description: `only repositories for this chip (${PLATFORMS.join(", ")})`,
      valueName: "CHIP",
    },
    limit: { type: "string", description: "the most results to show (default 20)", valueName: "N" },
  },
  examples: (config) => {
    const variant = parseModelVariant(config.EXAMPLE_MODEL_FILES[0]?.file ?? "");
    const word = variant.baseModel?.split("-")[0] ?? "qwen";
    return [
      `rkllm-models search ${word} --platform ${variant.platform ?? "rk3588"}`,
      "rkllm-models search",
    ];
  },
  async run(context) {
    const text = context.positionals.join(" ").trim();
    const platform = platformOption(context.values.platform);
    const limit = wholeNumber(context.values.limit, "--limit", { min: 1, max: 1000, fallback: 20 });
    if (!text) {
      const suggestions = context.config.REPOSITORY_SUGGESTIONS.filter((item) =>
        !platform || item.repo.toLowerCase().includes(platform) ||
        item.description.toLowerCase().includes(platform)
      ).slice(0, limit);
      if (context.json) return { exitCode: 0, json: suggestions };
      if (suggestions.length === 0) {
        context.output.err(`no suggested repositories for ${platform}`);
      } else {
        const described = suggestions.map((item) => ({
          repo: item.repo,
          description: item.source && item.source !== "huggingface"
            ? `${item.description} (--source ${item.source})`
            : item.description,
        }));
        context.output.out(suggestionTable(described, tableWidth(context.runtime)));
      }
      // The command on a line of its own: it is copied whole, and a line that fits does not wrap.
      context.output.note(
        `search the Hub for text, for example:\n  rkllm-models search qwen${
          platform ? ` --platform ${platform}` : ""
        }`,
      );
      return { exitCode: 0 };
    }
    const results = await searchHub(context, text, platform, limit);
    if (context.json) return { exitCode: 0, json: results };
    if (results.length === 0) {
      context.output.err(`no RKLLM models found for "${text}"${platform ? ` on ${platform}` : ""}`);
      context.output.note("try fewer or shorter words, or without --platform");
      return { exitCode: 0 };
    }
    // The id is what people copy: whole, first, and on a line of its own when a row does not fit.
    context.output.out(formatFittedTable(
      ["REPO", "DOWNLOADS", "MODIFIED"],
      results.map((result) => [
        result.id,
        String(result.downloads),
        formatDate(result.lastModified),
      ]),
      { width: tableWidth(context.runtime) },
    ));
    return { exitCode: 0 };
  },
};
