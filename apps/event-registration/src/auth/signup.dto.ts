import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

export class SignupDto {
  @ApiProperty({ example: 'aiko@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Aiko Tanaka' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'Sales' })
  @IsString()
  @Length(1, 100)
  department!: string;

  @ApiProperty({ minLength: 12, example: 'correct horse battery staple' })
  @IsString()
  @Length(12, 200)
  password!: string;
}
