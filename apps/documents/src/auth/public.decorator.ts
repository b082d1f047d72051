import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE_KEY = 'documents:public-route';

/**
 * Opts a route out of the global member guard. Every use says why in a comment next to it; the route test
 * (test/access-control.int-spec.ts) lists the public routes and fails on any other.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE_KEY, true);
