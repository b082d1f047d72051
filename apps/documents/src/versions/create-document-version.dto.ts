import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, ValidateBy } from 'class-validator';
import { MAX_VERSION_NAME_LENGTH } from './document-versions.policy.js';

/**
 * The name of a version: 1 to 200 characters on one line, not only white space. NUL and lone surrogates never
 * get this far: the HTTP edge refuses them in any body field (a 400 naming `name`).
 */
export class CreateDocumentVersionDto {
  @ApiProperty({ example: 'Sent to the interpreters', minLength: 1, maxLength: MAX_VERSION_NAME_LENGTH })
  @IsString()
  @Length(1, MAX_VERSION_NAME_LENGTH)
  @ValidateBy({
    name: 'isVersionName',
    validator: {
      // A name is listed on one line: line breaks and other control characters have no place in it. An
      // empty name is Length's to refuse, with one message.
      validate: (value: unknown) =>
        typeof value !== 'string' || value === '' || (/\S/u.test(value) && !/\p{Cc}/u.test(value)),
      defaultMessage: () => 'name must be one line of text, not only white space',
    },
  })
  name!: string;
}
