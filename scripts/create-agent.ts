/**
 * `npm run agent:create -- --email admin@example.com --password '…' --role super_admin [--first-name Ada] [--last-name Admin]`
 *
 * Creates a built-in agent account in MONGODB_URI, or in the embedded database of DATA_DIR when it
 * is unset (stop the service first: the embedded database has one owner). Exit codes: 0 created,
 * 1 failed (e.g. the email exists), 2 bad arguments.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Global, Module } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AgentsModule } from '../src/agents/agents.module';
import { AgentsService } from '../src/agents/agents.service';
import { CreateAgentDto } from '../src/agents/dto/create-agent.dto';
import { EventBus } from '../src/common/events/event-bus';
import { InProcessEventBus } from '../src/common/events/in-process-event-bus';
import { DatabaseModule } from '../src/database/database.module';
import { cliConfig, runCli } from './cli';

const USAGE = 'Usage: npm run agent:create -- --email <email> --password <password> [--role super_admin|admin|support] [--first-name <name>] [--last-name <name>]';

/** Creating an account publishes nothing, so the CLI needs no Redis: a local bus satisfies AgentsService. */
@Global()
@Module({ providers: [{ provide: EventBus, useClass: InProcessEventBus }], exports: [EventBus] })
class CliEventsModule {}

@Module({
  imports: [
    // ADMIN_EMAIL/ADMIN_PASSWORD are the service's start-up bootstrap, not this command's.
    cliConfig({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' }),
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

runCli({
  usage: USAGE,
  failure: 'Could not create the agent',
  parse,
  module: CreateAgentCliModule,
  async run(app, dto: CreateAgentDto) {
    const agent = await app.get(AgentsService).createAccount(dto);
    console.log(`Created ${agent.role} ${agent.email} (id ${agent.id})`);
  },
});
