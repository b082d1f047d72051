import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsOmittable } from '@remedy/http';
import type { DeviceStatus } from './device.entity.js';

export class CreateDeviceDto {
  @ApiProperty({ maxLength: 64 }) @IsString() @IsNotEmpty() @MaxLength(64) serial!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOmittable() @IsUUID() patientId?: string;
}

export class UpdateDeviceDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'null unassigns the device' })
  @IsOptional()
  @IsUUID()
  patientId?: string | null;

  @ApiPropertyOptional({ enum: ['active', 'retired'] })
  @IsOmittable()
  @IsIn(['active', 'retired'])
  status?: DeviceStatus;
}

export class RegisteredDeviceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() serial!: string;
  @ApiProperty({ format: 'uuid', nullable: true }) patientId!: string | null;
  @ApiProperty() status!: DeviceStatus;
  @ApiProperty({ description: 'shown once: the device authenticates with it; only its hash is stored' })
  token!: string;
}
