import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-root';

/** One field of apache/kafka's message JSON (clients/src/main/resources/common/message/*.json). */
export interface SpecField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string;
  fields?: SpecField[];
}

export interface SpecMessage {
  apiKey?: number;
  type: 'request' | 'response' | 'header';
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: SpecField[];
  commonStructs?: { name: string; versions: string; fields: SpecField[] }[];
}

export const SPEC_DIR = join(repoRoot, 'tests', 'fixtures', 'kafka-messages');

/** The files carry `//` comment lines (the licence header, notes), which JSON.parse refuses. */
export function loadSpec(name: string): SpecMessage {
  const text = readFileSync(join(SPEC_DIR, `${name}.json`), 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  return JSON.parse(text) as SpecMessage;
}

/** Kafka's PascalCase field names as this codebase's camelCase properties. */
export function propertyName(specName: string): string {
  return specName.charAt(0).toLowerCase() + specName.slice(1);
}

/** Struct-typed fields may name a commonStruct instead of listing their fields. */
export function structFields(spec: SpecMessage, field: SpecField): SpecField[] | undefined {
  if (field.fields) return field.fields;
  const name = field.type.replace(/^\[\]/, '');
  return spec.commonStructs?.find((s) => s.name === name)?.fields;
}

export const PRIMITIVES = new Set([
  'int8',
  'int16',
  'uint16',
  'int32',
  'int64',
  'float64',
  'bool',
  'uuid',
  'string',
  'bytes',
  'records',
]);
