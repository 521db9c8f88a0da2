import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-code';
import { Env } from '../config/env.validation';

/** The file field of every multipart endpoint; `files[]` (as many form libraries name it) is the same field. */
export const FILES_FIELD = 'files';
const MAX_FIELDS = 20;
const MAX_FIELD_NAME_BYTES = 100;
const MAX_HEADER_PAIRS = 20;
/** Room for one part's boundary and headers. */
const PART_OVERHEAD_BYTES = 1024;

export function isMultipart(req: Request): boolean {
  return /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '');
}

function toAppException(err: unknown, maxFileBytes: number, maxFiles: number): AppException {
  if (err instanceof MulterError) {
    switch (err.code) {
      case 'LIMIT_FILE_SIZE':
        return new AppException(ErrorCode.PayloadTooLarge, `File too large: the limit is ${maxFileBytes} bytes per file`);
      case 'LIMIT_FILE_COUNT':
        return new AppException(ErrorCode.PayloadTooLarge, `Too many files: at most ${maxFiles} per request`);
      case 'LIMIT_UNEXPECTED_FILE':
        return AppException.badRequest(`Unexpected file field: send files as "${FILES_FIELD}"`);
      case 'LIMIT_FIELD_VALUE':
      case 'LIMIT_PART_COUNT':
      case 'LIMIT_FIELD_COUNT':
        return new AppException(ErrorCode.PayloadTooLarge, 'Too many or too large form fields');
      default:
        return AppException.badRequest('Invalid form field');
    }
  }
  return AppException.badRequest('Malformed multipart body');
}

/**
 * Parses `multipart/form-data` with multer into memory, within limits: UPLOAD_MAX_FILE_BYTES per
 * file, UPLOAD_MAX_FILES files, a few short text fields (the longest fits a message of
 * MESSAGE_MAX_LENGTH characters). Memory storage means an aborted or refused upload leaves nothing
 * on disk; multer drains or drops the rest of the request. A declared Content-Length beyond what the
 * limits allow is refused before reading. Limits → 413, anything malformed → 400.
 */
@Injectable()
export class MultipartParser {
  private readonly middleware: ReturnType<multer.Multer['fields']>;
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  /** The largest body the limits below can accept: a longer declared Content-Length is refused before it is read. */
  private readonly maxBodyBytes: number;

  constructor(config: ConfigService<Env, true>) {
    this.maxFileBytes = config.get('UPLOAD_MAX_FILE_BYTES', { infer: true });
    this.maxFiles = config.get('UPLOAD_MAX_FILES', { infer: true });
    const fieldSize = Math.max(4 * config.get('MESSAGE_MAX_LENGTH', { infer: true }), 4096);
    this.maxBodyBytes = this.maxFiles * this.maxFileBytes + MAX_FIELDS * fieldSize + (this.maxFiles + MAX_FIELDS) * PART_OVERHEAD_BYTES;
    this.middleware = multer({
      storage: multer.memoryStorage(),
      defParamCharset: 'utf8',
      limits: {
        fileSize: this.maxFileBytes,
        files: this.maxFiles,
        fields: MAX_FIELDS,
        fieldSize,
        fieldNameSize: MAX_FIELD_NAME_BYTES,
        parts: this.maxFiles + MAX_FIELDS,
        headerPairs: MAX_HEADER_PAIRS,
      },
    }).fields([
      { name: FILES_FIELD, maxCount: this.maxFiles },
      { name: `${FILES_FIELD}[]`, maxCount: this.maxFiles },
    ]);
  }

  /** Fills `req.body` with the text fields and returns the files, in the order they were sent. */
  parse(req: Request, res: Response): Promise<Express.Multer.File[]> {
    if (Number(req.headers['content-length'] ?? 0) > this.maxBodyBytes) {
      return Promise.reject(new AppException(ErrorCode.PayloadTooLarge, `Request too large: at most ${this.maxFiles} files of ${this.maxFileBytes} bytes`));
    }
    return new Promise((resolve, reject) => {
      this.middleware(req, res, (err?: unknown) => {
        if (err) return reject(toAppException(err, this.maxFileBytes, this.maxFiles));
        const byField = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
        resolve([...(byField[FILES_FIELD] ?? []), ...(byField[`${FILES_FIELD}[]`] ?? [])]);
      });
    });
  }
}
