/**
 * The names of one repository listing, each read once: whether a path is a model
 * file or a vision encoder, and the variant fields its name says.
 *
 * @module
 */
import { type ModelVariant, parseModelVariant } from "../store/model_variant.ts";
import { isEncoderFileName, isModelFileName } from "../store/store_layout.ts";

/** What one name says. */
interface NameFacts {
  model: boolean;
  encoder: boolean;
  variant: ModelVariant;
}

/**
 * Answers questions about the names of a listing, reading each name once. Every
 * question counts in {@linkcode ListingNames.questions}: the unit of work of
 * describing a listing's variants, which grows with the listing, not its square.
 */
export class ListingNames {
  #facts = new Map<string, NameFacts>();
  #questions = 0;

  /** How many questions were asked so far. */
  get questions(): number {
    return this.#questions;
  }

  /** The variant fields a path's name says (see {@linkcode parseModelVariant}). */
  variant(path: string): ModelVariant {
    return this.#read(path).variant;
  }

  /** Whether a path is a `.rkllm` model file. */
  isModel(path: string): boolean {
    return this.#read(path).model;
  }

  /** Whether a path is a `.rknn` vision encoder. */
  isEncoder(path: string): boolean {
    return this.#read(path).encoder;
  }

  #read(path: string): NameFacts {
    this.#questions++;
    let facts = this.#facts.get(path);
    if (facts === undefined) {
      facts = {
        model: isModelFileName(path),
        encoder: isEncoderFileName(path),
        variant: parseModelVariant(path),
      };
      this.#facts.set(path, facts);
    }
    return facts;
  }
}
