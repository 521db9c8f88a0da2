import { ValidationError } from 'class-validator';
import { AppException, FieldError } from './app.exception';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** ValidationPipe errors become one 400 whose message is the first problem, with all of them listed. */
export function validationExceptionFactory(errors: ValidationError[]): AppException {
  const fieldErrors = flatten(errors);
  return AppException.badRequest(fieldErrors[0]?.message ?? 'Invalid request', fieldErrors);
}
