import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration, TargetConfiguration } from 'app-builder-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig, projectRoot, validateBuilderConfig } from './builder';

function targets(value: unknown): { target: string; arch: string[] }[] {
  const list = Array.isArray(value) ? (value as (string | TargetConfiguration)[]) : [];
  return list.map((t) =>
    typeof t === 'string' ? { target: t, arch: [] } : { target: t.target, arch: [t.arch ?? []].flat() },
  );
}

describe('electron-builder.yml', () => {
  let config: Configuration;
  beforeAll(async () => {
    config = await loadBuilderConfig();
  });

  it("passes electron-builder's own configuration validation", async () => {
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
  });

  it('is refused, naming the option, when a key is misspelled or a value has the wrong type', async () => {
    await expect(
      validateBuilderConfig({ ...config, asarUnpak: ['**/*.node'] } as Configuration),
    ).rejects.toThrow(/unknown property 'asarUnpak'/);
    await expect(
      validateBuilderConfig({ ...config, nsis: { oneClick: 'no' } } as unknown as Configuration),
    ).rejects.toThrow(/oneClick/);
  });

  it('sets the Electron fuses that keep the packaged app from being a general-purpose runtime', () => {
    expect(config.asar).not.toBe(false);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names the app and its artifacts per OS and architecture', () => {
    expect(config.appId).toBe('io.clickpulse.workbench');
    expect(config.productName).toBe('ClickPulse Workbench');
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      productName: string;
    };
    expect(config.productName).toBe(pkg.productName);
    // x64 and arm64 dmgs land in one folder: the name must carry the architecture or one overwrites the other.
    expect(config.artifactName).toContain('${arch}');
    expect(config.artifactName).toContain('${os}');
    expect(config.artifactName).toContain('${version}');
    expect(config.artifactName).not.toMatch(/\s/);
  });

  it('builds Linux AppImage and deb, Windows NSIS, macOS dmg for x64 and arm64', () => {
    expect(targets(config.linux?.target)).toEqual([
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ]);
    expect(targets(config.win?.target)).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(targets(config.mac?.target)).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    // deb refuses to build without a maintainer; a product name with spaces makes a poor executable name.
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
    expect(config.linux?.executableName).toBe('clickpulse-workbench');
  });

  it('takes icons and entitlements from build/, and they exist', () => {
    expect(config.directories?.buildResources).toBe('build');
    for (const icon of [config.linux?.icon, config.mac?.icon, config.win?.icon]) {
      expect(icon).toBe('build/icon.png');
    }
    const png = readFileSync(join(projectRoot, 'build/icon.png'));
    // macOS needs a 512×512 source for its icns; PNG stores width and height at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
    expect(config.mac?.hardenedRuntime).toBe(true);
    for (const plist of [config.mac?.entitlements, config.mac?.entitlementsInherit]) {
      expect(plist).toBe('build/entitlements.mac.plist');
    }
    const entitlements = readFileSync(join(projectRoot, 'build/entitlements.mac.plist'), 'utf8');
    // V8's JIT needs this under the hardened runtime, or the signed app dies at launch.
    expect(entitlements).toContain('com.apple.security.cs.allow-jit');
  });

  it('ships the sample dataset and the icons from resources/ where the app looks for them', () => {
    const extra = [config.extraResources ?? []].flat();
    expect(extra).toContainEqual({ from: 'resources', to: 'resources' });
    // main/index.ts reads process.resourcesPath/resources when packaged.
    const main = readFileSync(join(projectRoot, 'main/index.ts'), 'utf8');
    expect(main).toContain("join(process.resourcesPath, 'resources')");
    for (const file of ['rees46-2019-oct-head1000.csv', 'icon.png', 'icon.svg']) {
      expect(existsSync(join(projectRoot, 'resources', file)), file).toBe(true);
    }
  });

  it('offers to open .csv and .parquet files', () => {
    const associations = [config.fileAssociations ?? []].flat();
    expect(associations.map((a) => a.ext)).toEqual(['csv', 'parquet']);
    for (const a of associations)
      expect(a.mimeType, `${String(a.ext)} needs a MIME type for Linux`).toBeTruthy();
  });
});
