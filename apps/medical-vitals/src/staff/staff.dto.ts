import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { STAFF_ROLES, type StaffRole } from './staff-role.js';

export class CreateStaffDto {
  @ApiProperty({ example: 'nina@hospital.example' }) @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty({ maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ enum: STAFF_ROLES }) @IsIn(STAFF_ROLES) role!: StaffRole;
  @ApiProperty({ minLength: 12 }) @IsString() @Length(12, 200) password!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'wards of the caller’s hospital' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  wardIds!: string[];
}

export class StaffDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) hospitalId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty({ type: [String], format: 'uuid' }) wardIds!: string[];
}
