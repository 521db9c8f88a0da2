import { ErrorCode } from './error-code';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one exception services throw. Its message is safe to show to clients; the code decides the
 * HTTP status (and the WebSocket error) in one place.
 */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'AppException';
  }

  static notFound(message: string): AppException {
    return new AppException(ErrorCode.NotFound, message);
  }

  static badRequest(message: string, errors?: FieldError[]): AppException {
    return new AppException(ErrorCode.BadRequest, message, errors);
  }

  static conflict(message: string): AppException {
    return new AppException(ErrorCode.Conflict, message);
  }

  static unauthorized(message: string): AppException {
    return new AppException(ErrorCode.Unauthorized, message);
  }

  static forbidden(message: string): AppException {
    return new AppException(ErrorCode.Forbidden, message);
  }
}
