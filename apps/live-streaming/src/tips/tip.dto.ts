import { ApiProperty } from '@nestjs/swagger';

export const TIP_STATUSES = ['pending', 'succeeded', 'declined'] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];

/** A tip as the API answers it; a retry with the same Idempotency-Key answers the same tip. */
export class TipDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  streamId!: string;

  @ApiProperty({ format: 'uuid' })
  streamerId!: string;

  @ApiProperty()
  amountCents!: number;

  @ApiProperty({ example: 'usd' })
  currency!: string;

  @ApiProperty({ enum: TIP_STATUSES })
  status!: TipStatus;

  @ApiProperty({ type: String, nullable: true, example: 'ch_3Nf0c2' })
  chargeId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
