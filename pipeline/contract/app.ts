import { z } from 'zod';
import { call, event } from './define';
import { CanonicalField } from './replay';

export const Transport = z.enum(['electron', 'web', 'cli']);

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  transport: Transport,
  lakeDir: z.string(),
  sampleDataset: z.string().nullable(),
  platform: z.string(),
  nodeVersion: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Theme = z.enum(['system', 'light', 'dark']);

export const Settings = z.object({
  lakeDir: z.string().min(1).optional(),
  brokerPort: z.number().int().min(1).max(65535).optional(),
  theme: Theme.optional(),
  recentDatasets: z.array(z.string()).max(20).optional(),
  /** Users' SQL is stopped after this long (default 300 s = 5 min). */
  queryTimeoutSeconds: z.number().int().min(1).max(86_400).optional(),
  /** The Replay screen as last left: restored after a restart (never a password). */
  replayDraft: z
    .object({
      path: z.string().min(1),
      mapping: z.partialRecord(CanonicalField, z.string()),
      /** The run options as typed (text fields and switches), keyed by the form's field names. */
      form: z.record(z.string(), z.union([z.string(), z.boolean()])),
    })
    .optional(),
  /** The first-run guide (sample → start → dashboards) was dismissed. */
  guideDismissed: z.boolean().optional(),
  /** The SQL console's query tabs, kept across restarts. */
  sqlTabs: z
    .array(z.object({ title: z.string().max(200), sql: z.string().max(1_000_000) }))
    .max(30)
    .optional(),
});
export type Settings = z.infer<typeof Settings>;

export const DirectoryListing = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  entries: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['file', 'dir']),
      size: z.number(),
      modified: z.string(),
    }),
  ),
});
export type DirectoryListing = z.infer<typeof DirectoryListing>;

export const appCalls = {
  'app.info': call('Version, transport and folders of this Workbench.', z.object({}).strict(), AppInfo),
  'settings.get': call('The persisted user settings.', z.object({}).strict(), Settings),
  'settings.update': call(
    'Merge these fields into the persisted settings and return the result.',
    Settings.strict(),
    Settings,
  ),
  'files.list': call(
    'List a folder for the in-app file picker (home folder by default); extensions filter files, e.g. [".csv"].',
    z
      .object({
        path: z.string().optional(),
        extensions: z.array(z.string()).max(20).optional(),
        foldersOnly: z.boolean().optional(),
      })
      .strict(),
    DirectoryListing,
  ),
  'files.pick': call(
    'What the in-app picker (browser mode) returns: the user chose this path, so this session may use it (a folder: everything inside). It must be in a folder files.list showed.',
    z
      .object({
        path: z.string().min(1),
        mode: z.enum(['file', 'folder', 'save']),
        /** 'tls': a PEM certificate, key or CA (*.pem, *.key), which the browser mode otherwise refuses. */
        purpose: z.enum(['tls']).optional(),
      })
      .strict(),
    z.object({ path: z.string() }),
  ),
};

export const appEvents = {
  'settings.changed': event('The persisted settings changed (from any window or transport).', Settings),
};
