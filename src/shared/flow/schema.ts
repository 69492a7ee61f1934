import { z } from 'zod';
import { VALUE_TYPES } from '../values.js';

/** The flow document format version this build writes and reads. */
export const FLOW_SCHEMA_VERSION = 1;

/** Card ids double as names in templates and expressions (`{{compose1.text}}`), so they are identifiers. */
export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The reserved node id under which a flow's trigger inputs are referenced. */
export const TRIGGER_NODE_ID = 'trigger';

export const nodeIdSchema = z
  .string()
  .regex(NODE_ID_PATTERN, 'Card ids start with a letter or _ and contain only letters, digits and _.');

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const valueTypeSchema = z.enum(VALUE_TYPES);

/** How a card input gets its value. */
export const bindingSchema = z.discriminatedUnion('kind', [
  /** A fixed value typed by the user. */
  z.object({ kind: z.literal('literal'), value: jsonValueSchema }),
  /** An upstream card's output (or the trigger's input) at a path. */
  z.object({
    kind: z.literal('ref'),
    node: z.string().min(1),
    path: z.array(z.union([z.string(), z.number().int().nonnegative()])),
  }),
  /** Text with `{{node.path}}` placeholders, e.g. `{{trigger.first}}.{{trigger.last}}`. */
  z.object({ kind: z.literal('template'), text: z.string() }),
  /** A formula in Flowstead's safe expression language, e.g. `lower(trigger.first) + "@" + domain1.value`. */
  z.object({ kind: z.literal('expr'), source: z.string() }),
]);
export type Binding = z.infer<typeof bindingSchema>;

export const retryPolicySchema = z.object({
  /** Total attempts including the first one. */
  maxAttempts: z.number().int().min(1).max(20),
  initialDelayMs: z.number().int().min(0).max(3_600_000).default(500),
  maxDelayMs: z.number().int().min(0).max(86_400_000).default(30_000),
  multiplier: z.number().min(1).max(10).default(2),
  /** Full jitter: each delay is a random fraction of the exponential delay. */
  jitter: z.boolean().default(true),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const cardSettingsSchema = z.object({
  timeoutMs: z.number().int().positive().max(86_400_000).optional(),
  retry: retryPolicySchema.optional(),
  /** fail: the run fails; continue: outputs are empty and the run goes on; branch: follow the `error` handle. */
  onError: z.enum(['fail', 'continue', 'branch']).default('fail'),
});
export type CardSettings = z.infer<typeof cardSettingsSchema>;

export const cardNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.string().min(1),
  title: z.string().optional(),
  position: z.object({ x: z.number(), y: z.number() }),
  inputs: z.record(z.string(), bindingSchema).default({}),
  settings: cardSettingsSchema.optional(),
});
export type CardNode = z.infer<typeof cardNodeSchema>;

export const edgeSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  /** The source card's output handle: next, true, false, error, … */
  sourceHandle: z.string().min(1).default('next'),
  target: z.string().min(1),
});
export type Edge = z.infer<typeof edgeSchema>;

export const fieldDeclSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Field names start with a letter or _ and contain only letters, digits and _.'),
  type: valueTypeSchema,
  required: z.boolean().default(false),
  description: z.string().optional(),
});
export type FieldDecl = z.infer<typeof fieldDeclSchema>;

export const triggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual'), inputs: z.array(fieldDeclSchema).default([]) }),
  z.object({
    kind: z.literal('schedule'),
    cron: z.string().min(1),
    timeZone: z.string().min(1).default('UTC'),
    inputs: z.array(fieldDeclSchema).default([]),
  }),
  z.object({
    kind: z.literal('webhook'),
    path: z.string().regex(/^[a-z0-9][a-z0-9/_-]*$/, 'Webhook paths use lowercase letters, digits, /, _ and -.'),
    method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
    auth: z.enum(['bearer', 'hmac', 'oktaEventHook', 'none']).default('bearer'),
    inputs: z.array(fieldDeclSchema).default([]),
  }),
  /** One run per CSV or table row; each column is a trigger input. */
  z.object({ kind: z.literal('bulkRows'), inputs: z.array(fieldDeclSchema).default([]) }),
  /** A helper flow, called by another flow's call / for-each / if-error card. */
  z.object({
    kind: z.literal('helper'),
    inputs: z.array(fieldDeclSchema).default([]),
    outputs: z.array(fieldDeclSchema).default([]),
  }),
]);
export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerKind = Trigger['kind'];

export const HISTORY_LEVELS = ['full', 'metadata', 'none'] as const;
export const historyLevelSchema = z.enum(HISTORY_LEVELS);
export type HistoryLevel = z.infer<typeof historyLevelSchema>;

export const flowDocumentSchema = z.object({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION, {
    error: `This flow was written for another Flowstead format; this version reads format ${FLOW_SCHEMA_VERSION}.`,
  }),
  id: z.string().min(1),
  name: z.string().trim().min(1, 'Give the flow a name.').max(200),
  description: z.string().default(''),
  folder: z.string().default(''),
  trigger: triggerSchema,
  nodes: z.array(cardNodeSchema),
  edges: z.array(edgeSchema),
  historyLevel: historyLevelSchema.default('full'),
});
export type FlowDocument = z.infer<typeof flowDocumentSchema>;
/** What callers may pass in: defaults are filled in by parsing. */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;
