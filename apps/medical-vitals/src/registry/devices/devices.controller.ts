import {
  Body,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { withPrimaryConnection } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { DeviceDirectory } from './device-directory.service.js';
import { Device } from './device.entity.js';
import { CreateDeviceDto, RegisteredDeviceDto, UpdateDeviceDto } from './device.dto.js';
import { hashDeviceToken, newDeviceToken } from './device-token.js';

@ApiTags('registry')
@Controller('devices')
export class DevicesController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DeviceDirectory) private readonly directory: DeviceDirectory,
  ) {}

  /** Registers a device and returns its token once; the database keeps only the token's sha256. */
  @Post()
  @ApiCreatedResponse({ type: RegisteredDeviceDto })
  async create(@Body() body: CreateDeviceDto): Promise<RegisteredDeviceDto> {
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
    return { id: saved.id, serial: saved.serial, patientId: saved.patientId, status: saved.status, token };
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<Device> {
    const device = await this.dataSource.getRepository(Device).findOneBy({ id });
    if (!device) throw new NotFoundException(`device ${id} not found`);
    return device;
  }

  /** Reassigning or retiring a device drops its cached identity on every instance. */
  @Patch(':id')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateDeviceDto): Promise<Device> {
    // Read-modify-write on the primary: the replica may not have replayed the row's creation or last update.
    const device = await withPrimaryConnection(this.dataSource, (manager) =>
      manager.getRepository(Device).findOneBy({ id }),
    );
    if (!device) throw new NotFoundException(`device ${id} not found`);
    if (body.patientId !== undefined) device.patientId = body.patientId;
    if (body.status !== undefined) device.status = body.status;
    const saved = await this.dataSource.getRepository(Device).save(device);
    await this.directory.invalidate(id);
    return saved;
  }
}
