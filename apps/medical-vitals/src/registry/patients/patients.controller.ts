import { Body, Controller, Get, Inject, NotFoundException, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { withPrimaryConnection } from '@remedy/pooling';
import { DataSource, In } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.service.js';
import { AccessScope } from '../../auth/access-scope.service.js';
import { CurrentStaff } from '../../auth/current-staff.decorator.js';
import type { StaffMember } from '../../staff/staff-member.js';
import { CLINICAL_ROLES, WARD_MANAGER_ROLES } from '../../staff/staff-role.js';
import { DeviceDirectory } from '../devices/device-directory.service.js';
import { Patient } from './patient.entity.js';
import { CreatePatientDto, ListPatientsQueryDto, UpdatePatientDto } from './patient.dto.js';

/** Patient records: clinical staff of the patient's ward read them (audited); ward admins admit and move. */
@ApiTags('registry')
@ApiBearerAuth()
@Controller('patients')
export class PatientsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DeviceDirectory) private readonly devices: DeviceDirectory,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Post()
  @Roles(...WARD_MANAGER_ROLES)
  async create(@CurrentStaff() staff: StaffMember, @Body() body: CreatePatientDto): Promise<Patient> {
    this.scope.assertHospital(staff, body.hospitalId);
    if (body.wardId !== undefined) await this.scope.assertWard(staff, body.wardId);
    const patients = this.dataSource.getRepository(Patient);
    const saved = await patients.save(patients.create({ ...body, status: 'active' }));
    await this.audit.record(staff, {
      action: 'patient.create',
      resourceType: 'patient',
      resourceId: saved.id,
      patientId: saved.id,
    });
    return saved;
  }

  @Get()
  @Roles(...CLINICAL_ROLES)
  async list(@CurrentStaff() staff: StaffMember, @Query() query: ListPatientsQueryDto): Promise<Patient[]> {
    if (query.wardId !== undefined) await this.scope.assertWard(staff, query.wardId);
    const wardIds = query.wardId === undefined ? await this.scope.wardIds(staff) : [query.wardId];
    const patients = await this.dataSource.getRepository(Patient).find({
      where: { wardId: In(wardIds) },
      order: { id: 'ASC' },
      take: query.limit,
    });
    await this.audit.record(staff, {
      action: 'patient.list',
      resourceType: 'ward',
      resourceId: query.wardId ?? '*',
      detail: { patientIds: patients.map((patient) => patient.id) },
    });
    return patients;
  }

  @Get(':id')
  @Roles(...CLINICAL_ROLES)
  async get(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) id: string,
  ): Promise<Patient> {
    await this.scope.assertPatient(staff, id);
    const patient = await this.dataSource.getRepository(Patient).findOneBy({ id });
    if (!patient) throw new NotFoundException(`patient ${id} not found`);
    await this.audit.record(staff, {
      action: 'patient.read',
      resourceType: 'patient',
      resourceId: id,
      patientId: id,
    });
    return patient;
  }

  /** A move or a discharge changes the ward cached with each of the patient's devices: drop those entries. */
  @Patch(':id')
  @Roles(...WARD_MANAGER_ROLES)
  async update(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) id: string,
    @Body() body: UpdatePatientDto,
  ): Promise<Patient> {
    await this.scope.assertPatient(staff, id);
    if (body.wardId !== undefined) await this.scope.assertWard(staff, body.wardId);
    const patients = this.dataSource.getRepository(Patient);
    // Read-modify-write on the primary: the replica may not have replayed the row's creation or last update.
    const patient = await withPrimaryConnection(this.dataSource, (manager) =>
      manager.getRepository(Patient).findOneBy({ id }),
    );
    if (!patient) throw new NotFoundException(`patient ${id} not found`);
    if (body.wardId !== undefined) patient.wardId = body.wardId;
    if (body.status !== undefined && body.status !== patient.status) {
      patient.status = body.status;
      patient.dischargedAt = body.status === 'discharged' ? new Date() : null;
    }
    const saved = await patients.save(patient);
    await this.devices.invalidatePatient(id);
    await this.audit.record(staff, {
      action: 'patient.update',
      resourceType: 'patient',
      resourceId: id,
      patientId: id,
      detail: { ...body },
    });
    return saved;
  }
}
