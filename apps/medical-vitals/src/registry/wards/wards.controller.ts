import {
  Body,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Ward } from './ward.entity.js';
import { CreateWardDto, ListWardsQueryDto } from './ward.dto.js';

@ApiTags('registry')
@Controller('wards')
export class WardsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Post()
  create(@Body() body: CreateWardDto): Promise<Ward> {
    const wards = this.dataSource.getRepository(Ward);
    return wards.save(wards.create(body));
  }

  @Get()
  list(@Query() query: ListWardsQueryDto): Promise<Ward[]> {
    return this.dataSource.getRepository(Ward).find({
      where: query.hospitalId === undefined ? {} : { hospitalId: query.hospitalId },
      order: { name: 'ASC', id: 'ASC' },
      take: query.limit,
    });
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<Ward> {
    const ward = await this.dataSource.getRepository(Ward).findOneBy({ id });
    if (!ward) throw new NotFoundException(`ward ${id} not found`);
    return ward;
  }
}
