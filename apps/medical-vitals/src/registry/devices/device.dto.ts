import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { DeviceStatus } from './device.entity.js';

export class CreateDeviceDto {
  @ApiProperty({ maxLength: 64 }) @IsString() @IsNotEmpty() @MaxLength(64) serial!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() patientId?: string;
}

export class UpdateDeviceDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) @IsOptional() @IsUUID() patientId?: string;
  @ApiPropertyOptional({ enum: ['active', 'retired'] })
  @IsOptional()
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
