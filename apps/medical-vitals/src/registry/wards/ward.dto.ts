import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ListLimitDto } from '../../common/pagination-limit.dto.js';

export class CreateWardDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() hospitalId!: string;
  @ApiProperty({ maxLength: 200 }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
}

export class ListWardsQueryDto extends ListLimitDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() hospitalId?: string;
}
