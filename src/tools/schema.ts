// Checks a tool's input against the JSON Schema its manifest entry declares. VS Code passes
// a model's input on without checking it, so the tools check it here, against the very
// schema the model was shown. Only the keywords those schemas use are supported; any other
// keyword throws, so that a schema this cannot enforce fails the tests instead of passing
// input unchecked. No `vscode` import: unit-tested in plain Node.

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

const KNOWN = new Set([
  'type', 'description', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems',
  'uniqueItems', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'default',
]);

/** What is wrong with `value`, one line per problem, each naming where; [] when it is valid. */
export function validate(schema: Schema, value: unknown, where = 'input'): string[] {
  assertSupported(schema, where);
  const typeProblem = schema.type && !hasType(value, schema.type);
  if (typeProblem) {
    return [`${where}: expected ${schema.type === 'object' || schema.type === 'array' || schema.type === 'integer' ? 'an' : 'a'} ${schema.type}, got ${describe(value)}`];
  }
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${where}: ${describe(value)} is not one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (typeof value === 'string') {
    problems.push(...stringProblems(schema, value, where));
  } else if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      problems.push(`${where}: ${value} is less than ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      problems.push(`${where}: ${value} is more than ${schema.maximum}`);
    }
  } else if (Array.isArray(value)) {
    problems.push(...arrayProblems(schema, value, where));
  } else if (isObject(value)) {
    problems.push(...objectProblems(schema, value, where));
  }
  return problems;
}

/** Throws on a keyword `validate` does not enforce, here or in any sub-schema. */
function assertSupported(schema: Schema, where: string, deep = false): void {
  const unknownKeyword = Object.keys(schema).find((key) => !KNOWN.has(key));
  if (unknownKeyword) {
    throw new Error(`schema keyword "${unknownKeyword}" at ${where} is not supported`);
  }
  if (deep) {
    Object.entries(schema.properties ?? {}).forEach(([name, property]) => assertSupported(property, `${where}.${name}`, true));
    if (schema.items) {
      assertSupported(schema.items, `${where}[]`, true);
    }
  }
}

function stringProblems(schema: Schema, value: string, where: string): string[] {
  const problems: string[] = [];
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    problems.push(`${where}: shorter than ${schema.minLength} characters`);
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    problems.push(`${where}: longer than ${schema.maxLength} characters`);
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    problems.push(`${where}: ${describe(value)} does not match ${schema.pattern}`);
  }
  return problems;
}

function arrayProblems(schema: Schema, value: unknown[], where: string): string[] {
  const problems: string[] = [];
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    problems.push(`${where}: ${value.length} items, at least ${schema.minItems} required`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    problems.push(`${where}: ${value.length} items, at most ${schema.maxItems} allowed`);
  }
  if (schema.uniqueItems) {
    const seen = new Set<string>();
    for (const item of value) {
      const key = JSON.stringify(item);
      if (seen.has(key)) {
        problems.push(`${where}: ${describe(item)} appears more than once`);
      }
      seen.add(key);
    }
  }
  if (schema.items) {
    const itemSchema = schema.items;
    value.forEach((item, i) => problems.push(...validate(itemSchema, item, `${where}[${i}]`)));
  }
  return problems;
}

function objectProblems(schema: Schema, value: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  const properties = schema.properties ?? {};
  // Own properties only, on both sides: "constructor", "toString" or "__proto__" must not
  // find a schema, or a value, on Object.prototype.
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(value, name) || value[name] === undefined) {
      problems.push(`${where}: required property "${name}" is missing`);
    }
  }
  for (const [name, item] of Object.entries(value)) {
    const propertySchema = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (propertySchema) {
      problems.push(...validate(propertySchema, item, where === 'input' ? name : `${where}.${name}`));
    } else if (schema.additionalProperties === false) {
      problems.push(`${where}: unknown property "${name}" (allowed: ${Object.keys(properties).join(', ')})`);
    }
  }
  return problems;
}

function hasType(value: unknown, type: NonNullable<Schema['type']>): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a value for a problem line (model input can be anything, and long). */
function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  // JSON.stringify gives undefined only for functions and symbols, which JSON input never holds.
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Each language model tool's `inputSchema` from the extension's manifest, by tool name.
 * Throws when one lacks a schema or uses a keyword `validate` does not enforce: its input
 * could not be checked.
 */
export function manifestSchemas(manifest: unknown): Map<string, Schema> {
  const tools = (manifest as { contributes?: { languageModelTools?: { name?: unknown; inputSchema?: unknown }[] } } | undefined)?.contributes?.languageModelTools ?? [];
  const schemas = new Map<string, Schema>();
  for (const tool of tools) {
    if (typeof tool.name !== 'string' || typeof tool.inputSchema !== 'object' || tool.inputSchema === null) {
      throw new Error(`languageModelTools entry ${JSON.stringify(tool.name)} has no inputSchema`);
    }
    assertSupported(tool.inputSchema, tool.name, true);
    schemas.set(tool.name, tool.inputSchema);
  }
  return schemas;
}
