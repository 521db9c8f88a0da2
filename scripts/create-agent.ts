/**
 * `npm run agent:create -- --email admin@example.com --password '…' --role super_admin [--first-name Ada] [--last-name Admin]`
 *
 * Creates a built-in agent account in MONGODB_URI, or in the embedded database of DATA_DIR when it
 * is unset (stop the service first: the embedded database has one owner). Exit codes: 0 created,
 * 1 failed (e.g. the email exists), 2 bad arguments.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AgentsModule } from '../src/agents/agents.module';
import { AgentsService } from '../src/agents/agents.service';
import { CreateAgentDto } from '../src/agents/dto/create-agent.dto';
import { EventBus } from '../src/common/events/event-bus';
import { InProcessEventBus } from '../src/common/events/in-process-event-bus';
import { validateEnv } from '../src/config/env.validation';
import { DatabaseModule } from '../src/database/database.module';

const USAGE = 'Usage: npm run agent:create -- --email <email> --password <password> [--role super_admin|admin|support] [--first-name <name>] [--last-name <name>]';

/** Creating an account publishes nothing, so the CLI needs no Redis: a local bus satisfies AgentsService. */
@Global()
@Module({ providers: [{ provide: EventBus, useClass: InProcessEventBus }], exports: [EventBus] })
class CliEventsModule {}

@Module({
  imports: [
    // ADMIN_EMAIL/ADMIN_PASSWORD are the service's start-up bootstrap, not this command's.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => validateEnv({ ...raw, ADMIN_EMAIL: '', ADMIN_PASSWORD: '' }) }),
    CliEventsModule,
    DatabaseModule,
    AgentsModule,
  ],
})
class CreateAgentCliModule {}

function parse(): CreateAgentDto {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string', default: 'support' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
    },
    strict: true,
  });
  const dto = plainToInstance(CreateAgentDto, {
    email: values.email,
    password: values.password,
    role: values.role,
    firstName: values['first-name'] ?? values.email?.split('@')[0],
    lastName: values['last-name'] ?? '',
  });
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new Error(errors.flatMap((error) => Object.values(error.constraints ?? {})).join('; '));
  }
  return dto;
}

async function main(): Promise<number> {
  let dto: CreateAgentDto;
  try {
    dto = parse();
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  const app = await NestFactory.createApplicationContext(CreateAgentCliModule, { logger: ['error', 'warn'], abortOnError: false });
  try {
    const agent = await app.get(AgentsService).createAccount(dto);
    console.log(`Created ${agent.role} ${agent.email} (id ${agent.id})`);
    return 0;
  } catch (err) {
    console.error(`Could not create the agent: ${(err as Error).message}`);
    return 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`Could not create the agent: ${err.message}`);
    process.exit(1);
  },
);
