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
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { withPrimaryConnection } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { DeviceDirectory } from '../devices/device-directory.service.js';
import { Patient } from './patient.entity.js';
import { CreatePatientDto, ListPatientsQueryDto, UpdatePatientDto } from './patient.dto.js';

@ApiTags('registry')
@Controller('patients')
export class PatientsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DeviceDirectory) private readonly devices: DeviceDirectory,
  ) {}

  @Post()
  create(@Body() body: CreatePatientDto): Promise<Patient> {
    const patients = this.dataSource.getRepository(Patient);
    return patients.save(patients.create({ ...body, status: 'active' }));
  }

  @Get()
  list(@Query() query: ListPatientsQueryDto): Promise<Patient[]> {
    return this.dataSource.getRepository(Patient).find({
      where: query.wardId === undefined ? {} : { wardId: query.wardId },
      order: { id: 'ASC' },
      take: query.limit,
    });
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<Patient> {
    const patient = await this.dataSource.getRepository(Patient).findOneBy({ id });
    if (!patient) throw new NotFoundException(`patient ${id} not found`);
    return patient;
  }

  /** A move or a discharge changes the ward cached with each of the patient's devices: drop those entries. */
  @Patch(':id')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdatePatientDto): Promise<Patient> {
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
    return saved;
  }
}
