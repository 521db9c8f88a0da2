import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
  ValidationError,
} from 'class-validator';
import { createPublicKey } from 'node:crypto';

export const DEVELOPMENT_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';
const PRODUCTION_MIN_SECRET_LENGTH = 32;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
/** A PEM public key; `\\n` escapes (one-line env files) count as line breaks. */
export const pemPublicKey = (value: string) => createPublicKey(value.replace(/\\n/g, '\n'));
const IsPemPublicKey = () =>
  ValidateBy({
    name: 'isPemPublicKey',
    validator: {
      validate: (value: unknown) => {
        try {
          return typeof value === 'string' && pemPublicKey(value).type === 'public';
        } catch {
          return false;
        }
      },
      defaultMessage: () => 'JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)',
    },
  });
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable the service reads, with its type and default.
 * The README's configuration table mirrors this class.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 5000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(toInt) @IsInt() @Min(1000) @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @Transform(toInt) @IsInt() @Min(1000)
  HTTP_HEADERS_TIMEOUT_MS = 20_000;

  @Transform(toInt) @IsInt() @Min(1000)
  HTTP_REQUEST_TIMEOUT_MS = 300_000;

  @Transform(emptyToUndefined) @IsOptional() @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI?: string;

  @IsString() @MinLength(1)
  DATA_DIR = './data';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  EMBEDDED_DB_PORT = 0;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  FERRETDB_BIN?: string;

  @IsString() @MinLength(1)
  JWT_SECRET = DEVELOPMENT_JWT_SECRET;

  @Transform(emptyToUndefined) @IsOptional() @IsPemPublicKey()
  JWT_PUBLIC_KEY?: string;

  @Transform(toInt) @IsInt() @Min(60) @Max(30 * 24 * 3600)
  JWT_EXPIRES_IN_SECONDS = 8 * 3600;

  @Transform(toInt) @IsInt() @Min(0) @Max(60_000)
  AGENT_AUTH_CACHE_TTL_MS = 5000;

  @Transform(toInt) @IsInt() @Min(0) @Max(600_000)
  GUEST_ACCESS_CACHE_TTL_MS = 60_000;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(8)
  ADMIN_PASSWORD?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsString()
  CORS_ORIGINS = '*';

  @Transform(toInt) @IsInt() @Min(0) @Max(10)
  TRUST_PROXY = 0;

  @IsString() @Matches(/^\d+(b|kb|mb)$/i, { message: 'must look like 100kb or 1mb' })
  JSON_BODY_LIMIT = '100kb';

  @Transform(toInt) @IsInt() @Min(4) @Max(1000)
  JSON_MAX_DEPTH = 32;

  @Transform(toInt) @IsInt() @Min(1000)
  RATE_LIMIT_WINDOW_MS = 15 * 60 * 1000;

  @Transform(toInt) @IsInt() @Min(1)
  RATE_LIMIT_MAX = 100;

  @Transform(toInt) @IsInt() @Min(1)
  RATE_LIMIT_MESSAGES_MAX = 1000;

  @Transform(toBool) @IsBoolean()
  RATE_LIMIT_ENABLED = true;

  @Transform(toInt) @IsInt() @Min(1)
  SESSIONS_PER_IP_PER_HOUR = 30;

  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_MAX_ATTEMPTS = 10;

  @Transform(toBool) @IsBoolean()
  GUEST_TOKEN_REQUIRED = true;

  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(32)
  WIDGET_IDENTITY_SECRET?: string;

  @Transform(toBool) @IsBoolean()
  WIDGET_IDENTITY_REQUIRED = false;

  @IsString() @MaxLength(500)
  WELCOME_MESSAGE_TEMPLATE = 'Welcome {name}! A support agent will be with you shortly.';

  @Transform(toInt) @IsInt() @Min(1) @Max(100000)
  MESSAGE_MAX_LENGTH = 5000;

  @Transform(toInt) @IsInt() @Min(0)
  SESSION_IDLE_CLOSE_MINUTES = 0;

  @Transform(toInt) @IsInt() @Min(1024)
  WS_MAX_PAYLOAD_BYTES = 64 * 1024;

  @Transform(toInt) @IsInt() @Min(1000)
  WS_HEARTBEAT_INTERVAL_MS = 30000;

  @Transform(toInt) @IsInt() @Min(1024)
  WS_MAX_BUFFERED_BYTES = 1024 * 1024;

  @Transform(toInt) @IsInt() @Min(1)
  WS_MESSAGES_PER_SECOND = 20;

  @Transform(toInt) @IsInt() @Min(1)
  WS_MAX_CONNECTIONS_PER_IP = 100;

  @Transform(toInt) @IsInt() @Min(1)
  UPLOAD_MAX_FILE_BYTES = 10 * 1024 * 1024;

  @Transform(toInt) @IsInt() @Min(1) @Max(50)
  UPLOAD_MAX_FILES = 5;

  @Transform(toInt) @IsInt() @Min(1)
  UPLOAD_MAX_IMAGE_PIXELS = 40_000_000;

  @Transform(toInt) @IsInt() @Min(1)
  UPLOAD_ORPHAN_GRACE_MINUTES = 60;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  CLOUDINARY_URL?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  CLOUDINARY_CLOUD_NAME?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  CLOUDINARY_API_KEY?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  CLOUDINARY_API_SECRET?: string;

  @IsTimeZone({ message: 'must be an IANA time zone such as UTC or Europe/Paris' })
  ANALYTICS_TIMEZONE = 'UTC';

  @Transform(toInt) @IsInt() @Min(0)
  ANALYTICS_FLUSH_INTERVAL_MS = 1000;

  @Transform(emptyToUndefined) @IsOptional() @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
}

export type Env = EnvironmentVariables;

function describe(errors: ValidationError[]): string[] {
  return errors.map((error) => {
    const problem = Object.values(error.constraints ?? {}).at(-1) ?? 'is invalid';
    return `${error.property}: ${problem.replace(new RegExp(`^${error.property} `), '')} (got ${JSON.stringify(error.value)})`;
  });
}

/** Validates `process.env` (plus overrides) and returns typed values; throws one line per bad variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const env = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: false, exposeDefaultValues: true });
  const problems = describe(validateSync(env, { skipMissingProperties: false, whitelist: false }));
  if (env.NODE_ENV === 'production') {
    if (env.JWT_SECRET === DEVELOPMENT_JWT_SECRET || env.JWT_SECRET.length < PRODUCTION_MIN_SECRET_LENGTH) {
      problems.push(`JWT_SECRET: must be set to at least ${PRODUCTION_MIN_SECRET_LENGTH} characters when NODE_ENV=production`);
    }
    if (env.CORS_ORIGINS.split(',').some((origin) => origin.trim() === '*')) {
      problems.push('CORS_ORIGINS: "*" is not allowed when NODE_ENV=production; list your sites');
    }
  }
  if (env.WIDGET_IDENTITY_REQUIRED && !env.WIDGET_IDENTITY_SECRET) {
    problems.push('WIDGET_IDENTITY_REQUIRED: needs WIDGET_IDENTITY_SECRET to verify identities');
  }
  if (problems.length > 0) {
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return env;
}
