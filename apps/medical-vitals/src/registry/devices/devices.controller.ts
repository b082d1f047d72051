import { Body, Controller, Get, Inject, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { withPrimaryConnection } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../audit/audit-log.service.js';
import { AccessScope } from '../../auth/access-scope.service.js';
import { CurrentStaff } from '../../auth/current-staff.decorator.js';
import type { StaffMember } from '../../staff/staff-member.js';
import { DEVICE_ROLES } from '../../staff/staff-role.js';
import { DeviceDirectory } from './device-directory.service.js';
import { Device } from './device.entity.js';
import { CreateDeviceDto, RegisteredDeviceDto, UpdateDeviceDto } from './device.dto.js';
import { hashDeviceToken, newDeviceToken } from './device-token.js';

/** Device provisioning belongs to device technicians and hospital admins, within their hospital; audited. */
@ApiTags('registry')
@ApiBearerAuth()
@Roles(...DEVICE_ROLES)
@Controller('devices')
export class DevicesController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DeviceDirectory) private readonly directory: DeviceDirectory,
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** Registers a device and returns its token once; the database keeps only the token's sha256. */
  @Post()
  @ApiCreatedResponse({ type: RegisteredDeviceDto })
  async create(
    @CurrentStaff() staff: StaffMember,
    @Body() body: CreateDeviceDto,
  ): Promise<RegisteredDeviceDto> {
    if (body.patientId !== undefined) await this.scope.assertPatient(staff, body.patientId);
    const token = newDeviceToken();
    const devices = this.dataSource.getRepository(Device);
    const saved = await devices.save(
      devices.create({
        serial: body.serial,
        patientId: body.patientId ?? null,
        tokenHash: hashDeviceToken(token),
        status: 'active',
      }),
    );
    await this.audit.record(staff, {
      action: 'device.create',
      resourceType: 'device',
      resourceId: saved.id,
      patientId: saved.patientId,
      detail: { serial: saved.serial },
    });
    return { id: saved.id, serial: saved.serial, patientId: saved.patientId, status: saved.status, token };
  }

  @Get(':id')
  async get(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) id: string,
  ): Promise<Device> {
    await this.scope.assertDevice(staff, id);
    const device = await this.dataSource.getRepository(Device).findOneBy({ id });
    if (!device) throw new NotFoundException(`device ${id} not found`);
    return device;
  }

  /** Reassigning or retiring a device drops its cached identity on every instance. */
  @Patch(':id')
  async update(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) id: string,
    @Body() body: UpdateDeviceDto,
  ): Promise<Device> {
    await this.scope.assertDevice(staff, id);
    // null unassigns: only the device's own scope (checked above) applies.
    if (typeof body.patientId === 'string') await this.scope.assertPatient(staff, body.patientId);
    // Read-modify-write on the primary: the replica may not have replayed the row's creation or last update.
    const device = await withPrimaryConnection(this.dataSource, (manager) =>
      manager.getRepository(Device).findOneBy({ id }),
    );
    if (!device) throw new NotFoundException(`device ${id} not found`);
    if (body.patientId !== undefined) device.patientId = body.patientId;
    if (body.status !== undefined) device.status = body.status;
    const saved = await this.dataSource.getRepository(Device).save(device);
    await this.directory.invalidate(id);
    await this.audit.record(staff, {
      action: 'device.update',
      resourceType: 'device',
      resourceId: id,
      patientId: saved.patientId,
      detail: { ...body },
    });
    return saved;
  }
}
