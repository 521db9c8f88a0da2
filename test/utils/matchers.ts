/** Any `Date` as JSON renders it: an ISO-8601 UTC timestamp with milliseconds. */
export const ISO_TIMESTAMP = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
