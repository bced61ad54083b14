import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadBuilderConfig,
  productionNativeModules,
  productionPackages,
  projectRoot,
  unpackedFilter,
} from './builder';

describe('native modules in the packaged app', () => {
  let config: Configuration;
  let natives: string[];
  beforeAll(async () => {
    config = await loadBuilderConfig();
    natives = productionNativeModules();
  });

  it("finds DuckDB's binding among the production dependencies' native modules", () => {
    expect(natives.some((f) => /^node_modules\/@duckdb\/node-bindings-[^/]+\/duckdb\.node$/.test(f))).toBe(
      true,
    );
    // Only shipped dependencies count: build tools' binaries (rolldown, lightningcss) stay out of the app.
    expect(natives.filter((f) => /rolldown|lightningcss|electron/.test(f))).toEqual([]);
  });

  it('unpacks every one of them from the asar archive', () => {
    const unpacked = unpackedFilter(config);
    expect(natives.filter((file) => !unpacked(file))).toEqual([]);
  });

  it('keeps the DuckDB loader next to its platform binding outside the archive', () => {
    const unpacked = unpackedFilter(config);
    const duckdb = [...productionPackages().values()].filter((name) => name.startsWith('@duckdb/'));
    expect(duckdb).toContain('@duckdb/node-bindings');
    for (const name of duckdb) expect(unpacked(`node_modules/${name}/package.json`), name).toBe(true);
  });

  it('would report the binding as packed if asarUnpack forgot it', () => {
    const careless = unpackedFilter({ ...config, asarUnpack: ['out/main/broker-worker.js'] });
    const packed = natives.filter((file) => !careless(file));
    expect(packed.some((f) => f.endsWith('/duckdb.node'))).toBe(true);
  });

  it('has a DuckDB binding published for every platform and architecture we build installers for', () => {
    const manifest = JSON.parse(
      readFileSync(join(projectRoot, 'node_modules/@duckdb/node-bindings/package.json'), 'utf8'),
    ) as { optionalDependencies?: Record<string, string> };
    const published = Object.keys(manifest.optionalDependencies ?? {});
    for (const platform of ['linux-x64', 'win32-x64', 'darwin-x64', 'darwin-arm64']) {
      expect(published).toContain(`@duckdb/node-bindings-${platform}`);
    }
  });
});
