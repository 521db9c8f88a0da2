/**
 * What the command-line scripts share: `.env` (when present) under the environment, the validated
 * configuration, an application context that logs only errors and warnings, and the exit codes
 * 0 done, 1 failed, 2 bad arguments (printed with the usage line).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { buildUnlessConfigured } from '../embedded-db/build';
import { validateEnv } from '../src/config/env.validation';

/** The service's validated configuration; `overrides` win over the environment. */
export function cliConfig(overrides: Record<string, string> = {}): Promise<DynamicModule> {
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => validateEnv({ ...raw, ...overrides }) });
}

export interface CliCommand<Args> {
  usage: string;
  /** Starts the error line when the command fails, e.g. `Seeding failed`. */
  failure: string;
  /** Reads the command line; throws a message for the user when it is wrong. */
  parse(): Args;
  /** The modules the command needs (with `cliConfig()` and usually `DatabaseModule`). */
  module: Type<unknown>;
  run(app: INestApplicationContext, args: Args): Promise<void>;
}

async function main<Args>(command: CliCommand<Args>): Promise<number> {
  let args: Args;
  try {
    args = command.parse();
  } catch (err) {
    console.error(`${(err as Error).message}\n${command.usage}`);
    return 2;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  await buildUnlessConfigured(process.env, (line) => console.log(line));
  const app = await NestFactory.createApplicationContext(command.module, { logger: ['error', 'warn'], abortOnError: false });
  try {
    await command.run(app, args);
    return 0;
  } catch (err) {
    console.error(`${command.failure}: ${(err as Error).message}`);
    return 1;
  } finally {
    await app.close();
  }
}

/** Runs `command` and exits with its code. */
export function runCli<Args>(command: CliCommand<Args>): void {
  main(command).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`${command.failure}: ${err.message}`);
      process.exit(1);
    },
  );
}

/** `--batch N` (default 1000): how many documents a batch command reads at a time. */
export function parseBatchOption(): number {
  const { values } = parseArgs({ options: { batch: { type: 'string', default: '1000' } }, strict: true });
  const batch = Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1) throw new Error('--batch must be a positive integer');
  return batch;
}
