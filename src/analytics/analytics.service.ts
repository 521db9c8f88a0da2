import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { agentDisplayName } from '../agents/agent-profile';
import { AgentsService } from '../agents/agents.service';
import { AppException } from '../common/errors/app.exception';
import { Env } from '../config/env.validation';
import { AnalyticsRecorder } from './analytics.recorder';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsPeriod, resolvePeriod } from './analytics-period';
import { AGENT_COUNTERS, AgentCounter, DAY_COUNTERS, DayCounter } from './analytics-rollup';
import { AnalyticsQueryDto } from './dto/analytics.query.dto';
import { AnalyticsView, TopAgentView } from './dto/analytics.response';
import { AnalyticsDay } from './schemas/analytics-day.schema';

export const TOP_AGENTS = 10;

/** 2 decimals; 0 when there is nothing to average. */
const average = (sum: number, count: number, decimals = 2) => (count > 0 ? Number((sum / count).toFixed(decimals)) : 0);

type Totals = Record<DayCounter, number>;
type AgentTotals = Record<AgentCounter, number>;

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/** The analytics report, added up from the daily rollups of the period (never from the sessions). */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly repository: AnalyticsRepository,
    private readonly recorder: AnalyticsRecorder,
    private readonly agents: AgentsService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /** 400 for an unusable period (see `resolvePeriod`). */
  async getAnalytics(query: AnalyticsQueryDto, now = new Date()): Promise<AnalyticsView> {
    const resolved = resolvePeriod(query.startDate, query.endDate, now, this.config.get('ANALYTICS_TIMEZONE', { infer: true }));
    if ('error' in resolved) throw AppException.badRequest(resolved.error);
    const { period } = resolved;
    // This instance's buffered changes first, so that it always reports what it has written.
    await this.recorder.flush();
    const rollups = period.days.length ? await this.repository.findDays(period.days[0], period.days[period.days.length - 1]) : [];
    return this.report(period, rollups);
  }

  private async report(period: AnalyticsPeriod, rollups: AnalyticsDay[]): Promise<AnalyticsView> {
    const totals = zeros(DAY_COUNTERS);
    const byAgent = new Map<string, AgentTotals>();
    let min: number | undefined;
    let max: number | undefined;
    for (const day of rollups) {
      for (const key of DAY_COUNTERS) totals[key] += day[key] ?? 0;
      if (day.answered > 0 && day.responseMsMin !== undefined && day.responseMsMax !== undefined) {
        min = min === undefined ? day.responseMsMin : Math.min(min, day.responseMsMin);
        max = max === undefined ? day.responseMsMax : Math.max(max, day.responseMsMax);
      }
      for (const [agentId, counters] of Object.entries(day.agents ?? {})) {
        const agent = byAgent.get(agentId) ?? zeros(AGENT_COUNTERS);
        for (const key of AGENT_COUNTERS) agent[key] += counters[key] ?? 0;
        byAgent.set(agentId, agent);
      }
    }
    const countByDay = new Map(rollups.map((day) => [day._id, day.sessions]));
    return {
      period: { start: period.start, end: period.end },
      overview: {
        totalSessions: totals.sessions,
        avgMessages: average(totals.messages, totals.sessions),
        closedSessions: totals.closed,
        avgRating: average(totals.ratingSum, totals.rated),
      },
      responseTime: {
        avgResponseTime: average(totals.responseMsSum, totals.answered, 0),
        minResponseTime: min ?? 0,
        maxResponseTime: max ?? 0,
      },
      sessionsByDay: period.days.map((day) => ({ _id: day, count: countByDay.get(day) ?? 0 })),
      topAgents: await this.topAgents(byAgent),
    };
  }

  private async topAgents(byAgent: Map<string, AgentTotals>): Promise<TopAgentView[]> {
    const top = [...byAgent]
      .filter(([, totals]) => totals.sessions > 0)
      .map(([id, totals]) => ({ _id: id, sessionsHandled: totals.sessions, avgRating: average(totals.ratingSum, totals.rated) }))
      .sort((a, b) => b.sessionsHandled - a.sessionsHandled || b.avgRating - a.avgRating || (a._id < b._id ? -1 : 1))
      .slice(0, TOP_AGENTS);
    const profiles = await this.agents.findManyByIds(top.map((agent) => agent._id));
    return top.map((agent) => {
      const profile = profiles.get(agent._id);
      return { ...agent, name: profile ? agentDisplayName(profile) : null };
    });
  }
}
