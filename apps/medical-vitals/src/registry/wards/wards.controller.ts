import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { DataSource, In } from 'typeorm';
import { AccessScope } from '../../auth/access-scope.service.js';
import { CurrentStaff } from '../../auth/current-staff.decorator.js';
import type { StaffMember } from '../../staff/staff-member.js';
import { Ward } from './ward.entity.js';
import { CreateWardDto, ListWardsQueryDto } from './ward.dto.js';

/** Wards: created by their hospital's admin; listed and read within the caller's scope. */
@ApiTags('registry')
@ApiBearerAuth()
@Controller('wards')
export class WardsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AccessScope) private readonly scope: AccessScope,
  ) {}

  @Post()
  @Roles('hospital_admin')
  create(@CurrentStaff() staff: StaffMember, @Body() body: CreateWardDto): Promise<Ward> {
    this.scope.assertHospital(staff, body.hospitalId);
    const wards = this.dataSource.getRepository(Ward);
    return wards.save(wards.create(body));
  }

  @Get()
  async list(@CurrentStaff() staff: StaffMember, @Query() query: ListWardsQueryDto): Promise<Ward[]> {
    if (query.hospitalId !== undefined) this.scope.assertHospital(staff, query.hospitalId);
    return this.dataSource.getRepository(Ward).find({
      where: { id: In(await this.scope.wardIds(staff)) },
      order: { name: 'ASC', id: 'ASC' },
      take: query.limit,
    });
  }

  @Get(':id')
  async get(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuidParam('id', 'per-field')) id: string,
  ): Promise<Ward> {
    await this.scope.assertWard(staff, id);
    const ward = await this.dataSource.getRepository(Ward).findOneBy({ id });
    if (!ward) throw new NotFoundException(`ward ${id} not found`);
    return ward;
  }
}
