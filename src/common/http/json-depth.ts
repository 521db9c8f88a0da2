import { NextFunction, Request, Response } from 'express';
import { AppException } from '../errors/app.exception';

export const JSON_TOO_DEEP_MESSAGE = 'Request body is nested too deeply';

/**
 * True when objects and arrays nest deeper than `maxDepth` (the top-level value is depth 1).
 * Iterative, so a hostile 50,000-level document cannot overflow the stack here; it would
 * overflow the recursive ValidationPipe and class-transformer (a 500 with a huge logged stack).
 */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Express middleware, after the body parsers: 400 for a body nested deeper than `maxDepth`. */
export function rejectDeepJson(maxDepth: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(jsonDepthExceeds(req.body, maxDepth) ? AppException.badRequest(JSON_TOO_DEEP_MESSAGE) : undefined);
  };
}
