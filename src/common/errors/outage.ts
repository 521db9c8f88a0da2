import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import mongoose from 'mongoose';

const OUTAGE_ERRORS = [
  mongoose.mongo.MongoNetworkError,
  mongoose.mongo.MongoServerSelectionError,
  mongoose.mongo.MongoNotConnectedError,
  mongoose.mongo.MongoTopologyClosedError,
  mongoose.mongo.MongoServerClosedError,
  mongoose.Error.MongooseServerSelectionError,
  MaxRetriesPerRequestError,
];

/**
 * The database or Redis cannot be reached (down, restarting, connection lost mid-request): the
 * request did not complete and may be retried, so it is a 503, not a 500. Mongoose's "buffering
 * timed out" and ioredis' "Connection is closed." are plain Errors, known by their message.
 */
export function isOutage(exception: unknown): boolean {
  if (OUTAGE_ERRORS.some((type) => exception instanceof type)) return true;
  return exception instanceof Error && (exception.message === 'Connection is closed.' || /buffering timed out/.test(exception.message));
}
