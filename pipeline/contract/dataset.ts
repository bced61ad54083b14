import { z } from 'zod';
import { call, event } from './define';
import type { CallSpec, EventSpec } from './define';

// Calls and events of the dataset domain (getting real data: downloading REES46 months): every schema of
// this domain lives in this file.

export const DownloadState = z.enum(['downloading', 'done', 'failed', 'cancelled']);
export type DownloadState = z.infer<typeof DownloadState>;

export const DownloadProgress = z.object({
  month: z.string(),
  /** Bytes on disk so far, including what an earlier, interrupted attempt left. */
  bytes: z.number(),
  /** From Content-Length / Content-Range; null when the server does not say. */
  totalBytes: z.number().nullable(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  state: DownloadState,
});
export type DownloadProgress = z.infer<typeof DownloadProgress>;

export const DownloadResult = z.object({
  month: z.string(),
  path: z.string(),
  bytes: z.number(),
  /** True when an earlier partial download was continued with a Range request. */
  resumed: z.boolean(),
  url: z.string(),
});
export type DownloadResult = z.infer<typeof DownloadResult>;

export const datasetCalls = {
  'dataset.downloadDefaults': call(
    'The REES46 months on offer and the folder downloads go to when none is given.',
    z.object({}).strict(),
    z.object({ months: z.array(z.string()), outDir: z.string(), sourceUrl: z.string() }),
  ),
  'dataset.download': call(
    "Download a REES46 month's .csv.gz (resuming a partial download); resolves with the file's path when complete.",
    z
      .object({
        /** `YYYY-Mon`, e.g. 2019-Oct. */
        month: z.string().min(1),
        outDir: z.string().min(1).optional(),
        /** Replace a complete file that is already there. */
        force: z.boolean().default(false),
        /** Where the monthly files are served (tests, mirrors); default data.rees46.com. */
        baseUrl: z.url({ protocol: /^https?$/ }).optional(),
      })
      .strict(),
    DownloadResult,
  ),
  'dataset.cancelDownload': call(
    'Stop a running download; its partial file stays for a later resume.',
    z.object({ month: z.string().min(1) }).strict(),
    z.object({ cancelled: z.boolean() }),
  ),
} satisfies Record<string, CallSpec>;

export const datasetEvents = {
  'dataset.downloadProgress': event(
    'Progress of a month download (throttled), and its final state.',
    DownloadProgress,
  ),
} satisfies Record<string, EventSpec>;
