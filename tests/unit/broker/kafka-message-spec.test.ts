import { describe, expect, it } from 'vitest';
import { APIS } from '../../../pipeline/broker/protocol/registry';
import { parseVersions, type Field, type Shape, type Type } from '../../../pipeline/broker/protocol/types';
import {
  loadSpec,
  propertyName,
  structFields,
  type SpecField,
  type SpecMessage,
} from '../../helpers/kafka-message-spec';

/**
 * Every registered API's description against apache/kafka 3.9.0's message JSON: the field names,
 * types, versions, nullable versions, tags and defaults must match within the versions we advertise.
 */
function expectedDefault(fd: SpecField): unknown {
  if (fd.default === undefined) return undefined;
  if (fd.default === 'null') return null;
  if (fd.type === 'bool') return fd.default === 'true';
  if (/^(int|uint|float)/.test(fd.type)) return Number(fd.default);
  return fd.default;
}

function rangeOf(versions: string | undefined): { min: number; max: number } | undefined {
  return versions === undefined ? undefined : parseVersions(versions);
}

function compareType(
  problems: string[],
  path: string,
  ours: Type<unknown>,
  fd: SpecField,
  spec: SpecMessage,
): void {
  const shape: Shape | undefined = ours.shape;
  if (!shape) return void problems.push(`${path}: the type has no shape`);
  const isArray = fd.type.startsWith('[]');
  const base = fd.type.replace(/^\[\]/, '');
  const nullable = fd.nullableVersions !== undefined;
  if (isArray) {
    if (shape.kind !== 'array') return void problems.push(`${path}: spec ${fd.type}, ours ${shape.kind}`);
    if (shape.nullable !== nullable)
      problems.push(`${path}: spec nullable=${nullable}, ours ${shape.nullable}`);
    const itemSpec: SpecField = { ...fd, type: base, nullableVersions: undefined };
    return compareType(problems, `${path}[]`, shape.item, itemSpec, spec);
  }
  const fields = structFields(spec, fd);
  if (fields) {
    if (shape.kind !== 'struct')
      return void problems.push(`${path}: spec struct ${base}, ours ${shape.kind}`);
    return compareFields(problems, path, shape.fields, fields, spec);
  }
  if (shape.kind !== 'primitive' || shape.name !== base) {
    return void problems.push(
      `${path}: spec ${base}, ours ${shape.kind === 'primitive' ? shape.name : shape.kind}`,
    );
  }
  if (base !== 'records' && shape.nullable !== nullable) {
    problems.push(`${path}: spec nullable=${nullable}, ours ${shape.nullable}`);
  }
}

function compareFields(
  problems: string[],
  path: string,
  ours: Readonly<Record<string, Field<unknown>>>,
  specFields: SpecField[],
  spec: SpecMessage,
  maxVersion = Infinity,
): void {
  const seen = new Set<string>();
  for (const fd of specFields) {
    const name = propertyName(fd.name);
    const where = `${path}.${name}`;
    const versions = parseVersions(fd.versions);
    const mine = ours[name];
    seen.add(name);
    if (!mine) {
      // A description may stop below Kafka's newest version: fields only in newer versions may be missing.
      if (versions.min <= maxVersion) problems.push(`${where}: missing (versions ${fd.versions})`);
      continue;
    }
    if (mine.min !== versions.min || mine.max !== versions.max) {
      problems.push(`${where}: versions ${mine.min}-${mine.max}, spec ${fd.versions}`);
    }
    const nullable = rangeOf(fd.nullableVersions);
    if (JSON.stringify(mine.nullable) !== JSON.stringify(nullable)) {
      problems.push(
        `${where}: nullableVersions ${JSON.stringify(mine.nullable)}, spec ${String(fd.nullableVersions)}`,
      );
    }
    if (mine.tag !== fd.tag) problems.push(`${where}: tag ${String(mine.tag)}, spec ${String(fd.tag)}`);
    const tagged = fd.tag === undefined ? undefined : rangeOf(fd.taggedVersions ?? fd.versions);
    if (JSON.stringify(mine.tagged) !== JSON.stringify(tagged)) {
      problems.push(
        `${where}: taggedVersions ${JSON.stringify(mine.tagged)}, spec ${String(fd.taggedVersions)}`,
      );
    }
    const wanted = expectedDefault(fd);
    if (wanted !== undefined && mine.absent !== wanted) {
      problems.push(`${where}: default ${String(mine.absent)}, spec ${String(fd.default)}`);
    }
    compareType(problems, where, mine.type, fd, spec);
  }
  for (const name of Object.keys(ours))
    if (!seen.has(name)) problems.push(`${path}.${name}: not in the spec`);
}

function compareMessage(api: (typeof APIS)[number], kind: 'Request' | 'Response'): string[] {
  const spec = loadSpec(`${api.name}${kind}`);
  const problems: string[] = [];
  const valid = parseVersions(spec.validVersions);
  if (spec.apiKey !== api.key) problems.push(`apiKey ${api.key}, spec ${String(spec.apiKey)}`);
  if (api.maxVersion > valid.max)
    problems.push(`maxVersion ${api.maxVersion} beyond the spec's ${valid.max}`);
  const flexible = spec.flexibleVersions === 'none' ? Infinity : parseVersions(spec.flexibleVersions).min;
  if (api.flexibleFrom !== flexible)
    problems.push(`flexibleFrom ${api.flexibleFrom}, spec ${spec.flexibleVersions}`);
  const type = kind === 'Request' ? api.request : api.response;
  const shape = (type as Type<unknown>).shape;
  if (shape?.kind !== 'struct') return [...problems, 'the message is not a struct with a shape'];
  compareFields(problems, `${api.name}${kind}`, shape.fields, spec.fields, spec, api.maxVersion);
  return problems;
}

describe('message descriptions against apache/kafka 3.9.0 message JSON', () => {
  for (const api of APIS) {
    it(`${api.name} (key ${api.key}) v${api.minVersion}-v${api.maxVersion} matches ${api.name}Request/Response.json`, () => {
      expect(compareMessage(api, 'Request')).toEqual([]);
      expect(compareMessage(api, 'Response')).toEqual([]);
    });
  }

  it('reaches, for every API, at least the newest version Kafka 3.9 serves', () => {
    const behind = APIS.filter(
      (api) => api.maxVersion < parseVersions(loadSpec(`${api.name}Request`).validVersions).max,
    );
    expect(behind.map((a) => `${a.name} v${a.maxVersion}`)).toEqual([]);
  });
});
