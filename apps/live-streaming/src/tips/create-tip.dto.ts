import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { TIP_AMOUNT_CENTS } from './tip.policy.js';

export class CreateTipDto {
  @ApiProperty({ minimum: TIP_AMOUNT_CENTS.min, maximum: TIP_AMOUNT_CENTS.max, example: 500 })
  @IsInt()
  @Min(TIP_AMOUNT_CENTS.min)
  @Max(TIP_AMOUNT_CENTS.max)
  amountCents!: number;
}
