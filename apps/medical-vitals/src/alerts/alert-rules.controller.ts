import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { withPrimaryConnection } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { AlertRule } from './alert-rule.entity.js';
import { CreateAlertRuleDto, ListAlertRulesQueryDto, UpdateAlertRuleDto } from './alert-rule.dto.js';
import { RuleCache } from './rule-cache.service.js';

/** Alert rules per patient or per ward. Every change bumps `version` and invalidates the rule cache everywhere. */
@ApiTags('alerts')
@Controller('alert-rules')
export class AlertRulesController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RuleCache) private readonly cache: RuleCache,
  ) {}

  @Post()
  async create(@Body() body: CreateAlertRuleDto): Promise<AlertRule> {
    if ((body.patientId === undefined) === (body.wardId === undefined)) {
      throw new BadRequestException({
        message: 'invalid request: patientId, wardId',
        details: [{ field: 'patientId', problems: ['exactly one of patientId and wardId must be given'] }],
      });
    }
    assertRange(body.min ?? null, body.max ?? null);
    const rules = this.dataSource.getRepository(AlertRule);
    const saved = await rules.save(
      rules.create({
        patientId: body.patientId ?? null,
        wardId: body.wardId ?? null,
        metric: body.metric,
        min: body.min ?? null,
        max: body.max ?? null,
        enabled: body.enabled ?? true,
        version: 1,
        updatedAt: new Date(),
      }),
    );
    await this.cache.invalidate(saved.id);
    return saved;
  }

  @Get()
  list(@Query() query: ListAlertRulesQueryDto): Promise<AlertRule[]> {
    return this.dataSource.getRepository(AlertRule).find({
      where: {
        ...(query.patientId === undefined ? {} : { patientId: query.patientId }),
        ...(query.wardId === undefined ? {} : { wardId: query.wardId }),
      },
      order: { id: 'ASC' },
      take: query.limit,
    });
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<AlertRule> {
    const rule = await this.dataSource.getRepository(AlertRule).findOneBy({ id });
    if (!rule) throw new NotFoundException(`alert rule ${id} not found`);
    return rule;
  }

  @Patch(':id')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAlertRuleDto): Promise<AlertRule> {
    // Read-modify-write on the primary: the replica may not have replayed the rule's creation or last update.
    const rule = await withPrimaryConnection(this.dataSource, (manager) =>
      manager.getRepository(AlertRule).findOneBy({ id }),
    );
    if (!rule) throw new NotFoundException(`alert rule ${id} not found`);
    if (body.min !== undefined) rule.min = body.min;
    if (body.max !== undefined) rule.max = body.max;
    if (body.enabled !== undefined) rule.enabled = body.enabled;
    assertRange(rule.min, rule.max);
    rule.version += 1;
    rule.updatedAt = new Date();
    const saved = await this.dataSource.getRepository(AlertRule).save(rule);
    await this.cache.invalidate(id);
    return saved;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const result = await this.dataSource.getRepository(AlertRule).delete({ id });
    if (result.affected === 0) throw new NotFoundException(`alert rule ${id} not found`);
    await this.cache.invalidate(id);
  }
}

function assertRange(min: number | null, max: number | null): void {
  const problems: { field: string; problems: string[] }[] = [];
  if (min === null && max === null) problems.push({ field: 'min', problems: ['min or max must be set'] });
  if (min !== null && max !== null && min > max)
    problems.push({ field: 'min', problems: ['must not exceed max'] });
  if (problems.length > 0) {
    throw new BadRequestException({
      message: `invalid request: ${problems.map((p) => p.field).join(', ')}`,
      details: problems,
    });
  }
}
