/** Fields every line has, or that the prefix already says: left out of the readable form. */
const OMITTED = new Set(['time', 'level', 'msg', 'service', 'pid', 'hostname', 'span_id']);

/** Longest rendering of one extra field before it is cut. */
const MAX_FIELD_LENGTH = 160;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function render(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_FIELD_LENGTH ? `${text.slice(0, MAX_FIELD_LENGTH)}…` : text;
}

/** `HH:MM:SS.mmm` of an ISO time, or the text as it is when it is not one. */
function clock(time: unknown): string {
  if (typeof time !== 'string') {
    return '';
  }
  const match = /T(\d{2}:\d{2}:\d{2}\.\d{3})/.exec(time);
  return match?.[1] ?? time;
}

/**
 * One pino JSON line as `HH:MM:SS.mmm LEVEL message key=value …` (the trace id stays, to look the request up
 * in Jaeger); any other line unchanged. The services keep logging JSON: this only changes what the terminal shows.
 */
export function prettyLogLine(line: string): string {
  if (!line.startsWith('{')) {
    return line;
  }
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  if (!isRecord(record) || typeof record.level !== 'string') {
    return line;
  }
  const message = typeof record.msg === 'string' ? record.msg : '';
  const extras = Object.entries(record)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${render(value)}`);
  return [clock(record.time), record.level.toUpperCase().padEnd(5), message, ...extras]
    .filter((part) => part !== '')
    .join(' ');
}
