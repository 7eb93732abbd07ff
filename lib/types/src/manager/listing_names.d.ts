/**
 * The names of one repository listing, each read once: whether a path is a model
 * file or a vision encoder, and the variant fields its name says.
 *
 * @module
 */
import { type ModelVariant } from "../store/model_variant.ts";
/**
 * Answers questions about the names of a listing, reading each name once. Every
 * question counts in {@linkcode ListingNames.questions}: the unit of work of
 * describing a listing's variants, which grows with the listing, not its square.
 */
export declare class ListingNames {
    #private;
    /** How many questions were asked so far. */
    get questions(): number;
    /** The variant fields a path's name says (see {@linkcode parseModelVariant}). */
    variant(path: string): ModelVariant;
    /** Whether a path is a `.rkllm` model file. */
    isModel(path: string): boolean;
    /** Whether a path is a `.rknn` vision encoder. */
    isEncoder(path: string): boolean;
}
