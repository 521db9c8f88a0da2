import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiSuccess } from '../common/http/api-success.decorator';
import { AuthenticatedAgent } from '../common/access/authenticated-agent';
import { AgentRole, MANAGER_ROLES } from '../common/access/agent-role';
import { AgentsService } from './agents.service';
import { AgentIdParamDto } from './dto/agent-id.param.dto';
import { AgentAvailabilityResponse, AgentResponse, mapAgent } from './dto/agent.response';
import { CreateAgentDto } from './dto/create-agent.dto';
import { ListAgentsQueryDto } from './dto/list-agents.query.dto';
import { UpdateAgentDto } from './dto/update-agent.dto';
import { UpdateAvailabilityDto } from './dto/update-availability.dto';
import { Access, CurrentAgent } from '../common/access/access.decorator';


@ApiTags('admin: agents')
@Access({ roles: [] })
@Controller('api/admin/live-chat/agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @ApiOperation({ summary: 'List agents (any agent)' })
  @ApiSuccess({ data: [AgentResponse] })
  @ApiBadRequestResponse({ description: 'Invalid filter or pagination' })
  async list(@Query() query: ListAgentsQueryDto) {
    const { items, total } = await this.agents.list({ role: query.role, availability: query.availability, active: query.active }, query.page, query.limit);
    return { success: true, count: items.length, total, page: query.page, pages: Math.ceil(total / query.limit), data: items.map(mapAgent) };
  }

  @Patch('me/availability')
  @ApiOperation({ summary: 'Set my availability (online, away, offline)' })
  @ApiSuccess({ message: true, data: AgentAvailabilityResponse })
  async setAvailability(@CurrentAgent() agent: AuthenticatedAgent, @Body() body: UpdateAvailabilityDto) {
    const updated = await this.agents.setAvailability(agent, body.availability);
    return { success: true, message: 'Availability updated', data: { _id: updated.id, availability: updated.availability } };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One agent (any agent)' })
  @ApiSuccess({ data: AgentResponse })
  @ApiNotFoundResponse({ description: 'Agent not found' })
  async get(@Param() params: AgentIdParamDto) {
    return { success: true, data: mapAgent(await this.agents.get(params.id)) };
  }

  @Post()
  @Access({ roles: MANAGER_ROLES })
  @ApiOperation({ summary: 'Create an agent (admin: support agents; super_admin: any role)' })
  @ApiSuccess({ status: 201, message: true, data: AgentResponse })
  @ApiConflictResponse({ description: 'An agent with this email already exists' })
  async create(@CurrentAgent() actor: AuthenticatedAgent, @Body() body: CreateAgentDto) {
    return { success: true, message: 'Agent created successfully', data: mapAgent(await this.agents.create(actor, body)) };
  }

  @Patch(':id')
  @Access({ roles: MANAGER_ROLES })
  @ApiOperation({ summary: 'Update an agent (admin: support agents and themselves; super_admin: anyone; never one’s own role)' })
  @ApiSuccess({ message: true, data: AgentResponse })
  @ApiNotFoundResponse({ description: 'Agent not found' })
  @ApiConflictResponse({ description: 'An agent with this email already exists' })
  async update(@CurrentAgent() actor: AuthenticatedAgent, @Param() params: AgentIdParamDto, @Body() body: UpdateAgentDto) {
    return { success: true, message: 'Agent updated successfully', data: mapAgent(await this.agents.update(actor, params.id, body)) };
  }

  @Delete(':id')
  @Access({ roles: MANAGER_ROLES })
  @ApiOperation({ summary: 'Deactivate an agent: its tokens stop working at once' })
  @ApiSuccess({ message: true, data: AgentResponse })
  @ApiNotFoundResponse({ description: 'Agent not found' })
  async deactivate(@CurrentAgent() actor: AuthenticatedAgent, @Param() params: AgentIdParamDto) {
    return { success: true, message: 'Agent deactivated successfully', data: mapAgent(await this.agents.deactivate(actor, params.id)) };
  }
}
