import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsOmittable } from '@remedy/http';
import { ListLimitDto } from '../../common/pagination-limit.dto.js';
import type { PatientStatus } from './patient.entity.js';

export class CreatePatientDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() hospitalId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOmittable() @IsUUID() wardId?: string;
  @ApiProperty({ maxLength: 200 }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ maxLength: 64, description: 'medical record number, unique' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  mrn!: string;
}

export class UpdatePatientDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOmittable() @IsUUID() wardId?: string;
  @ApiPropertyOptional({ enum: ['active', 'discharged'] })
  @IsOmittable()
  @IsIn(['active', 'discharged'])
  status?: PatientStatus;
}

export class ListPatientsQueryDto extends ListLimitDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() wardId?: string;
}
