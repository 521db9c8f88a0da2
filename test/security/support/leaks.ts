/**
 * What must never reach a client: stack frames, source paths, driver and ORM error text.
 * Applied to every response body the attack suites receive.
 */
const LEAK_PATTERNS: RegExp[] = [
  /\bat \S+ \(.*:\d+:\d+\)/, // a stack frame
  /\.(ts|js):\d+/, // a source location
  /(^|[\s"'(=])\/(work|srv|home|usr|app|root|tmp|var|opt)\/[\w./-]+/, // an absolute file path (not a URL path)
  /node_modules/,
  /Mongo(Server|Network)?Error|E11000|MongooseError|CastError|Cast to \w+ failed|ValidationError:|BSON/i,
  /handlerparams|ferretdb|sqlite/i,
  /TypeError|ReferenceError|SyntaxError: Unexpected/,
];

export function leaksIn(text: string): string[] {
  return LEAK_PATTERNS.filter((pattern) => pattern.test(text)).map(String);
}

/** Fails with the offending text when a response body carries internals. */
export function expectNoLeak(body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  const leaks = leaksIn(text);
  if (leaks.length > 0) throw new Error(`response leaks internals (${leaks.join(', ')}): ${text.slice(0, 500)}`);
}
