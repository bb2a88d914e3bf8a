/**
 * Zod field builders whose error messages say what was expected and what was found, shared by the
 * config and task schemas so both report problems the same way.
 *
 * @module
 */

import { z } from "zod";
import { expecting } from "./format_issue.ts";

/** An integer in `[min, max]` (`max` optional). */
export function integer(min: number, max?: number): z.ZodInt {
  const what = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  const error = expecting(what);
  const base = z.int({ error }).min(min, { error });
  return max === undefined ? base : base.max(max, { error });
}

/** A finite number greater than zero. */
export function positiveNumber(what = "a number > 0"): z.ZodNumber {
  const error = expecting(what);
  return z.number({ error }).positive({ error });
}

/** A finite number in `[min, max]`. */
export function numberBetween(min: number, max: number): z.ZodNumber {
  const error = expecting(`a number from ${min} to ${max}`);
  return z.number({ error }).min(min, { error }).max(max, { error });
}

/** A string with at least one non-space character and at most `maxLength` characters. */
export function text(maxLength: number, what = "a non-empty string"): z.ZodString {
  const error = expecting(what);
  return z.string({ error })
    .refine((value) => value.trim() !== "", { error })
    .max(maxLength, {
      error: (issue) => `expected at most ${maxLength} characters, got ${String(issue.input).length}`,
    });
}

/** One of a fixed list of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
): z.ZodEnum<z.util.ToEnum<T[number]>> {
  return z.enum(values, { error: expecting(`one of ${values.join(", ")}`) });
}

/** A list of at most `maxItems` items. */
export function list<T extends z.ZodType>(item: T, maxItems: number): z.ZodArray<T> {
  return z.array(item, { error: expecting("a list") }).max(maxItems, {
    error: (issue) => `expected at most ${maxItems} items, got ${(issue.input as unknown[]).length}`,
  });
}

/** A strict mapping: unknown keys are errors. `null` (a section with every key commented out) is allowed. */
export function section<T extends z.core.$ZodLooseShape>(
  shape: T,
): z.ZodOptional<z.ZodNullable<z.ZodObject<T, z.core.$strict>>> {
  return z.strictObject(shape, { error: expecting("a mapping") }).nullish();
}
