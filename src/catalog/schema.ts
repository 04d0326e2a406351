/**
 * The shape of a chip record, as a TypeBox schema. The schema checks structure and types
 * (and rejects unknown fields, which are usually typos such as `memoryGB`); the rules that need
 * context (figure consistency, source keys, enumerations with a helpful list, uniqueness) live
 * in `record-rules.ts`, so their messages can say exactly what is wrong.
 */
import { Type, type TSchema } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

/**
 * A figure. `value` is left as unknown here because `record-rules.ts` checks it with a clearer
 * message than "Expected number" (NaN, zero, negative, and the null/unknown pairing).
 */
const FigureBase = {
  value: Type.Unknown(),
  source: Type.Optional(Type.String()),
  confidence: Type.String(),
  note: Type.Optional(Type.String()),
};

export const AlternativeSchema = Type.Object(FigureBase, strict);

export const FigureSchema = Type.Object(
  { ...FigureBase, alternatives: Type.Optional(Type.Array(AlternativeSchema)), primaryReason: Type.Optional(Type.String()) },
  strict,
);

const LinkSchema = Type.Object({ name: Type.Union([Type.String(), Type.Null()]), bandwidthGBps: FigureSchema }, strict);

export const PriceSchema = Type.Object(
  {
    kind: Type.String(),
    cnyPerHour: Type.Optional(Type.Number()),
    cny: Type.Optional(Type.Number()),
    source: Type.String(),
    confidence: Type.String(),
    note: Type.Optional(Type.String()),
  },
  strict,
);

export const ChipRecordSchema = Type.Object(
  {
    id: Type.String(),
    vendor: Type.String(),
    names: Type.Object({ en: Type.String(), zh: Type.String() }, strict),
    aliases: Type.Array(Type.String()),
    undisclosed: Type.Optional(Type.Boolean()),
    devicesPerCard: Type.Optional(Type.Integer({ minimum: 1 })),
    memoryGiB: FigureSchema,
    memoryType: Type.Union([Type.String(), Type.Null()]),
    memBandwidthGBps: FigureSchema,
    densePeak: Type.Object(
      {
        fp32Tflops: FigureSchema,
        tf32Tflops: FigureSchema,
        bf16Tflops: FigureSchema,
        fp16Tflops: FigureSchema,
        fp8Tflops: FigureSchema,
        int8Tops: FigureSchema,
      },
      strict,
    ),
    cardLink: LinkSchema,
    hostLink: LinkSchema,
    tdpW: FigureSchema,
    formFactor: Type.Union([Type.String(), Type.Null()]),
    cardsPerServer: FigureSchema,
    software: Type.Object(
      {
        stack: Type.String(),
        smiTool: Type.Union([Type.String(), Type.Null()]),
        k8sResources: Type.Array(Type.String()),
        visibilityEnv: Type.Array(Type.String()),
        runtimeEnv: Type.Array(Type.String()),
        devicePaths: Type.Array(Type.String()),
      },
      strict,
    ),
    prices: Type.Array(PriceSchema),
    notes: Type.Array(Type.String()),
  },
  strict,
);

export const SourceRefSchema = Type.Object({ key: Type.String(), description: Type.String() }, strict);

/** Schemas a caller may want to publish (an OpenAPI document, a JSON-schema file for editors). */
export const catalogSchemas: Record<string, TSchema> = {
  ChipRecord: ChipRecordSchema,
  Figure: FigureSchema,
  Price: PriceSchema,
  SourceRef: SourceRefSchema,
};
