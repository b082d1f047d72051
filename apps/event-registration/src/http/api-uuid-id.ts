import { ApiParam } from '@nestjs/swagger';

/** Documents the `:id` path parameter as a UUID (uuidParam refuses anything else); Swagger says only "string". */
export function ApiUuidId(): MethodDecorator & ClassDecorator {
  return ApiParam({ name: 'id', type: 'string', format: 'uuid' });
}
