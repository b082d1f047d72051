import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Logger,
  NotFoundException,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { withPrimaryConnection } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { AccessScope } from '../auth/access-scope.service.js';
import { CurrentStaff } from '../auth/current-staff.decorator.js';
import type { StaffMember } from '../staff/staff-member.js';
import { CLINICAL_ROLES, WARD_MANAGER_ROLES } from '../staff/staff-role.js';
import type { ClearedAlert } from './alert.js';
import { AlertFeed } from './alert-feed.service.js';
import { AlertRule, type VitalMetric } from './alert-rule.entity.js';
import { AlertStore } from './alert-store.service.js';
import { CreateAlertRuleDto, ListAlertRulesQueryDto, UpdateAlertRuleDto } from './alert-rule.dto.js';
import { RuleCache } from './rule-cache.service.js';
import { thresholdProblems } from './threshold-bounds.js';

/**
 * Alert rules per patient or per ward. Every change bumps `version` and invalidates the rule cache
 * everywhere. Clinical staff read the rules of their wards; only ward and hospital admins change them
 * (a disabled rule silences a ward's alarms), and every change is audited.
 */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alert-rules')
export class AlertRulesController {
  private readonly logger = new Logger(AlertRulesController.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RuleCache) private readonly cache: RuleCache,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(AlertStore) private readonly alerts: AlertStore,
    @Inject(AlertFeed) private readonly feed: AlertFeed,
  ) {}

  @Post()
  @Roles(...WARD_MANAGER_ROLES)
  async create(@CurrentStaff() staff: StaffMember, @Body() body: CreateAlertRuleDto): Promise<AlertRule> {
    if ((body.patientId === undefined) === (body.wardId === undefined)) {
      throw new BadRequestException({
        message: 'invalid request: patientId, wardId',
        details: [{ field: 'patientId', problems: ['exactly one of patientId and wardId must be given'] }],
      });
    }
    assertThresholds(body.metric, body.min ?? null, body.max ?? null);
    await this.assertRuleScope(staff, { patientId: body.patientId ?? null, wardId: body.wardId ?? null });
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
    await this.recordChange(staff, 'rule.create', saved, { ...body });
    return saved;
  }

  /** Rules of the caller's wards (and their patients'); a wardId or patientId filter outside them is a 403. */
  @Get()
  @Roles(...CLINICAL_ROLES)
  async list(
    @CurrentStaff() staff: StaffMember,
    @Query() query: ListAlertRulesQueryDto,
  ): Promise<AlertRule[]> {
    if (query.wardId !== undefined) await this.scope.assertWard(staff, query.wardId);
    if (query.patientId !== undefined) await this.scope.assertPatient(staff, query.patientId);
    const wardIds = await this.scope.wardIds(staff);
    return this.dataSource
      .getRepository(AlertRule)
      .createQueryBuilder('rule')
      .where(
        '(rule.ward_id = ANY(:wardIds) OR rule.patient_id IN (SELECT id FROM patients WHERE ward_id = ANY(:wardIds)))',
        {
          wardIds,
        },
      )
      .andWhere(query.patientId === undefined ? 'TRUE' : 'rule.patient_id = :patientId', {
        patientId: query.patientId,
      })
      .andWhere(query.wardId === undefined ? 'TRUE' : 'rule.ward_id = :wardId', { wardId: query.wardId })
      .orderBy('rule.id', 'ASC')
      .take(query.limit)
      .getMany();
  }

  @Get(':id')
  @Roles(...CLINICAL_ROLES)
  async get(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) id: string,
  ): Promise<AlertRule> {
    const rule = await this.dataSource.getRepository(AlertRule).findOneBy({ id });
    if (!rule) throw new NotFoundException(`alert rule ${id} not found`);
    await this.assertRuleScope(staff, rule);
    return rule;
  }

  @Patch(':id')
  @Roles(...WARD_MANAGER_ROLES)
  @ApiOperation({
    summary: 'Change a rule’s thresholds or switch it off and on',
    description:
      'The change applies to the next reading evaluated. Disabling a rule (`"enabled": false`) clears its ' +
      'open alerts in the same request: they are closed with the time of the change as `cleared_at` and ' +
      'leave the live ward pages (an `alert_cleared` message), as if the vitals had recovered. While ' +
      'disabled the rule raises nothing. Enabling it again does not reopen those alerts: the next reading ' +
      'out of range raises a new one.',
  })
  async update(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) id: string,
    @Body() body: UpdateAlertRuleDto,
  ): Promise<AlertRule> {
    // Read-modify-write on the primary: the replica may not have replayed the rule's creation or last update.
    const rule = await withPrimaryConnection(this.dataSource, (manager) =>
      manager.getRepository(AlertRule).findOneBy({ id }),
    );
    if (!rule) throw new NotFoundException(`alert rule ${id} not found`);
    await this.assertRuleScope(staff, rule);
    if (body.min !== undefined) rule.min = body.min;
    if (body.max !== undefined) rule.max = body.max;
    if (body.enabled !== undefined) rule.enabled = body.enabled;
    assertThresholds(rule.metric, rule.min, rule.max);
    rule.version += 1;
    rule.updatedAt = new Date();
    const saved = await this.dataSource.getRepository(AlertRule).save(rule);
    // A disabled rule has no open alerts. Run on every save of a disabled rule, so a PATCH retried after a
    // failure here still clears them.
    const cleared = saved.enabled ? [] : await this.alerts.clearDisabledRule(id);
    await this.cache.invalidate(id);
    await this.recordChange(staff, 'rule.update', saved, { ...body });
    await this.announceCleared(cleared);
    return saved;
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...WARD_MANAGER_ROLES)
  @ApiOperation({
    summary: 'Delete a rule',
    description:
      'Its alerts are deleted with it. Those still open leave the live ward pages at once (an `alert_cleared` ' +
      'message each), including one an evaluation was raising while the rule was being deleted.',
  })
  async remove(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) id: string,
  ): Promise<void> {
    const rule = await this.dataSource.getRepository(AlertRule).findOneBy({ id });
    if (!rule) throw new NotFoundException(`alert rule ${id} not found`);
    await this.assertRuleScope(staff, rule);
    const cleared = await this.alerts.deleteRule(id);
    if (!cleared) throw new NotFoundException(`alert rule ${id} not found`);
    await this.cache.invalidate(id);
    await this.recordChange(staff, 'rule.delete', rule, {});
    await this.announceCleared(cleared);
  }

  /**
   * Open ward pages drop the alerts a rule change ended now rather than at their next reload. Best effort,
   * like every live push: the change stands even if Redis cannot take the events.
   */
  private async announceCleared(cleared: readonly ClearedAlert[]): Promise<void> {
    await this.feed
      .cleared(cleared)
      .catch((error: unknown) => this.logger.warn(`alert-cleared events not published: ${String(error)}`));
  }

  private async assertRuleScope(
    staff: StaffMember,
    rule: { patientId: string | null; wardId: string | null },
  ): Promise<void> {
    if (rule.wardId !== null) await this.scope.assertWard(staff, rule.wardId);
    if (rule.patientId !== null) await this.scope.assertPatient(staff, rule.patientId);
  }

  private recordChange(
    staff: StaffMember,
    action: 'rule.create' | 'rule.update' | 'rule.delete',
    rule: AlertRule,
    detail: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(staff, {
      action,
      resourceType: 'alert-rule',
      resourceId: rule.id,
      patientId: rule.patientId,
      detail: { ...detail, wardId: rule.wardId, version: rule.version },
    });
  }
}

function assertThresholds(metric: VitalMetric, min: number | null, max: number | null): void {
  const problems = thresholdProblems(metric, min, max);
  if (problems.length > 0) {
    throw new BadRequestException({
      message: `invalid request: ${problems.map((p) => p.field).join(', ')}`,
      details: problems,
    });
  }
}
