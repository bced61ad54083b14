import { DEFAULT_TOPIC, ReplayOptions, type CallRequest, type Mapping } from '../../../../pipeline/contract';

/** What the run-options panel edits: text as typed, so a half-typed number is kept and explained. */
export interface RunForm {
  /** A speed-up of event time, "max", or "rate" (a fixed number of events per second). */
  speed: '1' | '10' | '60' | '600' | 'max' | 'rate';
  rate: string;
  /** Event-time window as typed, "2019-10-01 00:00:00" (read as UTC, the dataset's zone). */
  from: string;
  to: string;
  limit: string;
  topic: string;
  partitions: string;
  key: 'user_id' | 'user_session' | 'none';
  order: 'file' | 'event_time';
  resume: boolean;
  broker: 'embedded' | 'external';
  bootstrap: string;
  ssl: boolean;
  /** A PEM file of the CA the cluster's certificate is signed by (a private or self-signed CA); '' = the system's. */
  tlsCa: string;
  sasl: 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
  /** Start the lake consumer (stream.start) before the replay. */
  streamToLake: boolean;
}

export const DEFAULT_RUN_FORM: RunForm = {
  speed: 'max',
  rate: '1000',
  from: '',
  to: '',
  limit: '',
  topic: DEFAULT_TOPIC,
  partitions: '3',
  key: 'user_id',
  order: 'file',
  resume: true,
  broker: 'embedded',
  bootstrap: '',
  ssl: false,
  tlsCa: '',
  sasl: 'none',
  username: '',
  password: '',
  streamToLake: true,
};

export type ReplayRequest = CallRequest<'replay.start'>;

/** Field name (a RunForm key) → what is wrong with it. */
export type FieldErrors = Partial<Record<keyof RunForm, string>>;

export interface DatasetChoice {
  path: string;
  mapping?: Mapping;
  constantEventType?: string | null;
}

/** Empty text is "not set"; anything else must be a number, or it is reported as typed. */
function parseNumber(text: string, field: keyof RunForm, errors: FieldErrors): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed.replace(/[,_\s]/g, ''));
  if (!Number.isFinite(value)) {
    errors[field] = `“${trimmed}” is not a number.`;
    return undefined;
  }
  return value;
}

/** "2019-10-01T00:00" (datetime-local, taken as UTC) → "2019-10-01T00:00:00Z"; full ISO text passes through. */
export function toUtcIso(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?)?(?: ?UTC| ?Z)?$/i.exec(trimmed);
  if (m) return `${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ':00'}Z`;
  return trimmed;
}

/** The contract's field names (issue paths) → the form field that edits them. */
const FIELD_OF_PATH: Record<string, keyof RunForm> = {
  speed: 'speed',
  rate: 'rate',
  from: 'from',
  to: 'to',
  limit: 'limit',
  topic: 'topic',
  partitions: 'partitions',
  key: 'key',
  order: 'order',
  'brokers.bootstrap': 'bootstrap',
  'brokers.tlsCa': 'tlsCa',
  'brokers.sasl.username': 'username',
  'brokers.sasl.password': 'password',
  'brokers.sasl.mechanism': 'sasl',
};

/** zod's wording ("Too small: expected number to be >0") rephrased for someone filling in a form. */
type Issue = NonNullable<ReturnType<typeof ReplayOptions.safeParse>['error']>['issues'][number];

function friendly(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return 'Required.';
      return issue.inclusive
        ? `Must be at least ${String(issue.minimum)}.`
        : `Must be more than ${String(issue.minimum)}.`;
    case 'too_big':
      return issue.inclusive
        ? `Must be at most ${String(issue.maximum)}.`
        : `Must be less than ${String(issue.maximum)}.`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'Must be a whole number.' : issue.message;
    case 'invalid_format':
      if (issue.format === 'datetime') return 'Enter a UTC date and time like 2019-10-01 00:00:00.';
      // The contract's regex messages name what is allowed ("letters, digits, … only").
      return issue.format === 'regex' ? `Use ${issue.message}.` : issue.message;
    default:
      return issue.message;
  }
}

/**
 * Turns the form into a replay.start request and explains every invalid field, using the contract's own
 * ReplayOptions schema so the panel and the Workbench never disagree on what is valid.
 */
export function buildReplayRequest(
  form: RunForm,
  dataset: DatasetChoice,
): { request: ReplayRequest | undefined; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const rate = form.speed === 'rate' ? parseNumber(form.rate, 'rate', errors) : undefined;
  if (form.speed === 'rate' && rate === undefined && !errors.rate) errors.rate = 'Enter events per second.';
  const limit = parseNumber(form.limit, 'limit', errors);
  const partitions = parseNumber(form.partitions, 'partitions', errors);
  if (form.partitions.trim() === '') errors.partitions = 'Enter the number of partitions (1–1000).';
  const from = toUtcIso(form.from);
  const to = toUtcIso(form.to);

  const candidate = {
    path: dataset.path,
    ...(dataset.mapping ? { mapping: dataset.mapping } : {}),
    ...(dataset.constantEventType ? { constantEventType: dataset.constantEventType } : {}),
    speed: form.speed === 'max' || form.speed === 'rate' ? 'max' : Number(form.speed),
    ...(rate !== undefined ? { rate } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(limit !== undefined ? { limit } : {}),
    topic: form.topic.trim(),
    partitions: partitions ?? 3,
    key: form.key,
    order: form.order,
    resume: form.resume,
    ...(form.broker === 'external'
      ? {
          brokers: {
            bootstrap: form.bootstrap.trim(),
            ssl: form.ssl,
            ...(form.ssl && form.tlsCa.trim() ? { tlsCa: form.tlsCa.trim() } : {}),
            ...(form.sasl !== 'none'
              ? { sasl: { mechanism: form.sasl, username: form.username.trim(), password: form.password } }
              : {}),
          },
        }
      : {}),
  };

  const parsed = ReplayOptions.strict().safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = FIELD_OF_PATH[issue.path.join('.')] ?? FIELD_OF_PATH[String(issue.path[0])];
      if (field && !errors[field]) errors[field] = friendly(issue);
    }
  }
  if (form.broker === 'external' && form.bootstrap.trim() !== '') {
    const bad = form.bootstrap
      .split(',')
      .map((s) => s.trim())
      .find((s) => !/^[^\s:]+:\d{1,5}$/.test(s));
    if (bad !== undefined && !errors.bootstrap) errors.bootstrap = `“${bad}” is not host:port.`;
  }
  if (from && to && !errors.from && !errors.to && Date.parse(from) >= Date.parse(to)) {
    errors.to = 'Must be after “from”.';
  }
  const valid = parsed.success && Object.keys(errors).length === 0;
  return { request: valid ? (candidate as ReplayRequest) : undefined, errors };
}

/** The lake consumer reads the same topic from the same brokers the replay writes to. */
export function streamRequestFor(request: ReplayRequest): CallRequest<'stream.start'> {
  return { topic: request.topic, ...(request.brokers ? { brokers: request.brokers } : {}) };
}
